package de.prokommun.insights.bench.harness;

import java.util.Arrays;

/** Collects latencies (nanoseconds) from many threads; percentiles in milliseconds. */
public final class LatencyRecorder {
    private long[] values = new long[1 << 16];
    private int count;

    public synchronized void record(long nanos) {
        if (count == values.length) values = Arrays.copyOf(values, count * 2);
        values[count++] = nanos;
    }

    public synchronized int count() { return count; }

    public synchronized double percentileMillis(double q) {
        return Stats.percentile(values, count, q) / 1e6;
    }

    public synchronized void reset() { count = 0; }
}
