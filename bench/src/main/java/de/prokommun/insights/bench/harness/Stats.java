package de.prokommun.insights.bench.harness;

import java.util.Arrays;
import java.util.Collection;

/** Medians and nearest-rank percentiles. */
public final class Stats {
    private Stats() {}

    public static double median(Collection<Double> values) {
        if (values.isEmpty()) throw new IllegalArgumentException("median of nothing");
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** Nearest-rank percentile (q in 0..1) of unsorted values; the array is sorted in place. */
    public static long percentile(long[] values, int count, double q) {
        if (count == 0) throw new IllegalArgumentException("percentile of nothing");
        Arrays.sort(values, 0, count);
        int rank = (int) Math.ceil(q * count) - 1;
        return values[Math.max(0, Math.min(count - 1, rank))];
    }

    public static double percentile(double[] values, double q) {
        if (values.length == 0) throw new IllegalArgumentException("percentile of nothing");
        double[] v = values.clone();
        Arrays.sort(v);
        int rank = (int) Math.ceil(q * v.length) - 1;
        return v[Math.max(0, Math.min(v.length - 1, rank))];
    }
}
