package de.prokommun.insights.query.audit;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.IngestionRefusal;
import de.prokommun.insights.privacy.audit.AuditLog;
import de.prokommun.insights.privacy.audit.RefusalEntry;
import de.prokommun.insights.query.QueryConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes ingestion's refusals (topic {@code ingestion-refusals}) into this service's audit log, so the operator's view
 * {@code GET /api/v1/audit/refusals} lists a forged follow's 403 or a guessed key's 401 at ingestion beside the query
 * service's own refusals (issue 15, finding 5). The records are bounded at their source (ingestion applies the same
 * {@code RefusalFlood}), so they are written as they come, their {@code ×N more} counts included.
 * <p>
 * Consumer group {@link QueryConfig#AUDIT_INGESTION_REFUSALS_GROUP}: offsets are committed after the entries are in the
 * log, so a restart continues where it stopped (a crash between the two writes a few entries twice; none is lost while
 * the topic keeps them). Each instance of the query service keeps its own audit log: give each its own group. One
 * thread of its own; the consumer is used by it only.
 */
public final class IngestionRefusalFeed extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(IngestionRefusalFeed.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final AuditLog log;
    private Thread thread;
    private volatile boolean running = true;
    private volatile long written;

    IngestionRefusalFeed(Consumer<String, byte[]> consumer, String topic, AuditLog log) {
        this.consumer = consumer;
        this.topic = topic;
        this.log = log;
    }

    /** The feed of the installation's topic, or null where Kafka is not configured or the feed is off. */
    public static IngestionRefusalFeed of(Settings settings, AuditLog log) {
        if (!settings.get(QueryConfig.AUDIT_INGESTION_REFUSALS) || !settings.isSet(CommonConfig.KAFKA_BOOTSTRAP)) {
            LOG.warn("ingestion's refusals are not read into the audit ({} off or {} unset)",
                    QueryConfig.AUDIT_INGESTION_REFUSALS.name(), CommonConfig.KAFKA_BOOTSTRAP.name());
            return null;
        }
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.get(CommonConfig.KAFKA_BOOTSTRAP));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.get(QueryConfig.AUDIT_INGESTION_REFUSALS_GROUP));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "prokommun-query-ingestion-refusals");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new IngestionRefusalFeed(new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer()),
                Topics.INGESTION_REFUSALS.name(settings), log);
    }

    /** Entries written so far (for tests and logs). */
    public long written() { return written; }

    @Override
    public Future<?> start() {
        thread = new Thread(this::run, "query-ingestion-refusal-feed");
        thread.setDaemon(true);
        thread.start();
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        running = false;
        consumer.wakeup();
        return vertx.executeBlocking(() -> {
            thread.join(10_000);
            return null;
        });
    }

    private void run() {
        long lastWarning = 0;
        try {
            consumer.subscribe(java.util.List.of(topic));
            while (running) {
                try {
                    ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                    if (records.isEmpty()) continue;
                    for (ConsumerRecord<String, byte[]> r : records) write(r);
                    consumer.commitSync();
                } catch (WakeupException e) {
                    return;
                } catch (RuntimeException e) { // Kafka away: retry, loudly but not per poll
                    if (System.nanoTime() - lastWarning > 30_000_000_000L) {
                        LOG.warn("cannot read ingestion's refusals from {}: {}", topic, e.toString());
                        lastWarning = System.nanoTime();
                    }
                    sleep();
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5)); // here: a Kafka consumer may be used by one thread only
        }
    }

    private void write(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) return;
        IngestionRefusal refusal;
        try {
            refusal = Topics.INGESTION_REFUSALS.codec().decode(r.value());
        } catch (RuntimeException e) { // one unreadable record must not stop the audit of the others
            LOG.error("unreadable refusal at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.toString());
            return;
        }
        log.record(entry(refusal));
        written++;
    }

    static RefusalEntry entry(IngestionRefusal r) {
        return new RefusalEntry(Instant.ofEpochMilli(r.getAt()), r.getCity(), r.getRole(), r.getAsker(), r.getRoute(),
                r.getStatus(), r.getReason(), r.getFingerprint());
    }

    private void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
