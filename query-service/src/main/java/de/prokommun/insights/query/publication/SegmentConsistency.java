package de.prokommun.insights.query.publication;

import de.prokommun.insights.privacy.publish.ConsistentCount;
import de.prokommun.insights.privacy.publish.HierarchicalConsistency;
import de.prokommun.insights.privacy.publish.NoisyCount;
import de.prokommun.insights.privacy.publish.NonNegativeIntegerRounding;
import de.prokommun.insights.privacy.publish.RoundedCount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Noise and consistency of one {@link SegmentedFigure}: every node (the total, each label of each marginal, each
 * persona cell) gets its own discrete Gaussian draw, in that fixed order; then the published figure is made
 * consistent, by post-processing only:
 * <ol>
 * <li>the total is the best linear unbiased estimate from its own measurement and the sum of each marginal
 *     (independent estimates of the same number, weighted by the inverse of their variances: σ² and n·σ² for a
 *     marginal of n labels), rounded to a non-negative integer;</li>
 * <li>each marginal is fitted to that total by least squares ({@link HierarchicalConsistency}, the total held
 *     fixed) and rounded to non-negative integers that add up to it exactly ({@link NonNegativeIntegerRounding});</li>
 * <li>each persona cell is rounded and kept between 0 and the total (a persona's buyers cannot outnumber all
 *     buyers; the persona cells are no partition, so they need not add up).</li>
 * </ol>
 */
final class SegmentConsistency {
    private SegmentConsistency() {}

    /** The figure as measured: the truth plus one draw per node, in the order total, marginals, personas. */
    static SegmentedFigure measure(SegmentedFigure truth, LongSupplier noise) {
        long total = Math.addExact(truth.total(), noise.getAsLong());
        Map<String, Map<String, Long>> dimensions = new LinkedHashMap<>();
        truth.dimensions().forEach((d, values) -> {
            Map<String, Long> noisy = new LinkedHashMap<>();
            values.forEach((label, n) -> noisy.put(label, Math.addExact(n, noise.getAsLong())));
            dimensions.put(d, noisy);
        });
        Map<String, Long> personas = new LinkedHashMap<>();
        truth.personas().forEach((p, n) -> personas.put(p, Math.addExact(n, noise.getAsLong())));
        return new SegmentedFigure(total, dimensions, personas);
    }

    /** The published figure from a measured one; every node's noise has variance at most {@code variance}. */
    static SegmentedFigure consistent(SegmentedFigure measured, double variance) {
        return consistent(measured, variance, Map.of());
    }

    /**
     * As {@link #consistent(SegmentedFigure, double)}, with a smaller variance for the labels of some dimensions
     * (the age bands of a year's buyers, combined with {@link BuyersByAgeBand}'s measurement): that marginal's sum
     * weighs more in the total.
     */
    static SegmentedFigure consistent(SegmentedFigure measured, double variance, Map<String, Double> dimensionVariance) {
        double weight = 1 / variance;
        double weighted = measured.total() / variance;
        for (Map.Entry<String, Map<String, Long>> d : measured.dimensions().entrySet()) {
            Map<String, Long> values = d.getValue();
            if (values.isEmpty()) continue;
            double w = 1 / (values.size() * dimensionVariance.getOrDefault(d.getKey(), variance));
            weight += w;
            weighted += w * values.values().stream().mapToLong(Long::longValue).sum();
        }
        long total = Math.max(0, Math.round(weighted / weight));
        Map<String, Map<String, Long>> dimensions = new LinkedHashMap<>();
        measured.dimensions().forEach((d, values) -> dimensions.put(d,
                fitted(values, total, dimensionVariance.getOrDefault(d, variance))));
        Map<String, Long> personas = new LinkedHashMap<>();
        measured.personas().forEach((p, n) -> personas.put(p, Math.min(total, Math.max(0, n))));
        return new SegmentedFigure(total, dimensions, personas);
    }

    /** A marginal fitted to a fixed total: least squares, then non-negative integers adding up to it. */
    private static Map<String, Long> fitted(Map<String, Long> values, long total, double variance) {
        if (values.isEmpty()) return Map.of();
        List<NoisyCount> leaves = new ArrayList<>();
        values.forEach((label, n) -> leaves.add(NoisyCount.leaf(label, n, variance)));
        // The total is already the best estimate from every measurement: held (almost) fixed by a tiny variance.
        ConsistentCount fit = HierarchicalConsistency.fit(new NoisyCount("", total, variance * 1e-12, leaves));
        RoundedCount rounded = NonNegativeIntegerRounding.round(
                new ConsistentCount("", total, fit.variance(), fit.children()));
        Map<String, Long> out = new LinkedHashMap<>();
        rounded.children().forEach(c -> out.put(c.label(), c.value()));
        return out;
    }
}
