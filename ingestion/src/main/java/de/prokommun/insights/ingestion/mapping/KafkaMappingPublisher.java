package de.prokommun.insights.ingestion.mapping;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topic;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.ProductGroupMapping;
import de.prokommun.insights.http.IdempotentProducer;
import de.prokommun.insights.ingestion.IngestionConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes mappings to {@link Topics#PRODUCT_GROUP_MAPPINGS} with an idempotent producer (acks=all). Mapping
 * uploads are rare, so the producer is its own (the event producer stays tuned for throughput) and is created
 * on the first upload only; it waits on a worker thread, never on the event loop.
 */
public final class KafkaMappingPublisher implements MappingPublisher {

    private final Vertx vertx;
    private final Settings settings;
    private final Topic<ProductGroupMapping> topic = Topics.PRODUCT_GROUP_MAPPINGS;
    private final String topicName;
    private final Duration timeout;
    private Producer<String, byte[]> producer;
    private boolean closed;

    public KafkaMappingPublisher(Vertx vertx, Settings settings) {
        this.vertx = vertx;
        this.settings = settings;
        this.topicName = topic.name(settings);
        this.timeout = settings.get(IngestionConfig.DELIVERY_TIMEOUT).plus(settings.get(IngestionConfig.MAX_BLOCK));
    }

    static Properties producerProperties(Settings settings) {
        Duration delivery = settings.get(IngestionConfig.DELIVERY_TIMEOUT);
        return IdempotentProducer.properties(settings, "prokommun-ingestion-mappings", delivery, Duration.ZERO,
                Duration.ofMillis(Math.max(1, Math.min(30_000, delivery.toMillis()))), settings.get(IngestionConfig.MAX_BLOCK));
    }

    @Override
    public Future<Void> publish(List<ProductGroupMapping> mappings) {
        return vertx.executeBlocking(() -> {
            Producer<String, byte[]> p = producer();
            List<java.util.concurrent.Future<RecordMetadata>> acks = new ArrayList<>(mappings.size());
            try {
                for (ProductGroupMapping m : mappings) {
                    acks.add(p.send(new ProducerRecord<>(topicName, MappingPublisher.keyOf(m), topic.codec().encode(m))));
                }
                long deadline = System.nanoTime() + timeout.toNanos();
                for (var ack : acks) ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
                throw new IllegalStateException("Kafka did not acknowledge the mappings: " + cause, cause);
            }
            return null;
        }, false);
    }

    private synchronized Producer<String, byte[]> producer() {
        if (closed) throw new IllegalStateException("the mapping publisher is closed");
        if (producer == null) {
            producer = new KafkaProducer<>(producerProperties(settings), new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @Override
    public Future<Void> close() {
        return vertx.executeBlocking(() -> {
            Producer<String, byte[]> p;
            synchronized (this) {
                closed = true;
                p = producer;
                producer = null;
            }
            if (p != null) p.close(Duration.ofSeconds(10));
            return null;
        });
    }
}
