package de.prokommun.insights.privacy.noise;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongToDoubleFunction;

/** Chi-square goodness of fit against an exact pmf on the integers, and moment z-scores. Test code only. */
final class GoodnessOfFit {
    private GoodnessOfFit() {}

    /** z for a one-sided tail of 0.001. */
    static final double Z_999 = 3.0902;

    record Result(double statistic, int degreesOfFreedom, double critical) {
        boolean rejects() {
            return statistic > critical;
        }
    }

    /**
     * Pools the integers [-range, range] (tails folded into the outermost bins) into bins of expected count
     * at least 10, then compares observed with expected.
     */
    static Result chiSquare(long[] sample, LongToDoubleFunction pmf, int range) {
        int width = 2 * range + 1;
        double[] expected = new double[width];
        long[] observed = new long[width];
        double inside = 0;
        for (int i = 0; i < width; i++) {
            expected[i] = pmf.applyAsDouble(i - range);
            inside += expected[i];
        }
        double tail = Math.max(0, 1 - inside) / 2;
        expected[0] += tail;
        expected[width - 1] += tail;
        for (long y : sample) {
            int index = (int) Math.max(0, Math.min(width - 1, y + range));
            observed[index]++;
        }
        int n = sample.length;
        List<double[]> bins = new ArrayList<>();
        double e = 0, o = 0;
        for (int i = 0; i < width; i++) {
            e += expected[i] * n;
            o += observed[i];
            if (e >= 10) {
                bins.add(new double[] {e, o});
                e = 0;
                o = 0;
            }
        }
        if (e > 0 || o > 0) {
            double[] last = bins.get(bins.size() - 1);
            last[0] += e;
            last[1] += o;
        }
        double statistic = 0;
        for (double[] bin : bins) statistic += (bin[1] - bin[0]) * (bin[1] - bin[0]) / bin[0];
        int df = bins.size() - 1;
        return new Result(statistic, df, criticalValue(df, Z_999));
    }

    /** Wilson-Hilferty: the (1-alpha) quantile of chi-square with df degrees of freedom, z the normal quantile. */
    static double criticalValue(int df, double z) {
        double a = 2.0 / (9.0 * df);
        double c = 1 - a + z * Math.sqrt(a);
        return df * c * c * c;
    }

    /** z-score of the sample mean against the pmf's mean. */
    static double meanZ(long[] sample, LongToDoubleFunction pmf, int range) {
        double mu = moment(pmf, range, 1, 0), var = moment(pmf, range, 2, mu);
        double mean = 0;
        for (long y : sample) mean += y;
        mean /= sample.length;
        return (mean - mu) / Math.sqrt(var / sample.length);
    }

    /** z-score of the sample variance against the pmf's variance (standard error from the fourth moment). */
    static double varianceZ(long[] sample, LongToDoubleFunction pmf, int range) {
        double mu = moment(pmf, range, 1, 0), var = moment(pmf, range, 2, mu), m4 = moment(pmf, range, 4, mu);
        double s2 = 0;
        for (long y : sample) s2 += (y - mu) * (y - mu);
        s2 /= sample.length;
        return (s2 - var) / Math.sqrt((m4 - var * var) / sample.length);
    }

    static double moment(LongToDoubleFunction pmf, int range, int power, double center) {
        double m = 0;
        for (long y = -range; y <= range; y++) m += Math.pow(y - center, power) * pmf.applyAsDouble(y);
        return m;
    }

    /** Exact discrete Laplace pmf with scale tau: (1-q)/(1+q) q^|y|, q = exp(-1/tau). */
    static LongToDoubleFunction laplacePmf(double tau) {
        double q = Math.exp(-1 / tau);
        return y -> (1 - q) / (1 + q) * Math.pow(q, Math.abs(y));
    }

    /** Exact discrete Gaussian pmf, normalised over [-range, range] (the rest is below 1e-80). */
    static LongToDoubleFunction gaussianPmf(double sigmaSquared, int range) {
        double z = 0;
        for (long y = -range; y <= range; y++) z += Math.exp(-(double) (y * y) / (2 * sigmaSquared));
        double norm = z;
        return y -> Math.exp(-(double) (y * y) / (2 * sigmaSquared)) / norm;
    }
}
