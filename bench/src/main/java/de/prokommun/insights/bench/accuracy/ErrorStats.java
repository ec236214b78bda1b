package de.prokommun.insights.bench.accuracy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Relative errors |answer − truth| / truth of answered questions, collected per {@link SizeClass}, with the median
 * and the nearest-rank 95th percentile in percent. A question without an answer (refused, suppressed) is counted
 * apart and never folded into the error: the comparison must show how many questions a mechanism answers at all.
 */
public final class ErrorStats {

    /** The statistics of one size class; percent values are NaN when no question of the class was answered. */
    public record Summary(SizeClass sizeClass, int answered, int unanswered, double medianPercent, double p95Percent) {}

    private final Map<SizeClass, List<Double>> errors = new EnumMap<>(SizeClass.class);
    private final Map<SizeClass, Integer> unanswered = new EnumMap<>(SizeClass.class);

    /** Records one question; {@code answer} null means not answered. Truths outside every class are ignored. */
    public void add(long truth, Long answer) {
        SizeClass.of(truth).ifPresent(c -> {
            if (answer == null) unanswered.merge(c, 1, Integer::sum);
            else errors.computeIfAbsent(c, k -> new ArrayList<>()).add(relativeError(truth, answer));
        });
    }

    public static double relativeError(long truth, long answer) {
        if (truth <= 0) throw new IllegalArgumentException("relative error needs a positive truth: " + truth);
        return Math.abs((double) answer - truth) / truth;
    }

    public Summary summary(SizeClass c) {
        List<Double> e = errors.getOrDefault(c, List.of());
        double[] values = e.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Summary(c, values.length, unanswered.getOrDefault(c, 0),
                values.length == 0 ? Double.NaN : 100 * median(values),
                values.length == 0 ? Double.NaN : 100 * nearestRank(values, 0.95));
    }

    public List<Summary> summaries() {
        return Arrays.stream(SizeClass.values()).map(this::summary).toList();
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The smallest value with at least a fraction q of all values at or below it. */
    static double nearestRank(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }
}
