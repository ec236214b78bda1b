package de.prokommun.insights.http;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.IngestionRefusal;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a service's refusals to the topic {@code ingestion-refusals} (the one the query service reads into the
 * operator's audit), keyed by city; ingestion and the resident API share it. A producer of its own, apart from the
 * service's events (whose transactions and acks=all the audit does not need): a refusal that cannot be written is
 * logged (at most every 30 s), never retried at the cost of accepted events, and never blocks an event loop for long.
 */
public final class RefusalTopicWriter implements Consumer<IngestionRefusal>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RefusalTopicWriter.class);
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final AtomicLong lastWarning = new AtomicLong();

    private RefusalTopicWriter(KafkaProducer<String, byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /** {@code clientId} names the service in the broker's view (e.g. prokommun-ingestion-refusals). */
    public static RefusalTopicWriter create(Settings settings, String clientId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.get(CommonConfig.KAFKA_BOOTSTRAP));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        // send() must not block an event loop for long when Kafka is away: give up on metadata after a second
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000);
        return new RefusalTopicWriter(new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer()),
                Topics.INGESTION_REFUSALS.name(settings));
    }

    @Override
    public void accept(IngestionRefusal refusal) {
        try {
            producer.send(new ProducerRecord<>(topic, refusal.getCity(), Topics.INGESTION_REFUSALS.codec().encode(refusal)),
                    (meta, e) -> { if (e != null) warn(refusal, e); });
        } catch (RuntimeException e) {
            warn(refusal, e);
        }
    }

    private void warn(IngestionRefusal refusal, Exception e) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last > 30_000_000_000L && lastWarning.compareAndSet(last, now)) {
            LOG.warn("could not write the refusal {} {} of {} to {} for the audit: {}", refusal.getStatus(),
                    refusal.getRoute(), refusal.getAsker(), topic, e.toString());
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
