package de.prokommun.insights.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The statistics DisclosureAttackIT relies on, checked against known values and simulated worlds. */
class DifferencingStatisticsTest {

    @Test
    void normalQuantilesMatchTables() {
        assertThat(DifferencingStatistics.upperQuantile(0.025)).isCloseTo(1.959964, within(1e-5));
        assertThat(DifferencingStatistics.upperQuantile(0.001)).isCloseTo(3.090232, within(1e-5));
        assertThat(DifferencingStatistics.upperQuantile(1e-6)).isCloseTo(4.753424, within(1e-4));
    }

    @Test
    void exactDifferenceProbabilityEqualsTheSumOverTheDistribution() {
        for (double eps : new double[] {0.15, 0.5, 1.0}) {
            double q = Math.exp(-eps), norm = (1 - q) / (1 + q), sum = 0;
            for (int x = -2000; x <= 2000; x++) sum += Math.pow(norm * Math.pow(q, Math.abs(x)), 2);
            assertThat(DifferencingStatistics.exactDifferenceProbability(eps)).isCloseTo(sum, within(1e-12));
        }
    }

    @Test
    void wilsonBoundsBracketTheProportionAndStayInsideZeroAndOne() {
        assertThat(DifferencingStatistics.wilsonLower(0, 400, 3)).isZero();
        assertThat(DifferencingStatistics.wilsonUpper(0, 400, 3)).isCloseTo(9.0 / 409, within(1e-12));
        assertThat(DifferencingStatistics.wilsonUpper(400, 400, 3)).isEqualTo(1.0);
        assertThat(DifferencingStatistics.wilsonLower(200, 400, 3)).isLessThan(0.5);
        assertThat(DifferencingStatistics.wilsonUpper(200, 400, 3)).isGreaterThan(0.5);
    }

    @Test
    void aShiftByOneOfEpsilonNoiseIsAcceptedAndAnExactOrLargeShiftIsFlagged() {
        double eps = 0.15;
        Random rnd = new Random(7);
        List<Long> with = new ArrayList<>(), without = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            with.add(1 + laplace(rnd, eps) - laplace(rnd, eps));
            without.add(laplace(rnd, eps) - laplace(rnd, eps));
        }
        assertThat(DifferencingStatistics.likelihoodRatio(with, without, 0.001).within(eps)).isTrue();
        List<Long> ones = new ArrayList<>(), zeros = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            ones.add(1L);
            zeros.add(0L);
        }
        assertThat(DifferencingStatistics.likelihoodRatio(ones, zeros, 0.001).within(eps)).isFalse();
        List<Long> shifted = with.stream().map(d -> d + 19).toList();
        assertThat(DifferencingStatistics.likelihoodRatio(shifted, without, 0.001).within(eps)).isFalse();
    }

    /** Discrete Laplace as the difference of two geometric draws (floating point is fine in a test simulation). */
    private static long laplace(Random rnd, double eps) {
        return geometric(rnd, eps) - geometric(rnd, eps);
    }

    private static long geometric(Random rnd, double eps) {
        return (long) Math.floor(Math.log(1 - rnd.nextDouble()) / -eps);
    }
}
