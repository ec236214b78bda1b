package de.prokommun.insights.resident.changes;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.RecordKeys;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.ErasureMark;
import de.prokommun.insights.events.InteractionEvent;
import de.prokommun.insights.http.IdempotentProducer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a resident's change events to the raw topic exactly as ingestion does: idempotent producer,
 * acks=all, keyed by {@link RecordKeys} (city and resident reference), so the person's events stay in order. The future
 * succeeds only once Kafka acknowledged every event; otherwise it fails with {@link PublishFailedException} (503).
 */
public final class RawEventPublisher implements AutoCloseable {

    private final Vertx vertx;
    private final Producer<String, byte[]> producer;
    private final String topic;
    private final String erasureTopic;

    public RawEventPublisher(Vertx vertx, Producer<String, byte[]> producer, Settings settings) {
        this.vertx = vertx;
        this.producer = producer;
        this.topic = Topics.RAW_EVENTS.name(settings);
        this.erasureTopic = Topics.RESIDENT_ERASURES.name(settings);
    }

    public static RawEventPublisher create(Vertx vertx, Settings settings, Duration deliveryTimeout) {
        return new RawEventPublisher(vertx, new KafkaProducer<>(properties(settings, deliveryTimeout),
                new StringSerializer(), new ByteArraySerializer()), settings);
    }

    static Properties properties(Settings settings, Duration deliveryTimeout) {
        Duration delivery = Duration.ofMillis(Math.max(2, deliveryTimeout.toMillis()));
        return IdempotentProducer.properties(settings, "prokommun-resident-api", delivery, Duration.ZERO,
                delivery.minusMillis(1), delivery);
    }

    public Future<Void> publish(List<InteractionEvent> events) {
        return send(events.stream().map(event -> new ProducerRecord<>(topic, RecordKeys.keyOf(event),
                Topics.RAW_EVENTS.codec().encode(event))).toList());
    }

    /**
     * Writes an erasure to the shared erasure register (topic {@code resident-erasures}, keyed city/pseudonym), from which
     * every instance learns it; succeeds once Kafka acknowledged it.
     */
    public Future<Void> publishErasure(ErasureMark mark) {
        return send(List.of(new ProducerRecord<>(erasureTopic, mark.getCity() + '/' + mark.getPseudonym(),
                Topics.RESIDENT_ERASURES.codec().encode(mark))));
    }

    private Future<Void> send(List<ProducerRecord<String, byte[]>> records) {
        if (records.isEmpty()) return Future.succeededFuture();
        Context context = vertx.getOrCreateContext();
        Promise<Void> acknowledged = Promise.promise();
        AtomicInteger outstanding = new AtomicInteger(records.size());
        // send() blocks while metadata is missing (up to max.block): keep it off the event loop
        vertx.executeBlocking(() -> {
            for (ProducerRecord<String, byte[]> record : records) {
                producer.send(record, (metadata, error) -> {
                    if (error != null) {
                        context.runOnContext(v -> acknowledged.tryFail(new PublishFailedException(error)));
                    } else if (outstanding.decrementAndGet() == 0) {
                        context.runOnContext(v -> acknowledged.tryComplete());
                    }
                });
            }
            return null;
        }, false).onFailure(e -> acknowledged.tryFail(new PublishFailedException(e)));
        return acknowledged.future();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
