package de.prokommun.insights.bench.local;

import java.time.Duration;

/**
 * Waits until the local mode keeps up with its background load: a freshly started system first works off the
 * backlog of its own start (JIT warm-up, the feed's first minutes), and a latency measured then is the start's,
 * not the running system's. Kept up = {@code consecutive} freshness probes in a row, each visible within
 * {@code within} of its 202.
 */
record SteadyState(Duration within, int consecutive, Duration atMost) {

    /** How long it took to reach, or null if it was not reached within {@code atMost}. */
    Duration await(LocalCity local) throws Exception {
        long start = System.nanoTime();
        long deadline = start + atMost.toNanos();
        int inARow = 0;
        int probe = 0;
        while (System.nanoTime() < deadline) {
            double seconds = FreshnessBenchmark.probe(local, "steady" + probe++, 1, atMost)[0];
            inARow = seconds <= within.toMillis() / 1000.0 ? inARow + 1 : 0;
            if (inARow >= consecutive) return Duration.ofNanos(System.nanoTime() - start);
        }
        return null;
    }

    String describe() {
        return consecutive + " freshness probes in a row visible within " + within.toMillis() / 1000.0 + " s";
    }
}
