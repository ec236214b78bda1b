package de.prokommun.insights.flink;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Test-side Kafka access: writes records with the registry's codecs, reads output read_committed. */
public final class KafkaIO implements AutoCloseable {
    private final String bootstrap;
    private final Settings settings;
    private final KafkaProducer<byte[], byte[]> producer;

    public KafkaIO(String bootstrap, Settings settings) {
        this.bootstrap = bootstrap;
        this.settings = settings;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public <T> void send(Topic<T> topic, String key, T value) throws Exception {
        sendBytes(topic, key, topic.codec().encode(value));
    }

    public void sendBytes(Topic<?> topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic.name(settings), key == null ? null : key.getBytes(StandardCharsets.UTF_8), value)).get();
    }

    /** Reads the topic from the start (read_committed) until {@code done} holds for what was read, or the timeout. */
    public List<ConsumerRecord<byte[], byte[]>> readUntil(Topic<?> topic, Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
                                                          Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic.name(settings)));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !done.test(out)) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    public static <T> List<T> decode(Topic<T> topic, List<ConsumerRecord<byte[], byte[]>> records) {
        List<T> out = new ArrayList<>();
        records.forEach(r -> out.add(topic.codec().decode(r.value())));
        return out;
    }

    @Override
    public void close() {
        producer.close();
    }
}
