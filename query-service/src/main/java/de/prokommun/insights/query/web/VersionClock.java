package de.prokommun.insights.query.web;

import java.time.Clock;
import java.time.Duration;

/**
 * The data-version periods as the live hub counts them: period n covers [n·p, (n+1)·p) in epoch seconds.
 * The query service aligns versions to the city's wall clock; for periods that divide an hour and whole-hour
 * zone offsets both give the same boundaries. Pure apart from the clock.
 */
final class VersionClock {
    private final Clock clock;
    private final long periodMillis;

    VersionClock(Clock clock, Duration period) {
        if (period.toMillis() < 1000) throw new IllegalArgumentException("data version period below one second: " + period);
        this.clock = clock;
        this.periodMillis = period.toMillis();
    }

    long current() {
        return Math.floorDiv(clock.millis(), periodMillis);
    }

    /** Milliseconds until the next period starts (at least 1). */
    long millisToNext() {
        long now = clock.millis();
        return Math.max(1, (Math.floorDiv(now, periodMillis) + 1) * periodMillis - now);
    }
}
