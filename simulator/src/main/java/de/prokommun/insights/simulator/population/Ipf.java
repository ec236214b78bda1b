package de.prokommun.insights.simulator.population;

/**
 * Iterative proportional fitting: scales a seed table (prior plausibility of each row/column combination,
 * zeros stay impossible) until its row sums equal {@code rows} and its column sums equal {@code cols}.
 * Used to give each age group a distribution over household types (and each age group × household type a
 * distribution over marital status) whose population-wide totals hit the reference shares.
 */
public final class Ipf {
    private Ipf() {}

    /** @return for each row, the conditional distribution over columns (each row sums to 1). */
    public static double[][] conditional(double[][] seed, double[] rows, double[] cols) {
        int r = rows.length, c = cols.length;
        double[][] m = new double[r][c];
        for (int i = 0; i < r; i++) m[i] = seed[i].clone();
        for (int iter = 0; iter < 500; iter++) {
            for (int i = 0; i < r; i++) {
                double s = sum(m[i]);
                if (s > 0) for (int j = 0; j < c; j++) m[i][j] *= rows[i] / s;
            }
            for (int j = 0; j < c; j++) {
                double s = 0;
                for (int i = 0; i < r; i++) s += m[i][j];
                if (s > 0) for (int i = 0; i < r; i++) m[i][j] *= cols[j] / s;
            }
        }
        double[][] cond = new double[r][c];
        for (int i = 0; i < r; i++) {
            // a row nobody falls into keeps its prior, so sampling it stays well defined
            double[] row = sum(m[i]) > 0 ? m[i] : seed[i];
            double s = sum(row);
            if (s <= 0) throw new IllegalArgumentException("IPF row " + i + " has no feasible column");
            for (int j = 0; j < c; j++) cond[i][j] = row[j] / s;
        }
        return cond;
    }

    static double sum(double[] a) {
        double s = 0;
        for (double v : a) s += v;
        return s;
    }
}
