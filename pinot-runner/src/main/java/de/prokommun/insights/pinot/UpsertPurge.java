package de.prokommun.insights.pinot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.pinot.common.metadata.segment.SegmentZKMetadata;
import org.apache.pinot.common.utils.LLCSegmentName;
import org.apache.pinot.controller.helix.core.PinotHelixResourceManager;
import org.apache.pinot.controller.helix.core.PinotResourceManagerResponse;
import org.apache.pinot.spi.utils.CommonConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the earlier versions of deleted rows from an upsert table of Pinot 0.11 (issue 14, item 8). Pinot 0.11 keeps
 * every version of an upsert row in its segments and returns them with {@code skipUpsert=true}; it has no upsert
 * compaction. A completed segment that holds a superseded version of a key whose current row is deleted
 * ({@code deleted = true}: an erased or withdrawn person, a deleted record) is rewritten:
 * <ol>
 *   <li>the segment's current rows (the versions Pinot's upsert still serves from it) are looked up in the Kafka
 *       topic within the segment's own offset range and produced again, byte for byte, to the same partition — the
 *       upsert keeps a re-sent row with the same comparison value, so they now live in the consuming segment;</li>
 *   <li>once the broker serves no row from the segment any more, the segment is deleted.</li>
 * </ol>
 * Nothing current changes: every figure reads the same rows before and after. The consuming segment cannot be
 * rewritten, so an old version in it is purged once it has completed ({@code realtime.segment.flush.threshold.time})
 * and the next run has passed. A rewrite whose rows cannot all be found, or that Pinot does not take up in time, is
 * left alone (the segment stays; the next run tries again). Tombstones (the deleted rows) stay: they carry the key.
 */
final class UpsertPurge {

    /** The column every upsert table of this repository marks deletions with (Pinot 0.11 has no upsert delete). */
    static final String DELETED_COLUMN = "deleted";
    private static final Logger LOG = LoggerFactory.getLogger(UpsertPurge.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEYS_PER_QUERY = 300;
    private static final int LIMIT = 10_000_000;
    private static final char SEP = '\u001f';

    /** An upsert table: its topic, primary key columns and comparison column. */
    record Table(String name, String topic, List<String> keyColumns, String comparisonColumn) {
        String nameWithType() { return name + "_REALTIME"; }
    }

    /** What one run did to one table. */
    record Result(String table, List<String> rewritten, long rowsProduced, List<String> leftAlone) {}

    private final PinotHelixResourceManager resources;
    private final BrokerSql sql;
    private final String kafkaBootstrap;
    private final Duration takenUpWithin;

    UpsertPurge(PinotHelixResourceManager resources, BrokerSql sql, String kafkaBootstrap, Duration takenUpWithin) {
        this.resources = resources;
        this.sql = sql;
        this.kafkaBootstrap = kafkaBootstrap;
        this.takenUpWithin = takenUpWithin;
    }

    Result purge(Table table) throws InterruptedException {
        Map<String, SegmentZKMetadata> completed = new TreeMap<>();
        for (SegmentZKMetadata m : resources.getSegmentsZKMetadata(table.nameWithType())) {
            if (m.getStatus() == CommonConstants.Segment.Realtime.Status.DONE) completed.put(m.getSegmentName(), m);
        }
        List<String> rewritten = new ArrayList<>();
        List<String> leftAlone = new ArrayList<>();
        long produced = 0;
        for (String segment : segmentsWithOldVersionsOfDeletedKeys(table)) {
            SegmentZKMetadata metadata = completed.get(segment);
            if (metadata == null) continue; // the consuming segment: purged once it has completed
            try {
                produced += rewrite(table, metadata);
                rewritten.add(segment);
            } catch (IllegalStateException e) {
                LOG.warn("purge of {}: segment {} left alone: {}", table.name(), segment, e.getMessage());
                leftAlone.add(segment);
            }
        }
        return new Result(table.name(), rewritten, produced, leftAlone);
    }

    /** Segments (completed or consuming) holding a not-deleted version of a key whose current row is deleted. */
    Set<String> segmentsWithOldVersionsOfDeletedKeys(Table table) {
        List<List<String>> deletedKeys = new ArrayList<>();
        for (JsonNode row : sql.rows("SELECT " + String.join(", ", table.keyColumns()) + " FROM " + table.name()
                + " WHERE " + DELETED_COLUMN + " = true LIMIT " + LIMIT, null)) {
            List<String> key = new ArrayList<>();
            row.forEach(v -> key.add(v.asText()));
            deletedKeys.add(key);
        }
        Set<String> segments = new HashSet<>();
        for (int from = 0; from < deletedKeys.size(); from += KEYS_PER_QUERY) {
            String keys = keyFilter(table.keyColumns(), deletedKeys.subList(from, Math.min(deletedKeys.size(), from + KEYS_PER_QUERY)));
            for (JsonNode row : sql.rows("SELECT $segmentName, COUNT(*) FROM " + table.name() + " WHERE "
                    + DELETED_COLUMN + " = false AND (" + keys + ") GROUP BY $segmentName LIMIT " + LIMIT, "skipUpsert=true")) {
                if (row.get(1).asLong() > 0) segments.add(row.get(0).asText());
            }
        }
        return segments;
    }

    /** {@code k IN (...)} for one key column, else an OR of the keys' conjunctions. */
    static String keyFilter(List<String> columns, List<List<String>> keys) {
        if (columns.size() == 1) {
            return columns.get(0) + " IN (" + keys.stream().map(k -> BrokerSql.literal(k.get(0)))
                    .collect(Collectors.joining(", ")) + ")";
        }
        return keys.stream().map(k -> {
            List<String> terms = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) terms.add(columns.get(i) + " = " + BrokerSql.literal(k.get(i)));
            return "(" + String.join(" AND ", terms) + ")";
        }).collect(Collectors.joining(" OR "));
    }

    /** Produces the segment's current rows again and deletes it once Pinot serves none from it; rows produced. */
    private long rewrite(Table table, SegmentZKMetadata metadata) throws InterruptedException {
        String segment = metadata.getSegmentName();
        Set<String> current = new HashSet<>();
        for (JsonNode row : sql.rows("SELECT " + String.join(", ", table.keyColumns()) + ", " + table.comparisonColumn()
                + " FROM " + table.name() + " WHERE $segmentName = " + BrokerSql.literal(segment) + " LIMIT " + LIMIT, null)) {
            StringBuilder id = new StringBuilder();
            row.forEach(v -> id.append(v.asText()).append(SEP));
            current.add(id.toString());
        }
        long produced = current.isEmpty() ? 0 : produceAgain(table, metadata, current);
        Instant deadline = Instant.now().plus(takenUpWithin);
        while (servedRows(table, segment) > 0) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Pinot still serves rows from it " + takenUpWithin + " after they were sent again");
            }
            Thread.sleep(250);
        }
        PinotResourceManagerResponse deleted = resources.deleteSegment(table.nameWithType(), segment);
        if (!deleted.isSuccessful()) throw new IllegalStateException("delete failed: " + deleted.getMessage());
        LOG.info("purge of {}: segment {} rewritten ({} current rows sent again) and deleted", table.name(), segment, produced);
        return produced;
    }

    private long servedRows(Table table, String segment) {
        JsonNode rows = sql.rows("SELECT COUNT(*) FROM " + table.name() + " WHERE $segmentName = "
                + BrokerSql.literal(segment), null);
        if (rows.size() != 1) throw new IllegalStateException("a count of the rows served from " + segment + " returned " + rows);
        return rows.get(0).get(0).asLong();
    }

    /** Finds each current row in the segment's offset range and sends it again, byte for byte, to its partition. */
    private long produceAgain(Table table, SegmentZKMetadata metadata, Set<String> current) {
        int partition = LLCSegmentName.of(metadata.getSegmentName()).getPartitionGroupId();
        long start = Long.parseLong(metadata.getStartOffset());
        long end = Long.parseLong(metadata.getEndOffset());
        TopicPartition tp = new TopicPartition(table.topic(), partition);
        Set<String> missing = new HashSet<>(current);
        long produced = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties())) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, start);
            Instant deadline = Instant.now().plus(takenUpWithin);
            while (consumer.position(tp) < end && !missing.isEmpty()) {
                if (Instant.now().isAfter(deadline)) break;
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500)).records(tp)) {
                    if (r.offset() >= end || r.value() == null) continue;
                    String id = idOf(table, r.value());
                    if (id != null && missing.remove(id)) {
                        producer.send(new ProducerRecord<>(table.topic(), partition, r.key(), r.value()));
                        produced++;
                    }
                }
            }
            producer.flush();
            if (!missing.isEmpty()) {
                throw new IllegalStateException(missing.size() + " current rows not found in offsets [" + start + ", " + end
                        + ") of " + tp + whyMissing(table, consumer, tp, start, missing, deadline));
            }
        }
        return produced;
    }

    /**
     * Why current rows are not in their segment's offsets: another record of the same key from the segment's start on
     * (inside its range or after it) means Kafka's compaction (which keeps the latest offset per key) may have removed
     * the row Pinot's upsert (which keeps the highest comparison value) still serves; none at all means the row never
     * was a committed record there. Counts only, never a key.
     */
    private static String whyMissing(Table table, KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long from,
                                     Set<String> missing, Instant deadline) {
        Map<String, Long> wanted = new java.util.HashMap<>();
        for (String id : missing) wanted.put(keyPart(id), comparisonPart(id));
        long lower = 0;
        long equal = 0;
        long higher = 0;
        consumer.seek(tp, from);
        long logEnd = consumer.endOffsets(List.of(tp)).get(tp);
        while (consumer.position(tp) < logEnd && Instant.now().isBefore(deadline.plusSeconds(30))) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500)).records(tp)) {
                String id = r.value() == null ? null : idOf(table, r.value());
                if (id == null) continue;
                Long current = wanted.get(keyPart(id));
                if (current == null) continue;
                long later = comparisonPart(id);
                if (later < current) lower++;
                else if (later == current) equal++;
                else higher++;
            }
        }
        return "; committed records of these keys from the segment's start offset on: " + lower + " with a lower, " + equal
                + " with an equal, " + higher + " with a higher comparison value than the row Pinot serves (a lower one"
                + " alone is what Kafka's compaction keeps while Pinot keeps serving the higher one it removed)";
    }

    private static String keyPart(String id) {
        return id.substring(0, id.lastIndexOf(SEP, id.length() - 2) + 1);
    }

    private static long comparisonPart(String id) {
        String c = id.substring(id.lastIndexOf(SEP, id.length() - 2) + 1, id.length() - 1);
        try {
            return Long.parseLong(c);
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    /** The row's key and comparison value as the broker's answer renders them, or null if it is no JSON object. */
    static String idOf(Table table, byte[] value) {
        try {
            JsonNode row = JSON.readTree(value);
            if (row == null || !row.isObject()) return null;
            StringBuilder id = new StringBuilder();
            for (String c : table.keyColumns()) id.append(row.path(c).asText()).append(SEP);
            id.append(row.path(table.comparisonColumn()).asText()).append(SEP);
            return id.toString();
        } catch (IOException e) {
            return null;
        }
    }

    private Properties consumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // what Pinot consumed
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    private Properties producerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }
}
