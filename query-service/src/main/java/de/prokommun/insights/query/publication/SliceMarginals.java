package de.prokommun.insights.query.publication;

import de.prokommun.insights.privacy.noise.ExactSampler;
import de.prokommun.insights.privacy.noise.Rational;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One slice of a publication measured at the marginals its {@link MeasurementPlan} lists — the slice's total, each
 * dimension city-wide, pairs, triples and the cells, each marginal with its own noise — and combined into one
 * consistent estimate of the cells by weighted least squares ({@link MarginalLeastSquares}). Replaces the
 * district → age band → gender → household hierarchy ({@link SliceHierarchy}), along which only questions on its
 * path read a single node: a city-wide gender or household question summed 90–360 noisy nodes there, here it
 * reads its own measured marginal plus everything the finer ones say about it.
 *
 * <p>Answers are sums of integer cells rounded from the real-valued estimates without clamping them at zero
 * ({@link SignedCellRounding}); clamping every cell to a non-negative integer first moved mass into the many
 * near-empty cells (a rare gender city-wide, ≈ 390 people, was published as ≈ 1,400).
 */
final class SliceMarginals {

    /** A marginal as measured: its cells' noisy counts in the domain's value order, and the noise's σ². */
    record Measured(Marginal marginal, long[] values, Rational sigmaSquared, double variance) {}

    private final CubeDomain domain;
    private final List<List<String>> values;
    private final List<Measured> measured = new ArrayList<>();

    /**
     * Measures the slice: for each marginal of {@code sigmaSquared} (in its order), every cell of the marginal,
     * zeros included, in the domain's value order, with one draw of the slice's noise stream each.
     *
     * @param cells        the slice's true count per cell (cells not listed are 0)
     * @param sigmaSquared the noise of each marginal measured, in drawing order
     * @param noise        the slice's noise stream
     */
    SliceMarginals(CubeDomain domain, Map<CellKey, Long> cells, Map<Marginal, BigDecimal> sigmaSquared, ExactSampler noise) {
        this.domain = domain;
        this.values = domain.dimensions();
        MarginalLeastSquares shape = new MarginalLeastSquares(sizes());
        long[] truth = new long[shape.cells()];
        cells.forEach((cell, n) -> truth[index(cell)] += n);
        for (Map.Entry<Marginal, BigDecimal> e : sigmaSquared.entrySet()) {
            Marginal m = e.getKey();
            Rational s2 = Rational.of(e.getValue());
            int[] map = shape.mapOf(m);
            long[] sums = new long[shape.binsOf(m)];
            for (int c = 0; c < truth.length; c++) sums[map[c]] += truth[c];
            for (int i = 0; i < sums.length; i++) sums[i] = Math.addExact(sums[i], noise.discreteGaussian(s2));
            measured.add(new Measured(m, sums, s2, e.getValue().doubleValue()));
        }
    }

    /** The measurements as kept in the publication: path = [marginal name, its values...], value as drawn. */
    List<Measurement> measurements() {
        List<Measurement> all = new ArrayList<>();
        for (Measured m : measured) {
            List<List<String>> keys = keys(m.marginal());
            for (int i = 0; i < m.values().length; i++) {
                List<String> path = new ArrayList<>();
                path.add(m.marginal().name());
                path.addAll(keys.get(i));
                all.add(new Measurement(path, m.values()[i]));
            }
        }
        return all;
    }

    /** The consistent real-valued estimate of every cell (may be negative or fractional: it is unbiased). */
    Map<CellKey, Double> estimates() {
        MarginalLeastSquares fit = new MarginalLeastSquares(sizes());
        for (Measured m : measured) {
            double[] y = new double[m.values().length];
            for (int i = 0; i < y.length; i++) y[i] = m.values()[i];
            fit.add(m.marginal(), y, m.variance());
        }
        double[] x = fit.solve();
        Map<CellKey, Double> estimates = new LinkedHashMap<>();
        List<CellKey> cells = domain.cells();
        for (int c = 0; c < cells.size(); c++) estimates.put(cells.get(c), x[c]);
        return estimates;
    }

    /** The integer cells answers are summed from ({@link SignedCellRounding}). */
    static Map<CellKey, Long> integerCells(Map<CellKey, Double> estimates) {
        return SignedCellRounding.round(estimates);
    }

    private int[] sizes() {
        int[] sizes = new int[values.size()];
        for (int d = 0; d < sizes.length; d++) sizes[d] = values.get(d).size();
        return sizes;
    }

    private int index(CellKey cell) {
        List<String> parts = cell.parts();
        int index = 0;
        for (int d = 0; d < parts.size(); d++) {
            int v = values.get(d).indexOf(parts.get(d));
            if (v < 0) throw new IllegalArgumentException("not a cell of the cube: " + cell);
            index = index * values.get(d).size() + v;
        }
        return index;
    }

    /** The keys of a marginal's cells in mixed-radix order of its dimensions. */
    private List<List<String>> keys(Marginal m) {
        List<List<String>> keys = new ArrayList<>();
        keys.add(List.of());
        for (int d : m.dims()) {
            List<List<String>> longer = new ArrayList<>();
            for (List<String> k : keys) {
                for (String v : values.get(d)) {
                    List<String> key = new ArrayList<>(k);
                    key.add(v);
                    longer.add(List.copyOf(key));
                }
            }
            keys = longer;
        }
        return keys;
    }
}
