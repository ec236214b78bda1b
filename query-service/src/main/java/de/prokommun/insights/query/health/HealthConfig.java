package de.prokommun.insights.query.health;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.ConfigKey;
import java.time.Duration;
import java.util.List;

/**
 * Where the streaming health monitor looks and when a tile turns red. Kafka's and Pinot's locations come
 * from {@link CommonConfig}; an unset URL leaves its tiles "not configured" rather than failing the service.
 */
public final class HealthConfig {
    private HealthConfig() {}

    public static final ConfigKey<String> INGESTION_METRICS_URL = ConfigKey.string("health.ingestion.metrics-url", null,
            "Prometheus text endpoint of the ingestion service (e.g. http://host:port/metrics)");
    public static final ConfigKey<String> FLINK_REST_URL = ConfigKey.string("health.flink.rest-url", null,
            "Base URL of the Flink REST API (JobManager or MiniCluster web endpoint)");
    public static final ConfigKey<Duration> POLL_PERIOD = ConfigKey.duration("health.poll.period",
            Duration.ofSeconds(2), "How often, on average, the monitor samples ingestion, Kafka, Flink and Pinot (each"
                    + " delay drawn from half to one and a half periods, so that samples fall at every phase of the jobs'"
                    + " checkpoint cycle)");
    public static final ConfigKey<Duration> END_OFFSETS_PERIOD = ConfigKey.duration("health.poll.end-offsets-period",
            Duration.ofMillis(250), "How often the monitor samples the end offsets of the raw, anonymous and profile"
                    + " topics (one cheap Kafka request each): the freshness tile is an upper bound that errs high by up"
                    + " to this period per stage");
    public static final ConfigKey<Duration> TREND_WINDOW = ConfigKey.duration("health.trend.window",
            Duration.ofMinutes(15), "How far back each tile's sparkline reaches");
    public static final ConfigKey<Duration> TREND_RESOLUTION = ConfigKey.duration("health.trend.resolution",
            Duration.ofSeconds(10), "One sparkline point per this period (samples in between are not kept)");
    public static final ConfigKey<Long> MAX_CONSUMER_LAG = ConfigKey.longKey("health.threshold.consumer-lag",
            10_000L, "Records a consumer group may be behind before its tile turns red");
    public static final ConfigKey<Duration> MAX_CHECKPOINT_AGE = ConfigKey.duration("health.threshold.checkpoint-age",
            Duration.ofMinutes(2), "Age of a job's last completed checkpoint before its tile turns red");
    public static final ConfigKey<Double> MAX_REJECTED_PER_SECOND = ConfigKey.decimal(
            "health.threshold.rejected-per-second", 5.0, "Rejected ingestion requests per second before the tile turns red");
    public static final ConfigKey<Double> MAX_BACKPRESSURE = ConfigKey.decimal("health.threshold.backpressure",
            0.5, "Highest backpressure ratio (0..1) of any task before the tile turns red");
    public static final ConfigKey<Long> MAX_DEAD_LETTERS = ConfigKey.longKey("health.threshold.dead-letters", 0L,
            "Dead letters tolerated before the tile turns red (each one is an event that needs a look)");
    public static final ConfigKey<Duration> MAX_PINOT_FRESHNESS = ConfigKey.duration("health.threshold.pinot-freshness",
            Duration.ofSeconds(10), "How long an accepted event may wait until it is visible in Pinot");
    public static final ConfigKey<String> ANONYMISE_GROUP = ConfigKey.string("health.pipeline.anonymise-group",
            "prokommun-anonymise", "Kafka consumer group of the anonymise job (reads the raw events; Flink commits its"
                    + " offsets with each checkpoint, when its output becomes visible)");
    public static final ConfigKey<String> PROFILE_GROUP = ConfigKey.string("health.pipeline.profile-group",
            "prokommun-profile", "Kafka consumer group of the profile job (reads the anonymous events)");

    public static List<ConfigKey<?>> all() {
        return List.of(CommonConfig.KAFKA_BOOTSTRAP, CommonConfig.PINOT_CONTROLLER, INGESTION_METRICS_URL,
                FLINK_REST_URL, POLL_PERIOD, END_OFFSETS_PERIOD, TREND_WINDOW, TREND_RESOLUTION, MAX_CONSUMER_LAG, MAX_CHECKPOINT_AGE, MAX_REJECTED_PER_SECOND,
                MAX_BACKPRESSURE, MAX_DEAD_LETTERS, MAX_PINOT_FRESHNESS, ANONYMISE_GROUP, PROFILE_GROUP);
    }
}
