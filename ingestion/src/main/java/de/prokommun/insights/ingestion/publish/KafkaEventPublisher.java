package de.prokommun.insights.ingestion.publish;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.RecordKeys;
import de.prokommun.insights.contract.Topic;
import de.prokommun.insights.contract.RecordKeys;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.InteractionEvent;
import de.prokommun.insights.http.IdempotentProducer;
import de.prokommun.insights.ingestion.IngestionConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes raw events to {@link Topics#RAW_EVENTS} with an idempotent producer (acks=all). A request's
 * future completes only after Kafka acknowledged every one of its records, on the caller's Vert.x context.
 */
public final class KafkaEventPublisher implements EventPublisher {

    private final Vertx vertx;
    private final Producer<String, byte[]> producer;
    private final Topic<InteractionEvent> topic = Topics.RAW_EVENTS;
    private final String topicName;

    public KafkaEventPublisher(Vertx vertx, Producer<String, byte[]> producer, Settings settings) {
        this.vertx = vertx;
        this.producer = producer;
        this.topicName = topic.name(settings);
    }

    /** A publisher with a producer configured from the settings. */
    public static KafkaEventPublisher create(Vertx vertx, Settings settings) {
        return new KafkaEventPublisher(vertx, newProducer(settings), settings);
    }

    /** The ingestion's raw-events producer (acks=all, idempotent), also for bulk writers of history. */
    public static Producer<String, byte[]> newProducer(Settings settings) {
        return new KafkaProducer<>(producerProperties(settings), new StringSerializer(), new ByteArraySerializer());
    }

    static Properties producerProperties(Settings settings) {
        Duration delivery = settings.get(IngestionConfig.DELIVERY_TIMEOUT);
        Duration linger = settings.get(IngestionConfig.LINGER);
        // Kafka requires delivery.timeout >= linger + request.timeout
        Duration requestTimeout = Duration.ofMillis(Math.max(1, Math.min(30_000, delivery.toMillis() - linger.toMillis())));
        Properties p = IdempotentProducer.properties(settings, "prokommun-ingestion", delivery, linger, requestTimeout,
                settings.get(IngestionConfig.MAX_BLOCK));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, settings.get(IngestionConfig.COMPRESSION));
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, settings.get(IngestionConfig.BATCH_BYTES));
        return p;
    }

    @Override
    public Future<Void> publish(List<InteractionEvent> events) {
        if (events.isEmpty()) return Future.succeededFuture();
        Context context = vertx.getOrCreateContext();
        Promise<Void> acknowledged = Promise.promise();
        AcknowledgementCounter counter = new AcknowledgementCounter(events.size(), context, acknowledged);
        // send() blocks while metadata or buffer space is missing (up to max.block): keep it off the event loop
        vertx.executeBlocking(() -> {
            for (InteractionEvent event : events) {
                producer.send(new ProducerRecord<>(topicName, RecordKeys.keyOf(event), topic.codec().encode(event)),
                        (metadata, error) -> counter.record(error));
            }
            return null;
        }, false).onFailure(counter::failAll);
        return acknowledged.future();
    }

    @Override
    public Future<Void> close() {
        return vertx.executeBlocking(() -> {
            producer.close(Duration.ofSeconds(10));
            return null;
        });
    }

    /** Completes the request's promise on its own context once every record is acknowledged or one failed. */
    private static final class AcknowledgementCounter {
        private final AtomicInteger outstanding;
        private final AtomicBoolean done = new AtomicBoolean();
        private final Context context;
        private final Promise<Void> promise;

        AcknowledgementCounter(int records, Context context, Promise<Void> promise) {
            this.outstanding = new AtomicInteger(records);
            this.context = context;
            this.promise = promise;
        }

        void record(Exception error) {
            if (error != null) {
                failAll(error);
            } else if (outstanding.decrementAndGet() == 0 && done.compareAndSet(false, true)) {
                context.runOnContext(v -> promise.complete());
            }
        }

        void failAll(Throwable error) {
            if (done.compareAndSet(false, true)) {
                PublishFailedException failure = new PublishFailedException(
                        "Kafka did not acknowledge the events: " + error.getMessage(), error);
                context.runOnContext(v -> promise.fail(failure));
            }
        }
    }
}
