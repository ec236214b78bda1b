package de.prokommun.insights.testkit;

import de.prokommun.insights.config.ConfigKey;
import java.time.Duration;
import java.util.List;

/**
 * How long the embedded broker keeps the topics of each {@link de.prokommun.insights.contract.Topic.Retention}
 * class. Compacted topics have no time limit.
 */
public final class KafkaTopicsConfig {
    private KafkaTopicsConfig() {}

    public static final ConfigKey<Duration> RETENTION_SHORT = ConfigKey.duration("kafka.retention.short",
            Duration.ofHours(24),
            "Retention of topics holding direct identifiers (raw events, dead letters): deleted after this time");
    public static final ConfigKey<Duration> RETENTION_TIME = ConfigKey.duration("kafka.retention.time",
            Duration.ofDays(3650),
            "Retention of append-only topics without a pseudonym (contribution deltas)");

    public static final List<ConfigKey<?>> ALL = List.of(RETENTION_SHORT, RETENTION_TIME);
}
