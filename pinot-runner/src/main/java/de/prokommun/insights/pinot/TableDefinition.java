package de.prokommun.insights.pinot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.pinot.spi.config.table.TableConfig;
import org.apache.pinot.spi.data.Schema;
import org.apache.pinot.spi.utils.JsonUtils;

/**
 * One Pinot table as defined by the repository's {@code pinot/<table>.schema.json} and
 * {@code pinot/<table>.table.json}, with the stream's broker list and topic replaced by the values of this
 * installation. The files name a placeholder broker and the default topic name; everything else is used
 * exactly as written, so local mode, tests and the clusters share one definition.
 */
public record TableDefinition(String name, Schema schema, TableConfig tableConfig) {

    static final String BROKER_LIST = "stream.kafka.broker.list";
    static final String TOPIC_NAME = "stream.kafka.topic.name";
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String FLUSH_TIME = "realtime.segment.flush.threshold.time";
    static final String FLUSH_ROWS = "realtime.segment.flush.threshold.rows";

    public static TableDefinition load(Path configDir, String table, String kafkaBootstrap, String topic) {
        return load(configDir, table, kafkaBootstrap, topic, Optional.empty(), java.util.OptionalLong.empty(), 1);
    }

    /**
     * As {@link #load(Path, String, String, String)}; an upsert table's consuming segments complete after
     * {@code upsertFlushTime} instead of the file's {@value #FLUSH_TIME} when given, and after {@code upsertFlushRows}
     * rows instead of {@value #FLUSH_ROWS}: the local mode's purge of old upsert versions ({@link UpsertPurge}) reaches
     * a version only once its segment has completed. (Pinot 0.11 extends a segment that fetched nothing by its time
     * limit by one hour, so a segment created before the first event completes by rows or an hour later.) With
     * {@code replicas} above 1 every segment is held by that many servers (a cluster).
     */
    public static TableDefinition load(Path configDir, String table, String kafkaBootstrap, String topic,
                                       Optional<Duration> upsertFlushTime, java.util.OptionalLong upsertFlushRows,
                                       int replicas) {
        Path schemaFile = configDir.resolve(table + ".schema.json");
        Path tableFile = configDir.resolve(table + ".table.json");
        try {
            Schema schema = Schema.fromString(Files.readString(schemaFile));
            if (!schema.getSchemaName().equals(table)) {
                throw new IllegalArgumentException(schemaFile + ": schemaName '" + schema.getSchemaName()
                        + "' does not match the table '" + table + "'");
            }
            ObjectNode config = (ObjectNode) JSON.readTree(tableFile.toFile());
            withStream(config, kafkaBootstrap, topic, tableFile);
            if (config.has("upsertConfig")
                    && config.path("tableIndexConfig").path("streamConfigs") instanceof ObjectNode streams) {
                upsertFlushTime.ifPresent(t -> streams.put(FLUSH_TIME, t.toSeconds() + "s"));
                upsertFlushRows.ifPresent(n -> streams.put(FLUSH_ROWS, String.valueOf(n)));
            }
            TableConfig tableConfig = JsonUtils.jsonNodeToObject(config, TableConfig.class);
            if (replicas > 1) { // a cluster's servers hold each segment this often (the file says 1: one server)
                tableConfig.getValidationConfig().setReplication(String.valueOf(replicas));
                tableConfig.getValidationConfig().setReplicasPerPartition(String.valueOf(replicas));
            }
            if (!tableConfig.getTableName().startsWith(table)) {
                throw new IllegalArgumentException(tableFile + ": tableName '" + tableConfig.getTableName()
                        + "' does not match the table '" + table + "'");
            }
            return new TableDefinition(table, schema, tableConfig);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the definition of Pinot table '" + table + "' in " + configDir, e);
        }
    }

    /**
     * Sets broker list and topic in every stream config of the table: the classic
     * {@code tableIndexConfig.streamConfigs} and, if present, {@code ingestionConfig.streamIngestionConfig}.
     */
    static void withStream(ObjectNode tableConfig, String kafkaBootstrap, String topic, Path source) {
        int replaced = 0;
        JsonNode classic = tableConfig.path("tableIndexConfig").path("streamConfigs");
        if (classic instanceof ObjectNode streams) {
            setStream(streams, kafkaBootstrap, topic);
            replaced++;
        }
        JsonNode maps = tableConfig.path("ingestionConfig").path("streamIngestionConfig").path("streamConfigMaps");
        for (JsonNode map : maps) {
            if (map instanceof ObjectNode streams) {
                setStream(streams, kafkaBootstrap, topic);
                replaced++;
            }
        }
        if (replaced == 0) {
            throw new IllegalArgumentException(source + ": no stream config (tableIndexConfig.streamConfigs or"
                    + " ingestionConfig.streamIngestionConfig.streamConfigMaps) to point at Kafka");
        }
    }

    private static void setStream(ObjectNode streams, String kafkaBootstrap, String topic) {
        streams.put(BROKER_LIST, kafkaBootstrap);
        streams.put(TOPIC_NAME, topic);
    }
}
