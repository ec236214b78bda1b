package de.prokommun.insights.query.health;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Kafka figures: lag per consumer group (end offsets minus committed offsets, AdminClient), the number of
 * dead letters (counted by a read_committed consumer, so transaction markers are not mistaken for letters;
 * the letters' content is never read beyond counting), and the end offsets of a topic for the Pinot probe.
 * End offsets are the last stable ones (read_committed): a record written inside a Flink job's open transaction is
 * not yet there for the next stage. Counted from the high watermark, the wait for the writer's checkpoint was
 * charged twice: to the writer's stage and again to the reader's (the freshness tile added about a second per hop).
 */
final class KafkaProbe implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 3;
    private static final long PARTITIONS_TTL_MILLIS = 30_000;
    private final Admin admin;
    private final Map<String, Described> partitions = new java.util.HashMap<>();
    private final KafkaConsumer<byte[], byte[]> deadLetterCounter;
    private final KafkaConsumer<byte[], byte[]> gapReader;
    private final String deadLetterTopic;
    private long deadLetters;
    private boolean assigned;

    KafkaProbe(String bootstrap, String deadLetterTopic) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        // Kafka refuses an API timeout below the request timeout (default 30 s): the admin client would not start.
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        this.admin = Admin.create(p);
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.deadLetterCounter = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.deadLetterTopic = deadLetterTopic;
        this.gapReader = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * The offset of the first committed record in [from, to) of a partition, or {@code to} when the range holds only
     * transaction markers (which take offsets but are no rows). Only the offset is looked at, never a record's content.
     */
    long firstCommittedRecord(String topic, int partition, long from, long to) {
        TopicPartition tp = new TopicPartition(topic, partition);
        gapReader.assign(List.of(tp));
        gapReader.seek(tp, from);
        ConsumerRecords<byte[], byte[]> batch = gapReader.poll(Duration.ofMillis(300));
        return batch.records(tp).stream().mapToLong(r -> r.offset()).filter(o -> o < to).min().orElse(to);
    }

    Reading<Map<String, Long>> consumerLag() {
        try {
            Map<String, Long> lag = new TreeMap<>();
            for (ConsumerGroupListing group : admin.listConsumerGroups().all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
                        .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                Map<TopicPartition, Long> ends = endOffsets(committed.keySet().stream().toList());
                long behind = 0;
                for (var e : committed.entrySet()) {
                    if (e.getValue() == null) continue;
                    behind += Math.max(0, ends.getOrDefault(e.getKey(), 0L) - e.getValue().offset());
                }
                lag.put(group.groupId(), behind);
            }
            return Reading.of(lag);
        } catch (Exception e) {
            return Reading.failed("Kafka unreachable: " + e.getMessage());
        }
    }

    /** Counts the letters that arrived since the last call (the consumer only moves forward). */
    Reading<Long> deadLetters() {
        try {
            if (!assigned) {
                List<TopicPartition> partitions = admin.describeTopics(List.of(deadLetterTopic)).allTopicNames()
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(deadLetterTopic).partitions().stream()
                        .map(i -> new TopicPartition(deadLetterTopic, i.partition())).toList();
                deadLetterCounter.assign(partitions);
                deadLetterCounter.seekToBeginning(partitions);
                assigned = true;
            }
            ConsumerRecords<byte[], byte[]> batch;
            do {
                batch = deadLetterCounter.poll(Duration.ofMillis(200));
                deadLetters += batch.count();
            } while (!batch.isEmpty());
            return Reading.of(deadLetters);
        } catch (Exception e) {
            return Reading.failed("dead-letter topic unreadable: " + e.getMessage());
        }
    }

    /** The offsets a consumer group has committed on a topic, per partition (none yet: empty). */
    Map<Integer, Long> committedOffsets(String group, String topic) throws Exception {
        Map<Integer, Long> out = new HashMap<>();
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .forEach((tp, offset) -> {
                    if (offset != null && tp.topic().equals(topic)) out.put(tp.partition(), offset.offset());
                });
        return out;
    }

    Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
        return endOffsets(partitionsOf(topic));
    }

    /** A topic's partitions, described again every {@link #PARTITIONS_TTL_MILLIS}: end offsets are asked 4× a second. */
    private List<TopicPartition> partitionsOf(String topic) throws Exception {
        long now = System.currentTimeMillis();
        synchronized (partitions) {
            Described known = partitions.get(topic);
            if (known != null && now - known.atMillis() < PARTITIONS_TTL_MILLIS) return known.partitions();
        }
        List<TopicPartition> described = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic).partitions().stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        synchronized (partitions) {
            partitions.put(topic, new Described(now, described));
        }
        return described;
    }


    private record Described(long atMillis, List<TopicPartition> partitions) {}

    private Map<TopicPartition, Long> endOffsets(List<TopicPartition> partitions) throws Exception {
        if (partitions.isEmpty()) return Map.of();
        Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> info = admin.listOffsets(latest,
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, Long> out = new HashMap<>();
        info.forEach((tp, i) -> out.put(tp, i.offset()));
        return out;
    }

    @Override
    public void close() {
        deadLetterCounter.close(Duration.ofSeconds(2));
        gapReader.close(Duration.ofSeconds(2));
        admin.close(Duration.ofSeconds(2));
    }
}
