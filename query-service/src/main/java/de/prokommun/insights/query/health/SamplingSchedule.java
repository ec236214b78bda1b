package de.prokommun.insights.query.health;

import java.util.random.RandomGenerator;

/**
 * When the next full health sample is taken: the poll period on average, each delay drawn from half to one and a half
 * periods. The jobs checkpoint on a fixed-rate timer and a fixed poll period locks onto it: the freshness tile then
 * sees every checkpoint cycle at the same phase and reads one value for an hour (2.25 s in the soak of 2026-12-06),
 * lucky or unlucky by where the phase fell. At random phases its samples show the distribution of freshness.
 */
final class SamplingSchedule {
    private final long periodMillis;
    private final RandomGenerator random;

    SamplingSchedule(long periodMillis, RandomGenerator random) {
        if (periodMillis <= 0) throw new IllegalArgumentException("periodMillis: must be positive, got " + periodMillis);
        this.periodMillis = periodMillis;
        this.random = random;
    }

    long nextDelayMillis() {
        return Math.max(1, Math.round(periodMillis * (0.5 + random.nextDouble())));
    }
}
