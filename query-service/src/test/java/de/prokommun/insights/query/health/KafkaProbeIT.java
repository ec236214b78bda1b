package de.prokommun.insights.query.health;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.testkit.EmbeddedKafka;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The probe against a real broker: what a stage's end offset is while a Flink job's transaction is still open. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaProbeIT {

    private static final String TOPIC = "probe-anonymous-events";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    @TempDir static Path dir;
    private EmbeddedKafka kafka;
    private KafkaProbe probe;

    @BeforeAll
    void start() throws Exception {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1), new NewTopic("probe-dead-letters", 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        probe = new KafkaProbe(kafka.bootstrapServers(), "probe-dead-letters");
    }

    @AfterAll
    void stop() {
        if (probe != null) probe.close();
        if (kafka != null) kafka.close();
    }

    @Test
    void aRecordInAnOpenTransactionHasNotArrivedYetForTheNextStage() throws Exception {
        try (KafkaProducer<byte[], byte[]> writer = transactionalWriter()) {
            writer.initTransactions();
            long start = probe.endOffsets(TOPIC).get(PARTITION);
            writer.beginTransaction();
            for (int i = 0; i < 5; i++) writer.send(new ProducerRecord<>(TOPIC, new byte[] {(byte) i})).get();

            long open = probe.endOffsets(TOPIC).get(PARTITION);
            assertThat(open).as("end offset while the writer's checkpoint is pending").isEqualTo(start);
            assertThat(lagOf("probe-reader", start)).isZero();

            writer.commitTransaction();
            long committed = awaitEndOffsetAbove(open);
            assertThat(committed).as("five records and the commit marker").isEqualTo(start + 6);
            assertThat(probe.firstCommittedRecord(TOPIC, 0, start, committed)).isEqualTo(start);
            assertThat(lagOf("probe-reader", start)).isEqualTo(6);
        }
    }

    /**
     * A Flink source commits the offset after the last record it read (5 here); the writer's commit marker follows
     * (offset 5). The oldest record the reader has not consumed is the next transaction's first (6), not the marker.
     */
    @Test
    void theOldestUnconsumedRecordLiesBeyondTheCommitMarkers() throws Exception {
        try (KafkaProducer<byte[], byte[]> writer = transactionalWriter()) {
            writer.initTransactions();
            long start = probe.endOffsets(TOPIC).get(PARTITION);
            commit(writer, 5);
            long afterFirst = awaitEndOffsetAbove(start);
            assertThat(probe.firstCommittedRecord(TOPIC, 0, start + 5, afterFirst)).as("markers only").isEqualTo(afterFirst);

            commit(writer, 3);
            long afterSecond = awaitEndOffsetAbove(afterFirst);
            assertThat(probe.firstCommittedRecord(TOPIC, 0, start + 5, afterSecond)).isEqualTo(afterFirst);
        }
    }

    private static void commit(KafkaProducer<byte[], byte[]> writer, int records) throws Exception {
        writer.beginTransaction();
        for (int i = 0; i < records; i++) writer.send(new ProducerRecord<>(TOPIC, new byte[] {(byte) i})).get();
        writer.commitTransaction();
    }

    /** The coordinator writes the commit markers after it has answered the writer; the end offset follows them. */
    private long awaitEndOffsetAbove(long offset) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long end = probe.endOffsets(TOPIC).get(PARTITION);
        while (end <= offset && System.nanoTime() < deadline) {
            Thread.sleep(50);
            end = probe.endOffsets(TOPIC).get(PARTITION);
        }
        return end;
    }

    /** The lag of a group that has committed {@code offset}: it counts only what the group could read. */
    private long lagOf(String group, long offset) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            admin.alterConsumerGroupOffsets(group, Map.of(PARTITION, new org.apache.kafka.clients.consumer.OffsetAndMetadata(offset)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        return probe.consumerLag().value().get(group);
    }

    private KafkaProducer<byte[], byte[]> transactionalWriter() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "probe-anonymise-job");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
