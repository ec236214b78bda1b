package de.prokommun.insights.query.publication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * The least-squares estimator over a cube of Musterstadt's shape (9 age bands × 4 genders × 10 districts × 6
 * household types), with Gaussian noise of known variance: it returns the truth when nothing is noised, its fit is
 * the least-squares optimum, and at the same total ρ measuring the marginals questions use beats the hierarchy
 * district → age band → gender → household type for city-wide questions off that path.
 */
class MarginalLeastSquaresTest {

    private static final int[] SIZES = {9, 4, 10, 6, 5};
    private static final int CELLS = 9 * 4 * 10 * 6 * 5;

    @Test
    void withoutNoiseItReturnsTheTruthExactly() {
        long[] truth = syntheticCube(new Random(1));
        for (MeasurementPlan plan : List.of(MeasurementPlan.standard(), MeasurementPlan.hierarchy())) {
            MarginalLeastSquares fit = new MarginalLeastSquares(SIZES);
            plan.everybody().forEach((m, w) -> fit.add(m, marginal(fit, m, truth), 1.0 / w));
            double[] x = fit.solve();
            for (int c = 0; c < CELLS; c++) assertThat(x[c]).isCloseTo(truth[c], org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void theFitIsTheWeightedLeastSquaresOptimumAndItsMarginalsAgree() {
        Random rnd = new Random(2);
        long[] truth = syntheticCube(rnd);
        MarginalLeastSquares fit = new MarginalLeastSquares(SIZES);
        Map<Marginal, double[]> noisy = new LinkedHashMap<>();
        Map<Marginal, Double> variance = new LinkedHashMap<>();
        MeasurementPlan.standard().everybody().forEach((m, w) -> {
            double[] y = marginal(fit, m, truth);
            double v = 400.0 / w;
            for (int i = 0; i < y.length; i++) y[i] += Math.sqrt(v) * rnd.nextGaussian();
            noisy.put(m, y);
            variance.put(m, v);
            fit.add(m, y, v);
        });
        double[] x = fit.solve();
        // Normal equations: Σ_m A_mᵀ (y_m − A_m x) / σ_m² = 0 — no direction in which the fit could get closer.
        double[] gradient = new double[CELLS];
        double scale = 0;
        for (Marginal m : noisy.keySet()) {
            int[] map = fit.mapOf(m);
            double[] fitted = marginal(fit, m, x);
            for (int c = 0; c < CELLS; c++) {
                gradient[c] += (noisy.get(m)[map[c]] - fitted[map[c]]) / variance.get(m);
                scale = Math.max(scale, Math.abs(noisy.get(m)[map[c]]) / variance.get(m));
            }
        }
        for (double g : gradient) assertThat(Math.abs(g)).isLessThan(1e-8 * scale);
        // Consistency: the city total read from the fit's district marginal, its age band marginal or its cells
        // is one number (every marginal is a sum of the same cells), and it lies close to the measured total.
        double total = sum(x, c -> true);
        double byDistrict = 0;
        for (double d : marginal(fit, Marginal.of(2), x)) byDistrict += d;
        assertThat(byDistrict).isCloseTo(total, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(Math.abs(total - sum(truth))).isLessThan(5 * Math.sqrt(400.0 / 8));
    }

    @Test
    void atTheSameCostTheMarginalsBeatTheHierarchyOffItsPath() {
        long[] truth = syntheticCube(new Random(3));
        List<String> slices = List.of(CubeDomain.ALL);
        Map<String, IntPredicate> questions = new LinkedHashMap<>();
        questions.put("all women (gender 1)", c -> coordinates(c)[1] == 1);
        questions.put("a household type city-wide", c -> coordinates(c)[3] == 2);
        questions.put("an age band × gender", c -> coordinates(c)[0] == 4 && coordinates(c)[1] == 0);
        questions.put("a district", c -> coordinates(c)[2] == 3);
        Map<String, double[]> squaredErrors = new LinkedHashMap<>();
        int runs = 40;
        Map<String, MeasurementPlan> plans = new LinkedHashMap<>();
        plans.put("hierarchy", MeasurementPlan.hierarchy());
        plans.put("marginals", MeasurementPlan.standard());
        for (Map.Entry<String, MeasurementPlan> named : plans.entrySet()) {
            MeasurementPlan plan = named.getValue();
            MeasurementCost cost = new MeasurementCost(plan, slices, 4, 0.13);
            Random rnd = new Random(4);
            double[] errors = new double[questions.size()];
            for (int run = 0; run < runs; run++) {
                MarginalLeastSquares fit = new MarginalLeastSquares(SIZES);
                plan.everybody().forEach((m, w) -> {
                    double v = cost.sigmaSquared(w).doubleValue();
                    double[] y = marginal(fit, m, truth);
                    for (int i = 0; i < y.length; i++) y[i] += Math.sqrt(v) * rnd.nextGaussian();
                    fit.add(m, y, v);
                });
                double[] x = fit.solve();
                int q = 0;
                for (IntPredicate selected : questions.values()) {
                    double error = sum(x, selected) - sumTruth(truth, selected);
                    errors[q++] += error * error / runs;
                }
            }
            squaredErrors.put(named.getKey(), errors);
        }
        int q = 0;
        for (String name : questions.keySet()) {
            double hierarchy = Math.sqrt(squaredErrors.get("hierarchy")[q]);
            double marginals = Math.sqrt(squaredErrors.get("marginals")[q]);
            System.out.printf("LSQ %-28s rms error: hierarchy %7.1f, marginals %7.1f%n", name, hierarchy, marginals);
            if (q < 3) assertThat(marginals).as(name).isLessThan(hierarchy / 2);
            q++;
        }
        // A district lies on the hierarchy's path (one node): the marginals pay for their breadth there, but stay
        // in the same range rather than an order of magnitude off.
        assertThat(Math.sqrt(squaredErrors.get("marginals")[3])).isLessThan(3 * Math.sqrt(squaredErrors.get("hierarchy")[3]));
    }

    @Test
    void withoutTheCellsTheFitIsNotUnique() {
        MarginalLeastSquares fit = new MarginalLeastSquares(SIZES);
        fit.add(Marginal.of(0), new double[9], 1);
        assertThatThrownBy(fit::solve).hasMessageContaining("cells");
        assertThatThrownBy(() -> fit.add(Marginal.of(1), new double[3], 1)).hasMessageContaining("4 cells");
    }

    /** Residents spread unevenly over the cells, some empty, as a real city is. */
    private static long[] syntheticCube(Random rnd) {
        long[] cube = new long[CELLS];
        for (int c = 0; c < CELLS; c++) cube[c] = rnd.nextInt(5) == 0 ? 0 : (long) (400 * Math.pow(rnd.nextDouble(), 3));
        return cube;
    }

    private static double[] marginal(MarginalLeastSquares fit, Marginal m, long[] cells) {
        double[] asDouble = new double[cells.length];
        for (int c = 0; c < cells.length; c++) asDouble[c] = cells[c];
        return marginal(fit, m, asDouble);
    }

    private static double[] marginal(MarginalLeastSquares fit, Marginal m, double[] cells) {
        int[] map = fit.mapOf(m);
        double[] sums = new double[fit.binsOf(m)];
        for (int c = 0; c < cells.length; c++) sums[map[c]] += cells[c];
        return sums;
    }

    private static double sum(double[] x, IntPredicate selected) {
        double s = 0;
        for (int c = 0; c < x.length; c++) if (selected.test(c)) s += x[c];
        return s;
    }

    private static long sum(long[] x) {
        long s = 0;
        for (long v : x) s += v;
        return s;
    }

    private static double sumTruth(long[] x, IntPredicate selected) {
        double s = 0;
        for (int c = 0; c < x.length; c++) if (selected.test(c)) s += x[c];
        return s;
    }

    private static int[] coordinates(int c) {
        int[] coord = new int[SIZES.length];
        for (int d = SIZES.length - 1; d >= 0; d--) {
            coord[d] = c % SIZES[d];
            c /= SIZES[d];
        }
        return coord;
    }
}
