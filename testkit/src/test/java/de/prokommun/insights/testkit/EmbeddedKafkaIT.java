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

        try (EmbeddedKafka restarted = EmbeddedKafka.start(dataDir, brokerPort, controllerPort)) {
            restarted.createTopics(settings, 2);
            assertThat(restarted.bootstrapServers()).endsWith(":" + brokerPort);
            assertThat(readCommitted(restarted, topic, 1)).containsExactly("resident-1=committed");
        }
    }

    private static Map<String, org.apache.kafka.clients.admin.ConfigEntry> topicConfig(Admin admin, Topic<?> topic)
            throws Exception {
        Settings s = Settings.of(Map.of("topics.prefix", "it."));
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name(s));
        Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        return config.entries().stream().collect(Collectors.toMap(e -> e.name(), e -> e));
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
