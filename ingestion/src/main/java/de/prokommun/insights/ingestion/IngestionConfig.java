package de.prokommun.insights.ingestion;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.ConfigKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Every key the ingestion service reads (plus {@link CommonConfig}: Kafka bootstrap and topic prefix). */
public final class IngestionConfig {
    private IngestionConfig() {}

    public static final ConfigKey<String> HOST = ConfigKey.string("ingestion.http.host", "127.0.0.1",
            "Interface the HTTP endpoint binds to (loopback unless deployed behind a proxy)");
    public static final ConfigKey<Integer> PORT = ConfigKey.integer("ingestion.http.port", 0,
            "HTTP port; 0 picks a free port, which is reported on start-up");
    /** Declared in {@link CommonConfig}: the query service reads the same directory. */
    public static final ConfigKey<String> PARTICIPANTS_FILE = CommonConfig.PARTICIPANTS_FILE;
    public static final ConfigKey<Long> MAX_BODY_BYTES = ConfigKey.longKey("ingestion.max.body.bytes", 1_048_576L,
            "Largest accepted request body in bytes; larger requests get 413");
    public static final ConfigKey<Integer> MAX_BATCH_EVENTS = ConfigKey.integer("ingestion.max.batch.events", 1000,
            "Most events in one request; larger batches get 413");
    public static final ConfigKey<Duration> DELIVERY_TIMEOUT = ConfigKey.duration("ingestion.kafka.delivery.timeout",
            Duration.ofSeconds(10),
            "How long Kafka may take to acknowledge a record (acks=all) before the request is answered 503");
    public static final ConfigKey<Duration> MAX_BLOCK = ConfigKey.duration("ingestion.kafka.max.block",
            Duration.ofSeconds(5),
            "How long a send may wait for topic metadata or buffer space before the request is answered 503");
    public static final ConfigKey<Duration> LINGER = ConfigKey.duration("ingestion.kafka.linger", Duration.ofMillis(5),
            "How long the producer waits to fill a batch (throughput against latency)");
    public static final ConfigKey<String> COMPRESSION = ConfigKey.string("ingestion.kafka.compression", "lz4",
            "Compression of producer batches: none, gzip, snappy, lz4 or zstd");
    public static final ConfigKey<Integer> INSTANCES = ConfigKey.integer("ingestion.instances", 0,
            "HTTP verticle instances sharing the port, one event loop each; 0 = one per available core");
    public static final ConfigKey<Integer> BATCH_BYTES = ConfigKey.integer("ingestion.kafka.batch.bytes", 262_144,
            "Producer batch.size per partition in bytes (large batches carry large requests in few Kafka round trips)");
    public static final ConfigKey<Duration> RETRY_AFTER = ConfigKey.duration("ingestion.retry.after", Duration.ofSeconds(5),
            "Value of the Retry-After header when Kafka cannot take events (503)");

    public static final ConfigKey<Integer> RECENT_EVENT_IDS = ConfigKey.integer("ingestion.recent-event-ids", 200_000,
            "How many recently accepted (participant, eventId) pairs the service remembers with a hash of their body,"
                    + " so that an id re-used with a different body is answered 409 (about 200 bytes each; 0 = only"
                    + " within one request); forgotten oldest first and on restart");
    public static final ConfigKey<Boolean> RETENTION_ENFORCED = ConfigKey.bool("ingestion.retention.enforce", true,
            "Refuse (422) a purchase older than its city keeps purchases (city.json retention.purchasesYears, judged"
                    + " against this service's clock). Off only to replay old sample data into a fresh pipeline whose"
                    + " stream clock is still in the past (the profile job then retracts such purchases once its clock"
                    + " passes their expiry)");

    public static final ConfigKey<Boolean> METRICS_OPEN = ConfigKey.bool("ingestion.metrics.open", false,
            "GET /metrics without an API key. Off (default): only an operator's API key may read the counters (they"
                    + " tell who is rejected how often). On only where the HTTP port is reachable by the monitoring alone"
                    + " (loopback in local mode, a management network in a cluster)");

    public static final ConfigKey<Boolean> AUDIT_REFUSALS = ConfigKey.bool("ingestion.audit.refusals", true,
            "Write every refused request (4xx other than 404/405: asker, route, status, reason, fingerprint; never a"
                    + " key or an event) to the topic ingestion-refusals, bounded per 10 minutes as the query service's"
                    + " audit is; the query service writes them into the operator's audit of refusals (issue 15)");

    public static final List<ConfigKey<?>> OWN = List.of(HOST, PORT, MAX_BODY_BYTES, METRICS_OPEN, AUDIT_REFUSALS,
            MAX_BATCH_EVENTS, DELIVERY_TIMEOUT, MAX_BLOCK, LINGER, COMPRESSION, INSTANCES, BATCH_BYTES, RETRY_AFTER,
            RECENT_EVENT_IDS, RETENTION_ENFORCED);

    /** Own keys and the common ones the service reads. */
    public static List<ConfigKey<?>> all() {
        List<ConfigKey<?>> keys = new ArrayList<>(OWN);
        keys.add(CommonConfig.KAFKA_BOOTSTRAP);
        keys.add(CommonConfig.TOPIC_PREFIX);
        keys.add(CommonConfig.PARTICIPANTS_FILE);
        keys.add(CommonConfig.CITIES_DIR);
        return List.copyOf(keys);
    }
}
