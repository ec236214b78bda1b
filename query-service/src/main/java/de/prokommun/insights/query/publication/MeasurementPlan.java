package de.prokommun.insights.query.publication;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which marginals of each slice a publication measures, and what share of the publication's ρ each gets (integer
 * weights: a measurement's ρ is its weight over the sum of all weights of all slices). Every slice measures the 16
 * marginals of its four demographic dimensions — the total, each dimension city-wide, each pair, each triple and
 * the demographic cells — plus recent activity ({@link RecentActivity}) alone and the cells of all five
 * dimensions. Within a slice the single dimensions and pairs — what most questions restrict (a gender, an age range
 * and a gender, districts and an age range) — weigh 2, the total, triples and cells 1 (the fit reconstructs the
 * total well from the others, and triples and cells serve the narrowest questions); activity alone weighs 2 (the
 * city pulse reads it per persona), the five-dimensional cells 1 (they make the fit unique and answer activity
 * combined with demographics). The slice of everybody answers about half of the audience builder's questions and
 * most of the largest ones, so it weighs 3 times a persona or interest slice: with Musterstadt's 22 measured slices
 * (the personas defined by the cube's dimensions are cells of everybody, {@link CubeDomain#of}) it gets 87 of 696
 * units (12.5 % of the publication's ρ), each persona or interest slice 29 (4.2 %).
 *
 * <p>Chosen by measuring the workload of {@code bench/run accuracy} under candidate weightings at the default cap
 * (docs/BENCHMARKS.md): equal weights everywhere, the slice of everybody at 1–8 times a subgroup, more or less on
 * the pairs, no triples. All of them were within about one point of p95 of each other; the error is set by the
 * number of slices sharing the ρ far more than by the split inside a slice. The activity measurements (added later)
 * take 3 of 29 units of a slice, so every demographic marginal's σ grew by about 5 %.
 */
public record MeasurementPlan(Map<Marginal, Integer> everybody, Map<Marginal, Integer> subgroup) {

    public MeasurementPlan {
        everybody = ordered(everybody);
        subgroup = ordered(subgroup);
    }

    /** The plan the service publishes with. */
    public static MeasurementPlan standard() {
        return new MeasurementPlan(weights(3, 6, 6, 3, 3), weights(1, 2, 2, 1, 1));
    }

    /** The previous design's shape, for comparison: every level of district → age band → gender → household. */
    public static MeasurementPlan hierarchy() {
        Map<Marginal, Integer> levels = new LinkedHashMap<>();
        levels.put(Marginal.of(), 1);
        levels.put(Marginal.of(2), 1);
        levels.put(Marginal.of(0, 2), 1);
        levels.put(Marginal.of(0, 1, 2), 1);
        levels.put(Marginal.DEMOGRAPHIC_CELLS, 1);
        levels.put(Marginal.CELLS, 1);
        return new MeasurementPlan(levels, levels);
    }

    /**
     * Weights by the number of demographic dimensions of a marginal: the total, each single dimension, each pair,
     * each triple, the demographic cells (0 leaves a kind of marginal out); activity alone weighs as a single
     * dimension, the cells of all five dimensions as the demographic cells (they are always measured).
     */
    public static Map<Marginal, Integer> weights(int total, int single, int pairs, int triples, int cells) {
        Map<Marginal, Integer> w = new LinkedHashMap<>();
        int[] byOrder = {total, single, pairs, triples, cells};
        for (Marginal m : Marginal.all()) {
            if (!m.involvesActivity() && byOrder[m.dims().size()] > 0) w.put(m, byOrder[m.dims().size()]);
        }
        if (single > 0) w.put(Marginal.of(Marginal.ACTIVITY), single);
        w.put(Marginal.CELLS, Math.max(1, cells));
        return w;
    }

    /** The measurements of one slice in drawing order, with their weights. */
    public Map<Marginal, Integer> of(String slice) {
        return CubeDomain.ALL.equals(slice) ? everybody : subgroup;
    }

    /** Σ of the weights of every measurement of a publication of these slices. */
    public long totalWeight(List<String> slices) {
        long sum = 0;
        for (String slice : slices) for (int w : of(slice).values()) sum += w;
        return sum;
    }

    private static Map<Marginal, Integer> ordered(Map<Marginal, Integer> weights) {
        Map<Marginal, Integer> copy = new LinkedHashMap<>();
        for (Marginal m : Marginal.all()) {
            Integer w = weights.get(m);
            if (w == null) continue;
            if (w < 1) throw new IllegalArgumentException("a measured marginal's weight is at least 1: " + m.name());
            copy.put(m, w);
        }
        if (copy.size() != weights.size()) throw new IllegalArgumentException("unknown marginals in " + weights.keySet());
        if (!copy.containsKey(Marginal.CELLS)) throw new IllegalArgumentException("the cells must be measured");
        return Collections.unmodifiableMap(copy);
    }
}
