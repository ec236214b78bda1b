package de.prokommun.insights.query.publication;

import java.util.ArrayList;
import java.util.List;

/**
 * The consistent estimate of a slice's cells from noisy measurements of several of its marginals: the weighted
 * least-squares solution x minimising Σ_m ‖A_m x − y_m‖² / σ_m², where A_m sums the cells into marginal m's cells
 * (the "matrix mechanism" estimate, as in HDMM and the Census TopDown's least-squares step). Post-processing of
 * released values only: it costs no privacy. The estimate is unbiased, every marginal of it is consistent with
 * every other (they are all sums of the same cells), and among all unbiased linear estimates each of its sums has
 * the smallest variance (Gauss–Markov) — a city-wide question reads the city-wide measurement and the sums of all
 * finer ones, weighted by their precision, instead of adding up the noise of hundreds of cells.
 *
 * <p>Solved by conjugate gradients on the normal equations (Σ_m A_mᵀA_m/σ_m²) x = Σ_m A_mᵀ y_m/σ_m², applied
 * without forming the matrix (one pass over the cells per marginal). On a full product domain every A_mᵀA_m is a
 * Kronecker product of identities and all-ones matrices, so the normal matrix has at most 2^dimensions distinct
 * eigenvalues and CG converges in at most that many steps (32 here); the iteration cap is a guard only. The cells
 * themselves must be among the measured marginals, which makes the system positive definite.
 */
final class MarginalLeastSquares {

    private static final int MAX_ITERATIONS = 200;
    private static final double TOLERANCE = 1e-13;

    private final int[] sizes;
    private final int cells;
    private final List<int[]> maps = new ArrayList<>();
    private final List<double[]> values = new ArrayList<>();
    private final List<Integer> bins = new ArrayList<>();
    private final List<Double> weights = new ArrayList<>();
    private boolean cellsMeasured;

    /** @param sizes the number of values of each dimension, in {@link CellKey} order */
    MarginalLeastSquares(int[] sizes) {
        if (sizes.length != Marginal.DIMENSIONS) throw new IllegalArgumentException("the cube has " + Marginal.DIMENSIONS + " dimensions");
        this.sizes = sizes.clone();
        int n = 1;
        for (int s : sizes) n = Math.multiplyExact(n, s);
        this.cells = n;
    }

    int cells() {
        return cells;
    }

    /** Number of cells of a marginal, and where cell i (mixed radix, first dimension most significant) falls. */
    int[] mapOf(Marginal m) {
        int[] map = new int[cells];
        for (int c = 0; c < cells; c++) {
            int[] coord = coordinates(c);
            int index = 0;
            for (int d : m.dims()) index = index * sizes[d] + coord[d];
            map[c] = index;
        }
        return map;
    }

    int binsOf(Marginal m) {
        int n = 1;
        for (int d : m.dims()) n *= sizes[d];
        return n;
    }

    /** One measured marginal: its noisy cells in mixed-radix order of its dimensions, and the noise variance. */
    void add(Marginal m, double[] noisy, double variance) {
        if (noisy.length != binsOf(m)) throw new IllegalArgumentException(m.name() + " has " + binsOf(m) + " cells");
        if (!(variance > 0)) throw new IllegalArgumentException("the variance must be positive: " + variance);
        maps.add(mapOf(m));
        values.add(noisy.clone());
        bins.add(noisy.length);
        weights.add(1 / variance);
        if (m.isCells()) cellsMeasured = true;
    }

    /** The least-squares cells, in mixed-radix order. */
    double[] solve() {
        if (!cellsMeasured) throw new IllegalStateException("the cells must be measured (else the fit is not unique)");
        double[] b = new double[cells];
        for (int k = 0; k < maps.size(); k++) {
            int[] map = maps.get(k);
            double[] y = values.get(k);
            double w = weights.get(k);
            for (int c = 0; c < cells; c++) b[c] += w * y[map[c]];
        }
        double[] x = new double[cells];
        double[] r = b.clone();
        double[] p = r.clone();
        double rr = dot(r, r);
        double stop = TOLERANCE * TOLERANCE * Math.max(rr, Double.MIN_NORMAL);
        for (int it = 0; it < MAX_ITERATIONS && rr > stop; it++) {
            double[] np = normal(p);
            double alpha = rr / dot(p, np);
            for (int c = 0; c < cells; c++) {
                x[c] += alpha * p[c];
                r[c] -= alpha * np[c];
            }
            double next = dot(r, r);
            double beta = next / rr;
            rr = next;
            for (int c = 0; c < cells; c++) p[c] = r[c] + beta * p[c];
        }
        return x;
    }

    /** (Σ_m A_mᵀA_m / σ_m²) v: each marginal's sums of v, spread back over its cells. */
    private double[] normal(double[] v) {
        double[] out = new double[cells];
        for (int k = 0; k < maps.size(); k++) {
            int[] map = maps.get(k);
            double[] sums = new double[bins.get(k)];
            for (int c = 0; c < cells; c++) sums[map[c]] += v[c];
            double w = weights.get(k);
            for (int c = 0; c < cells; c++) out[c] += w * sums[map[c]];
        }
        return out;
    }

    private int[] coordinates(int c) {
        int[] coord = new int[sizes.length];
        for (int d = sizes.length - 1; d >= 0; d--) {
            coord[d] = c % sizes[d];
            c /= sizes[d];
        }
        return coord;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
