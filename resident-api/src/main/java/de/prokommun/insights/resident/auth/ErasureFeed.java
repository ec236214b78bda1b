package de.prokommun.insights.resident.auth;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.ErasureMark;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every instance's erasures from the topic {@code resident-erasures} into this instance's {@link ErasureRegister}:
 * from the beginning at start, then following the topic. Each round asks Kafka for the end of every partition, reads up
 * to it and then tells the register that it holds every erasure written before the round began ({@link
 * ErasureRegister#caughtUp}). Rounds follow each other every 200 ms, and at once when a request waits for one
 * ({@link ErasureRegister#awaitDemand}), so a request pays about one round trip to Kafka, not a polling interval. While Kafka cannot be reached the register stops advancing and requests answer 503 —
 * an instance that does not know whether a resident was erased never serves the old token.
 * <p>No consumer group: every instance reads the whole topic. One thread of its own; the consumer is used by it only.
 */
public final class ErasureFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ErasureFeed.class);
    /** How long one poll waits for the erasures a round still has to read (it returns as soon as they arrive). */
    private static final Duration POLL = Duration.ofMillis(100);
    /** Between rounds while no request waits: how current the register stays on its own. */
    private static final Duration PAUSE = Duration.ofMillis(200);
    private static final Duration KAFKA_CALL = Duration.ofSeconds(5);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final ErasureRegister register;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long read;

    ErasureFeed(Consumer<String, byte[]> consumer, String topic, ErasureRegister register, Clock clock) {
        this.consumer = consumer;
        this.topic = topic;
        this.register = register;
        this.clock = clock;
        this.thread = new Thread(this::run, "resident-erasure-feed");
        this.thread.setDaemon(true);
    }

    /** Starts following the topic of the installation's prefix into the register. */
    public static ErasureFeed start(Settings settings, ErasureRegister register, Clock clock) {
        ErasureFeed feed = new ErasureFeed(new KafkaConsumer<>(properties(settings), new StringDeserializer(),
                new ByteArrayDeserializer()), Topics.RESIDENT_ERASURES.name(settings), register, clock);
        feed.thread.start();
        return feed;
    }

    static Properties properties(Settings settings) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.get(CommonConfig.KAFKA_BOOTSTRAP));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "prokommun-resident-api-erasures");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }

    /** Erasure marks read so far (for tests and logs). */
    public long read() { return read; }

    private void run() {
        try {
            follow();
        } finally {
            consumer.close(Duration.ofSeconds(5)); // here: a Kafka consumer may be used by one thread only
        }
    }

    private void follow() {
        List<TopicPartition> partitions = null;
        long lastWarning = 0;
        while (running) {
            try {
                if (partitions == null) {
                    partitions = partitions();
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                }
                Instant round = clock.instant();
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, KAFKA_CALL);
                while (running && !reached(ends)) apply(consumer.poll(POLL));
                if (!running) return; // stopped before the end: the register must not claim to be current
                register.caughtUp(round);
                // a waiting request starts the next round at once (a round costs one round trip to Kafka)
                register.awaitDemand(PAUSE);
            } catch (WakeupException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // Kafka unreachable or the topic missing: the register stops advancing, requests wait and then get 503
                if (System.nanoTime() - lastWarning > 30_000_000_000L) {
                    LOG.warn("cannot read the erasure register topic {}: {}", topic, e.toString());
                    lastWarning = System.nanoTime();
                }
                sleep();
            }
        }
    }

    private List<TopicPartition> partitions() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, KAFKA_CALL);
        if (infos == null || infos.isEmpty()) throw new IllegalStateException("topic " + topic + " does not exist");
        return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
    }

    private boolean reached(Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey(), KAFKA_CALL) < end.getValue()) return false;
        }
        return true;
    }

    private void apply(Iterable<ConsumerRecord<String, byte[]>> records) {
        for (ConsumerRecord<String, byte[]> r : records) {
            if (r.value() == null) continue; // a compaction tombstone: nothing to remember
            ErasureMark mark;
            try {
                mark = Topics.RESIDENT_ERASURES.codec().decode(r.value());
            } catch (RuntimeException e) {
                // an undecodable mark cannot be ignored silently, but must not stop every instance: logged by position
                LOG.error("erasure mark at {}-{}@{} cannot be decoded: {}", r.topic(), r.partition(), r.offset(), e.toString());
                continue;
            }
            register.erased(mark.getCity(), mark.getPseudonym(), Instant.ofEpochMilli(mark.getErasedAt()));
            read++;
        }
    }

    private void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
