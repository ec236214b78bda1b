package de.prokommun.insights.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topic;
import de.prokommun.insights.contract.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {

    @TempDir
    Path dataDir;

    private final Settings settings = Settings.of(Map.of("topics.prefix", "it.", "kafka.retention.short", "2h"));

    @Test
    void createsTopicsWithTheirRetentionAndKeepsCommittedRecordsAcrossARestart() throws Exception {
        int brokerPort = FreePorts.next();
        int controllerPort = FreePorts.next();
        String topic = Topics.RAW_EVENTS.name(settings);

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, brokerPort, controllerPort)) {
            kafka.createTopics(settings, 2);
            kafka.createTopics(settings, 2); // idempotent: existing topics are fine

            try (Admin admin = admin(kafka)) {
                Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                assertThat(names).containsAll(Topics.ALL.stream().map(t -> t.name(settings)).toList());
                assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(2);
                assertThat(topicConfig(admin, Topics.RAW_EVENTS).get(TopicConfig.RETENTION_MS_CONFIG).value())
                        .isEqualTo(String.valueOf(Duration.ofHours(2).toMillis()));
                assertThat(topicConfig(admin, Topics.PROFILES).get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
                        .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
                assertThat(topicConfig(admin, Topics.CONTRIBUTIONS).get(TopicConfig.RETENTION_MS_CONFIG).value())
                        .isEqualTo(String.valueOf(Duration.ofDays(3650).toMillis()));
                // issue 14: Kafka deletes and compacts inactive segments only; they roll hourly, compaction is forced
                String hour = String.valueOf(Duration.ofHours(1).toMillis());
                assertThat(topicConfig(admin, Topics.RAW_EVENTS).get(TopicConfig.SEGMENT_MS_CONFIG).value()).isEqualTo(hour);
                assertThat(topicConfig(admin, Topics.PROFILES).get(TopicConfig.SEGMENT_MS_CONFIG).value()).isEqualTo(hour);
                assertThat(topicConfig(admin, Topics.PROFILES).get(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG).value())
                        .isEqualTo(hour);
                assertThat(topicConfig(admin, Topics.RESIDENT_ERASURES).get(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG).value())
                        .isEqualTo(hour);
                assertThat(topicConfig(admin, Topics.PERSON_RECORDS).get(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG).value())
                        .as("person-records is keyed by the record: compaction forced like profiles").isEqualTo(hour);
                Map<String, ConfigEntry> broker = brokerConfig(admin);
                assertThat(broker.get("transactional.id.expiration.ms").value())
                        .as("a finished transaction's name is not kept 7 days")
                        .isEqualTo(String.valueOf(EmbeddedKafka.TRANSACTIONAL_ID_EXPIRATION.toMillis()));
                assertThat(broker.get("transaction.remove.expired.transaction.cleanup.interval.ms").value())
                        .isEqualTo(String.valueOf(EmbeddedKafka.EXPIRED_TRANSACTION_CLEANUP_INTERVAL.toMillis()));
                assertThat(broker.get("producer.id.expiration.ms").value()).as("a producer's state is not kept a day")
                        .isEqualTo(String.valueOf(EmbeddedKafka.PRODUCER_ID_EXPIRATION.toMillis()));
            }

            try (KafkaProducer<String, String> producer = transactionalProducer(kafka)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, "resident-1", "committed")).get();
                producer.commitTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, "resident-1", "aborted")).get();
                producer.abortTransaction();
            }
            assertThat(readCommitted(kafka, topic, 1)).containsExactly("resident-1=committed");
        }

        Settings changed = Settings.of(Map.of("topics.prefix", "it.", "kafka.retention.short", "3h",
                "kafka.compaction.max-lag", "30m"));
        try (EmbeddedKafka restarted = EmbeddedKafka.start(dataDir, brokerPort, controllerPort)) {
            restarted.createTopics(changed, 2);
            assertThat(restarted.bootstrapServers()).endsWith(":" + brokerPort);
            assertThat(readCommitted(restarted, topic, 1)).containsExactly("resident-1=committed");
            try (Admin admin = admin(restarted)) {
                assertThat(topicConfig(admin, Topics.RAW_EVENTS).get(TopicConfig.RETENTION_MS_CONFIG).value())
                        .as("an existing topic gets the configuration of its class").isEqualTo(String.valueOf(Duration.ofHours(3).toMillis()));
                assertThat(topicConfig(admin, Topics.PROFILES).get(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG).value())
                        .isEqualTo(String.valueOf(Duration.ofMinutes(30).toMillis()));
                assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(2);
            }
        }
    }

    /**
     * A superseded version in a compacted topic keyed by the row (an erased person's profile before the deletion row)
     * is compacted away once the maximum compaction lag has passed, although far less than half of the topic is dirty:
     * Kafka's default (compaction only at half dirty, 7-day segments) would keep it for good in a topic that mostly
     * holds current rows.
     */
    @Test
    void aSupersededVersionOfACompactedTopicIsGoneAfterTheMaximumCompactionLag() throws Exception {
        Settings fast = Settings.of(Map.of("topics.prefix", "it.", "kafka.segment.max-age", "1s",
                "kafka.compaction.max-lag", "1s"));
        String topic = Topics.PROFILES.name(fast);
        int others = 1_000;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir)) {
            kafka.createTopics(fast, 1);
            try (KafkaProducer<String, String> producer = producer(kafka)) {
                // a topic of current rows: every key written twice, then compacted once (the log is clean after it)
                for (String value : List.of("first", "live")) {
                    for (int i = 0; i < others; i++) producer.send(new ProducerRecord<>(topic, "other-" + i, value));
                }
                producer.flush();
                awaitWithTicks(kafka, producer, topic, seen -> !seen.contains("other-0=first"));
                // the erased person's versions are a tiny dirty share of the topic
                producer.send(new ProducerRecord<>(topic, "erased", "profile with age band and district")).get();
                producer.send(new ProducerRecord<>(topic, "erased", "deleted")).get();
                List<String> seen = awaitWithTicks(kafka, producer, topic,
                        s -> !s.contains("erased=profile with age band and district"));
                assertThat(seen).as("the superseded version is compacted away").doesNotContain(
                        "erased=profile with age band and district");
                assertThat(seen).as("the newest version of every key stays").contains("erased=deleted", "other-0=live",
                        "other-999=live");
            }
        }
    }

    /** Reads the topic every second, writing one record before each read, until {@code done} or 120 s have passed. */
    private static List<String> awaitWithTicks(EmbeddedKafka kafka, KafkaProducer<String, String> producer, String topic,
                                               java.util.function.Predicate<List<String>> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        List<String> seen;
        int ticks = 0;
        do {
            Thread.sleep(1_100);
            // a segment rolls on the first write after segment.ms: the pipeline writes to these topics all along
            producer.send(new ProducerRecord<>(topic, "tick", String.valueOf(++ticks))).get();
            seen = readCommitted(kafka, topic, 1);
        } while (!done.test(seen) && System.nanoTime() < deadline);
        return seen;
    }

    private static KafkaProducer<String, String> producer(EmbeddedKafka kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private static Map<String, org.apache.kafka.clients.admin.ConfigEntry> topicConfig(Admin admin, Topic<?> topic)
            throws Exception {
        Settings s = Settings.of(Map.of("topics.prefix", "it."));
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name(s));
        Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        return config.entries().stream().collect(Collectors.toMap(e -> e.name(), e -> e));
    }

    private static Map<String, ConfigEntry> brokerConfig(Admin admin) throws Exception {
        String node = String.valueOf(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).iterator().next().id());
        ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, node);
        Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        return config.entries().stream().collect(Collectors.toMap(ConfigEntry::name, e -> e));
    }

    private static Admin admin(EmbeddedKafka kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static KafkaProducer<String, String> transactionalProducer(EmbeddedKafka kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-kafka-it");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    /** Reads the whole topic with read_committed until {@code expected} records or the end offsets are seen. */
    private static List<String> readCommitted(EmbeddedKafka kafka, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && !reachedEnd(consumer, end)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(r.key() + "=" + r.value());
                }
            }
        }
        assertThat(seen).as("records read").hasSizeGreaterThanOrEqualTo(expected);
        return seen;
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
