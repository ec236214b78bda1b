package de.prokommun.insights.pinot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import org.apache.pinot.segment.local.utils.TableConfigUtils;
import org.apache.pinot.spi.config.table.TableConfig;
import org.apache.pinot.spi.config.table.UpsertConfig;
import org.apache.pinot.spi.data.FieldSpec;
import org.apache.pinot.spi.data.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the repository's own pinot/ files, as the runner does. */
class TableDefinitionTest {

    private static final Path CONFIG_DIR = Path.of("..", "pinot");

    @Test
    void profilesPointAtTheGivenKafkaAndTopicAndPassPinotsValidation() {
        TableDefinition profiles = TableDefinition.load(CONFIG_DIR, "profiles", "127.0.0.1:4711", "test.profiles");
        Map<String, String> stream = profiles.tableConfig().getIndexingConfig().getStreamConfigs();
        assertThat(stream).containsEntry("stream.kafka.broker.list", "127.0.0.1:4711")
                .containsEntry("stream.kafka.topic.name", "test.profiles")
                .containsEntry("stream.kafka.isolation.level", "read_committed")
                .doesNotContainKey("stream.kafka.consumer.prop.isolation.level");
        TableConfigUtils.validate(profiles.tableConfig(), profiles.schema());
    }

    @Test
    void anUpsertFlushTimeOverridesTheConsumingSegmentsTimeOfUpsertTablesOnly() {
        var flush = java.util.Optional.of(java.time.Duration.ofSeconds(20));
        for (String upsert : List.of("profiles", "person_records")) {
            TableDefinition t = TableDefinition.load(CONFIG_DIR, upsert, "k:1", "t", flush, java.util.OptionalLong.of(200), 1);
            assertThat(t.tableConfig().getIndexingConfig().getStreamConfigs()).as(upsert)
                    .containsEntry(TableDefinition.FLUSH_TIME, "20s").containsEntry(TableDefinition.FLUSH_ROWS, "200");
            TableConfigUtils.validate(t.tableConfig(), t.schema());
        }
        assertThat(TableDefinition.load(CONFIG_DIR, "contributions", "k:1", "t", flush, java.util.OptionalLong.of(200), 1)
                .tableConfig().getIndexingConfig().getStreamConfigs()).as("the append-only table keeps its file's values")
                .containsEntry(TableDefinition.FLUSH_TIME, "6h").containsEntry(TableDefinition.FLUSH_ROWS, "500000");
        assertThat(TableDefinition.load(CONFIG_DIR, "profiles", "k:1", "t").tableConfig().getIndexingConfig()
                .getStreamConfigs()).containsEntry(TableDefinition.FLUSH_TIME, "6h");
    }

    @Test
    void upsertTablesKeepA128BitHashOfTheirKeysOnTheHeapNotTheKeysStrings() {
        // Pinot keeps every upsert key on its heap for good: person_records gains one per record (bench/run pinot-heap)
        for (String upsert : List.of("profiles", "person_records")) {
            assertThat(TableDefinition.load(CONFIG_DIR, upsert, "k:1", "t").tableConfig().getUpsertConfig().getHashFunction())
                    .as(upsert).isEqualTo(org.apache.pinot.spi.config.table.HashFunction.MURMUR3);
        }
    }

    @Test
    void profilesAreAnUpsertTableKeyedByPseudonymWithMultiValuePersonas() {
        TableDefinition profiles = TableDefinition.load(CONFIG_DIR, "profiles", "k:1", "t");
        Schema schema = profiles.schema();
        TableConfig config = profiles.tableConfig();
        assertThat(schema.getPrimaryKeyColumns()).as("the city too: two cities in one deployment (issue 17)")
                .containsExactly("city", "pseudonym");
        assertThat(config.getUpsertMode()).isEqualTo(UpsertConfig.Mode.FULL);
        assertThat(config.getUpsertConfig().getComparisonColumn()).isEqualTo("version");
        assertThat(config.getRoutingConfig().getInstanceSelectorType()).isEqualTo("strictReplicaGroup");
        assertThat(config.getValidationConfig().getTimeColumnName()).isEqualTo("updatedAt");
        assertThat(schema.getFieldSpecFor("personas").isSingleValueField()).isFalse();
        assertThat(schema.getFieldSpecFor("interests").isSingleValueField()).isFalse();
        assertThat(schema.getFieldSpecFor("deleted").getDataType()).isEqualTo(FieldSpec.DataType.BOOLEAN);
        // the resident API shows the standing objections to offers (issue 18)
        assertThat(schema.getFieldSpecFor("offerObjections").isSingleValueField()).isFalse();
    }

    @Test
    void aClusterHoldsEverySegmentOnAsManyServersAsReplicasAsked() {
        TableDefinition one = TableDefinition.load(CONFIG_DIR, "contributions", "k:1", "t");
        TableDefinition two = TableDefinition.load(CONFIG_DIR, "contributions", "k:1", "t", Optional.empty(),
                java.util.OptionalLong.empty(), 2);
        assertThat(one.tableConfig().getValidationConfig().getReplicasPerPartitionNumber()).isEqualTo(1);
        assertThat(two.tableConfig().getValidationConfig().getReplicasPerPartitionNumber()).isEqualTo(2);
        assertThat(two.tableConfig().getValidationConfig().getReplicationNumber()).isEqualTo(2);
        assertThat(two.tableConfig().getTableName()).isEqualTo(one.tableConfig().getTableName());
    }

    @Test
    void aTableFileWithoutStreamConfigIsRejectedNamingTheFile(@TempDir Path dir) throws Exception {
        Files.copy(CONFIG_DIR.resolve("profiles.schema.json"), dir.resolve("profiles.schema.json"));
        ObjectNode table = (ObjectNode) new ObjectMapper().readTree(CONFIG_DIR.resolve("profiles.table.json").toFile());
        ((ObjectNode) table.get("tableIndexConfig")).remove("streamConfigs");
        Files.writeString(dir.resolve("profiles.table.json"), table.toString());
        assertThatThrownBy(() -> TableDefinition.load(dir, "profiles", "k:1", "t"))
                .hasMessageContaining("profiles.table.json").hasMessageContaining("no stream config");
    }

    @Test
    void streamConfigMapsOfNewerPinotAreRewrittenToo() throws Exception {
        ObjectNode table = (ObjectNode) new ObjectMapper().readTree(
                "{\"ingestionConfig\":{\"streamIngestionConfig\":{\"streamConfigMaps\":[{\"stream.kafka.topic.name\":\"x\"}]}}}");
        TableDefinition.withStream(table, "b:1", "y", Path.of("t.json"));
        assertThat(table.at("/ingestionConfig/streamIngestionConfig/streamConfigMaps/0/stream.kafka.topic.name").asText())
                .isEqualTo("y");
        assertThat(table.at("/ingestionConfig/streamIngestionConfig/streamConfigMaps/0/stream.kafka.broker.list").asText())
                .isEqualTo("b:1");
    }
}
