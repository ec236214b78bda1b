package de.prokommun.insights.testkit;

import de.prokommun.insights.config.ConfigKey;
import java.time.Duration;
import java.util.List;

/**
 * How long the embedded broker keeps the topics of each {@link de.prokommun.insights.contract.Topic.Retention}
 * class, how often their segments roll and how soon compaction must reach a superseded version. Compacted topics
 * have no time limit.
 */
public final class KafkaTopicsConfig {
    private KafkaTopicsConfig() {}

    public static final ConfigKey<Duration> RETENTION_SHORT = ConfigKey.duration("kafka.retention.short",
            Duration.ofHours(24),
            "Retention of topics holding direct identifiers (raw events, dead letters): deleted after this time");
    public static final ConfigKey<Duration> RETENTION_TIME = ConfigKey.duration("kafka.retention.time",
            Duration.ofDays(3650),
            "Retention of append-only topics without a pseudonym (contribution deltas)");

    public static final ConfigKey<Duration> SEGMENT_MAX_AGE = ConfigKey.duration("kafka.segment.max-age",
            Duration.ofHours(1),
            "segment.ms of the short-lived and the compacted topics: Kafka deletes and compacts whole inactive segments"
                    + " only, so a record of a short topic lives at most its retention plus this, and a superseded"
                    + " version of a compacted topic waits at most this (and the next write) before compaction can"
                    + " reach it; Kafka's default is 7 days");
    public static final ConfigKey<Duration> COMPACTION_MAX_LAG = ConfigKey.duration("kafka.compaction.max-lag",
            Duration.ofHours(1),
            "max.compaction.lag.ms of the compacted topics keyed by the row (profiles, product-group-mappings,"
                    + " resident-erasures): a superseded version, e.g. an erased person's profile before its deletion"
                    + " row, is compacted away at the latest this long after it was written, whatever the share of"
                    + " dirty records (Kafka's default: never forced)");

    public static final List<ConfigKey<?>> ALL = List.of(RETENTION_SHORT, RETENTION_TIME, SEGMENT_MAX_AGE,
            COMPACTION_MAX_LAG);
}
