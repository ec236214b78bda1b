package de.prokommun.insights.privacy.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The samplers against their exact distributions. Each sample is drawn from the keyed stream with a fixed
 * test key, so a run is reproducible; the checks (chi-square at alpha = 0.001, mean and variance z-scores
 * within 4) would fail for a wrong scale or a bias of a few percent, which the power tests below demonstrate
 * on the same samples.
 */
class ExactSamplerDistributionTest {

    private static final byte[] TEST_KEY = "exact-sampler-distribution-test-key-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final int DRAWS = 200_000;

    private static ExactSampler sampler(String name) {
        return new ExactSampler(KeyedStream.derive(TEST_KEY, "distribution-test", name));
    }

    private static long[] laplaceSample(long t, long s) {
        ExactSampler sampler = sampler("laplace " + t + "/" + s);
        long[] sample = new long[DRAWS];
        for (int i = 0; i < DRAWS; i++) sample[i] = sampler.discreteLaplace(BigInteger.valueOf(t), BigInteger.valueOf(s));
        return sample;
    }

    private static long[] gaussianSample(long n, long d) {
        ExactSampler sampler = sampler("gaussian " + n + "/" + d);
        long[] sample = new long[DRAWS];
        for (int i = 0; i < DRAWS; i++) sample[i] = sampler.discreteGaussian(Rational.of(n, d));
        return sample;
    }

    @ParameterizedTest(name = "Bernoulli(exp(-{0}/{1}))")
    @CsvSource({"0,1", "1,3", "1,1", "5,2", "7,1"})
    void bernoulliExpMinusHasProbabilityExpMinusGamma(long numerator, long denominator) {
        ExactSampler sampler = sampler("bernoulli " + numerator + "/" + denominator);
        Rational gamma = Rational.of(numerator, denominator);
        int hits = 0;
        for (int i = 0; i < DRAWS; i++) if (sampler.bernoulliExpMinus(gamma)) hits++;
        double p = Math.exp(-(double) numerator / denominator);
        double z = (hits - DRAWS * p) / Math.sqrt(DRAWS * p * (1 - p) + 1e-12);
        if (p == 1.0) assertThat(hits).isEqualTo(DRAWS);
        else assertThat(Math.abs(z)).as("z of %d hits, expected %.1f", hits, DRAWS * p).isLessThan(4);
    }

    @ParameterizedTest(name = "discrete Laplace scale {0}/{1}")
    @CsvSource({"1,1", "5,2", "20,3", "50,1"})
    void discreteLaplaceMatchesItsExactPmf(long t, long s) {
        double tau = (double) t / s;
        int range = (int) Math.ceil(40 * tau) + 5;
        LongToDoubleFunction pmf = GoodnessOfFit.laplacePmf(tau);
        long[] sample = laplaceSample(t, s);

        GoodnessOfFit.Result fit = GoodnessOfFit.chiSquare(sample, pmf, range);
        assertThat(fit.rejects()).as("chi2 %.1f, df %d, critical %.1f", fit.statistic(), fit.degreesOfFreedom(), fit.critical()).isFalse();
        assertThat(Math.abs(GoodnessOfFit.meanZ(sample, pmf, range))).isLessThan(4);
        assertThat(Math.abs(GoodnessOfFit.varianceZ(sample, pmf, range))).isLessThan(4);
    }

    @ParameterizedTest(name = "discrete Gaussian sigma^2 = {0}/{1}")
    @CsvSource({"1,1", "10,3", "400,1", "1837,1"})
    void discreteGaussianMatchesItsExactPmf(long n, long d) {
        double sigmaSquared = (double) n / d;
        int range = (int) Math.ceil(20 * Math.sqrt(sigmaSquared)) + 5;
        LongToDoubleFunction pmf = GoodnessOfFit.gaussianPmf(sigmaSquared, range);
        long[] sample = gaussianSample(n, d);

        GoodnessOfFit.Result fit = GoodnessOfFit.chiSquare(sample, pmf, range);
        assertThat(fit.rejects()).as("chi2 %.1f, df %d, critical %.1f", fit.statistic(), fit.degreesOfFreedom(), fit.critical()).isFalse();
        assertThat(Math.abs(GoodnessOfFit.meanZ(sample, pmf, range))).isLessThan(4);
        assertThat(Math.abs(GoodnessOfFit.varianceZ(sample, pmf, range))).isLessThan(4);
    }

    @Test
    void theChecksCatchAScaleThreePercentOffOrAThreePercentBias() {
        // The ε = 0.15 participant scale.
        double tau = 20.0 / 3;
        int range = (int) Math.ceil(40 * tau) + 5;
        long[] sample = laplaceSample(20, 3);

        LongToDoubleFunction wrongScale = GoodnessOfFit.laplacePmf(tau * 1.03);
        assertThat(GoodnessOfFit.chiSquare(sample, wrongScale, range).rejects()).isTrue();
        assertThat(Math.abs(GoodnessOfFit.varianceZ(sample, wrongScale, range))).isGreaterThan(4);

        LongToDoubleFunction right = GoodnessOfFit.laplacePmf(tau);
        LongToDoubleFunction biased = y -> right.applyAsDouble(y) * (1 + 0.03 * Long.signum(y));
        assertThat(GoodnessOfFit.chiSquare(sample, biased, range).rejects()).isTrue();
        assertThat(Math.abs(GoodnessOfFit.meanZ(sample, biased, range))).isGreaterThan(4);

        long[] gauss = gaussianSample(400, 1);
        int gRange = 405;
        assertThat(GoodnessOfFit.chiSquare(gauss, GoodnessOfFit.gaussianPmf(400 * 1.06, gRange), gRange).rejects()).isTrue();
    }

    @Test
    void theCriticalValueMatchesTabulatedChiSquareQuantiles() {
        // chi-square 0.999 quantiles from the tables: df 10 -> 29.59, df 50 -> 86.66, df 100 -> 149.45
        assertThat(GoodnessOfFit.criticalValue(10, GoodnessOfFit.Z_999)).isBetween(29.2, 30.0);
        assertThat(GoodnessOfFit.criticalValue(50, GoodnessOfFit.Z_999)).isBetween(86.2, 87.1);
        assertThat(GoodnessOfFit.criticalValue(100, GoodnessOfFit.Z_999)).isBetween(149.0, 149.9);
    }

    @Test
    void theSameKeyAndMaterialGiveTheSameDrawsAndOtherMaterialOthers() {
        ExactSampler a = sampler("determinism"), b = sampler("determinism"), c = sampler("determinism 2");
        long[] x = new long[50], y = new long[50], z = new long[50];
        for (int i = 0; i < 50; i++) {
            x[i] = a.discreteLaplace(Rational.of(20, 3));
            y[i] = b.discreteLaplace(Rational.of(20, 3));
            z[i] = c.discreteLaplace(Rational.of(20, 3));
        }
        assertThat(x).isEqualTo(y);
        assertThat(x).isNotEqualTo(z);
    }

    @Test
    void uniformBelowIsUniformAcrossTheLongAndBigIntegerPaths() {
        ExactSampler sampler = sampler("uniform");
        BigInteger big = BigInteger.ONE.shiftLeft(70).add(BigInteger.valueOf(5)); // beyond a long
        int[] buckets = new int[5];
        for (int i = 0; i < 50_000; i++) {
            BigInteger u = sampler.uniformBelow(big);
            assertThat(u.signum()).isGreaterThanOrEqualTo(0);
            assertThat(u).isLessThan(big);
            buckets[u.multiply(BigInteger.valueOf(5)).divide(big).intValueExact()]++;
        }
        for (int bucket : buckets) assertThat(bucket).isBetween(9_500, 10_500);
        int[] small = new int[7];
        for (int i = 0; i < 70_000; i++) small[(int) sampler.uniformBelow(7L)]++;
        for (int count : small) assertThat(count).isBetween(9_500, 10_500);
    }
}
