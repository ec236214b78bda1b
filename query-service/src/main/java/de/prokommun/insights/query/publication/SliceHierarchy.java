package de.prokommun.insights.query.publication;

import de.prokommun.insights.privacy.publish.ConsistentCount;
import de.prokommun.insights.privacy.publish.HierarchicalConsistency;
import de.prokommun.insights.privacy.publish.NoisyCount;
import de.prokommun.insights.privacy.publish.NonNegativeIntegerRounding;
import de.prokommun.insights.privacy.publish.RoundedCount;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One slice of a publication measured at every level of its hierarchy (total → district → age band → gender →
 * household type → activity) and made consistent (Hay–Rastogi–Miklau–Suciu 2010; the Census TopDown idea): every node gets its
 * own noise, the weighted least-squares fit makes every parent the sum of its children, and the rounding to
 * non-negative integers keeps each parent's total. A wide question (a district, the whole city) then reads the
 * accuracy of a high node instead of adding up the noise of thousands of cells; the price is one histogram per
 * level, {@link #LEVELS} of them, in the sensitivity.
 *
 * <p>No longer used by the service: publications measure every marginal ({@link SliceMarginals}), which answers
 * city-wide questions off this path far better at the same ρ. Kept for comparison and audit of older releases.
 */
final class SliceHierarchy {

    /** Measured levels per slice: the total and the five dimensions. */
    static final int LEVELS = 6;

    private final List<List<String>> dimensions;
    private final Map<List<String>, Long> truth = new HashMap<>();
    private final LongSupplier noise;
    private final double variance;
    private final List<Measurement> measured = new ArrayList<>();

    /**
     * @param cells    the slice's true count per cell
     * @param noise    the slice's noise, one draw per node in pre-order (total, first district, its first band, ...)
     * @param variance the noise variance of every node (σ² of the discrete Gaussian, whose variance is at most σ²)
     */
    SliceHierarchy(CubeDomain domain, Map<CellKey, Long> cells, LongSupplier noise, double variance) {
        this.dimensions = domain.hierarchy();
        this.noise = noise;
        this.variance = variance;
        cells.forEach((cell, n) -> {
            List<String> path = List.of(cell.district(), cell.ageBand(), cell.gender(), cell.householdType(),
                    cell.activity());
            for (int depth = 0; depth <= path.size(); depth++) truth.merge(path.subList(0, depth), n, Long::sum);
        });
    }

    /** The noisy measurements in pre-order (measured once: the noise stream is consumed). */
    List<Measurement> measurements() {
        if (measured.isEmpty()) measure(List.of());
        return List.copyOf(measured);
    }

    /** The consistent non-negative integer cells (the leaves), from the measurements. */
    Map<CellKey, Long> consistentCells() {
        List<Measurement> all = measurements();
        Map<List<String>, Long> byPath = new HashMap<>();
        for (Measurement m : all) byPath.put(m.path(), m.value());
        RoundedCount rounded = NonNegativeIntegerRounding.round(HierarchicalConsistency.fit(tree(List.of(), byPath)));
        Map<CellKey, Long> cells = new LinkedHashMap<>();
        leaves(rounded, new ArrayList<>(), cells);
        return cells;
    }

    private void measure(List<String> path) {
        measured.add(new Measurement(path, Math.addExact(truth.getOrDefault(path, 0L), noise.getAsLong())));
        if (path.size() == dimensions.size()) return;
        for (String value : dimensions.get(path.size())) measure(append(path, value));
    }

    private NoisyCount tree(List<String> path, Map<List<String>, Long> byPath) {
        String label = path.isEmpty() ? "" : path.get(path.size() - 1);
        double value = byPath.get(path);
        if (path.size() == dimensions.size()) return NoisyCount.leaf(label, value, variance);
        List<NoisyCount> children = new ArrayList<>();
        for (String v : dimensions.get(path.size())) children.add(tree(append(path, v), byPath));
        return new NoisyCount(label, value, variance, children);
    }

    private void leaves(RoundedCount node, List<String> path, Map<CellKey, Long> cells) {
        if (path.size() == dimensions.size()) {
            cells.put(CubeDomain.cellAt(path), node.value());
            return;
        }
        for (RoundedCount child : node.children()) {
            path.add(child.label());
            leaves(child, path, cells);
            path.remove(path.size() - 1);
        }
    }

    private static List<String> append(List<String> path, String value) {
        List<String> longer = new ArrayList<>(path);
        longer.add(value);
        return List.copyOf(longer);
    }
}
