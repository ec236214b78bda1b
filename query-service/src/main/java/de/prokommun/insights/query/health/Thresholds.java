package de.prokommun.insights.query.health;

import de.prokommun.insights.config.Settings;
import java.time.Duration;

/** When a tile turns red (from {@link HealthConfig}). */
record Thresholds(long maxConsumerLag, Duration maxCheckpointAge, double maxRejectedPerSecond, double maxBackpressure,
                  long maxDeadLetters, Duration maxPinotFreshness) {

    static Thresholds from(Settings s) {
        return new Thresholds(s.get(HealthConfig.MAX_CONSUMER_LAG), s.get(HealthConfig.MAX_CHECKPOINT_AGE),
                s.get(HealthConfig.MAX_REJECTED_PER_SECOND), s.get(HealthConfig.MAX_BACKPRESSURE),
                s.get(HealthConfig.MAX_DEAD_LETTERS), s.get(HealthConfig.MAX_PINOT_FRESHNESS));
    }
}
