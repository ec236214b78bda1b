package de.prokommun.insights.privacy.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import de.prokommun.insights.privacy.noise.Rational;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ContinualCounterTest {

    private static final byte[] KEY = "continual-counter-test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Rational SIGMA_SQUARED = Rational.of(100);

    private static ContinualCounter counter(String id, int horizon, long[] increments) {
        ContinualCounter c = new ContinualCounter(KEY, id, horizon, SIGMA_SQUARED);
        for (long x : increments) c.record(x);
        return c;
    }

    private static long[] randomIncrements(int n, long seed) {
        Random random = new Random(seed);
        long[] x = new long[n];
        for (int i = 0; i < n; i++) x[i] = random.nextInt(200) - 50;
        return x;
    }

    @Test
    void theSameKeyAndCounterGiveTheSameTotalsAndAnotherCounterOtherNoise() {
        long[] x = randomIncrements(20, 1);
        ContinualCounter a = counter("residents/Saarn", 24, x), b = counter("residents/Saarn", 24, x);
        ContinualCounter other = counter("residents/Broich", 24, x);
        int differ = 0;
        for (int t = 1; t <= 20; t++) {
            assertThat(a.total(t)).isEqualTo(b.total(t));
            if (a.total(t) != other.total(t)) differ++;
        }
        assertThat(differ).isGreaterThan(15);
    }

    @Test
    void aReleasedTotalNeverChangesWhenLaterPeriodsAreRecorded() {
        ContinualCounter c = new ContinualCounter(KEY, "frozen", 16, SIGMA_SQUARED);
        long[] seen = new long[17];
        long[] x = randomIncrements(16, 2);
        for (int t = 1; t <= 16; t++) {
            c.record(x[t - 1]);
            seen[t] = c.total(t);
            for (int s = 1; s <= t; s++) assertThat(c.total(s)).isEqualTo(seen[s]);
        }
        assertThatThrownBy(() -> c.record(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new ContinualCounter(KEY, "x", 4, SIGMA_SQUARED).total(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ContinualCounter(KEY, "x", ContinualCounter.MAX_HORIZON + 1, SIGMA_SQUARED))
                .hasMessageContaining("horizon");
    }

    /**
     * Same noise, one increment one higher at period p: every total from p on is exactly one higher and every
     * total before p the same. So each total contains each earlier period exactly once, the tree's defining property.
     */
    @Test
    void eachTotalCountsEveryEarlierPeriodExactlyOnce() {
        int horizon = 37; // not a power of two
        long[] x = randomIncrements(horizon, 3);
        ContinualCounter base = counter("c", horizon, x);
        for (int p = 1; p <= horizon; p++) {
            long[] changed = x.clone();
            changed[p - 1] += 1;
            ContinualCounter moved = counter("c", horizon, changed);
            for (int t = 1; t <= horizon; t++)
                assertThat(moved.total(t) - base.total(t)).as("p=%d t=%d", p, t).isEqualTo(t >= p ? 1 : 0);
        }
    }

    /** The error of total(t) is the sum of popcount(t) independent discrete Gaussians: variance ≈ popcount(t)·σ². */
    @Test
    void theErrorVarianceIsTheNumberOfNodesTimesSigmaSquared() {
        int counters = 3000;
        long[] x = randomIncrements(8, 4);
        long truth7 = 0, truth8;
        for (int i = 0; i < 7; i++) truth7 += x[i];
        truth8 = truth7 + x[7];
        double sum7 = 0, squares7 = 0, sum8 = 0, squares8 = 0;
        for (int i = 0; i < counters; i++) {
            ContinualCounter c = counter("variance-" + i, 8, x);
            double e7 = c.total(7) - truth7, e8 = c.total(8) - truth8;
            sum7 += e7;
            squares7 += e7 * e7;
            sum8 += e8;
            squares8 += e8 * e8;
        }
        double variance7 = squares7 / counters - Math.pow(sum7 / counters, 2);
        double variance8 = squares8 / counters - Math.pow(sum8 / counters, 2);
        assertThat(ContinualCounter.nodesInTotal(7)).isEqualTo(3);
        assertThat(ContinualCounter.nodesInTotal(8)).isEqualTo(1);
        // Standard error of a sample variance is about var·√(2/n) ≈ 2.6 %; allow 12 %.
        assertThat(variance7).isCloseTo(300, within(36.0));
        assertThat(variance8).isCloseTo(100, within(12.0));
        assertThat(sum7 / counters).isCloseTo(0, within(2.0));
    }

    @Test
    void theHorizonCostsLogarithmicallyAndGrowsWithTheSquareOfTheChanges() {
        assertThat(ContinualCounter.nodesPerPeriod(1)).isEqualTo(1);
        assertThat(ContinualCounter.nodesPerPeriod(8)).isEqualTo(4);
        assertThat(ContinualCounter.nodesPerPeriod(9)).isEqualTo(5);
        assertThat(ContinualCounter.nodesPerPeriod(744)).isEqualTo(11); // the hours of a month
        assertThat(ContinualCounter.rho(8, SIGMA_SQUARED, 1)).isEqualTo(4.0 / 200);
        assertThat(ContinualCounter.rho(744, SIGMA_SQUARED, 1)).isEqualTo(11.0 / 200);
        assertThat(ContinualCounter.rho(744, SIGMA_SQUARED, 3)).isCloseTo(9 * 11.0 / 200, within(1e-15));
        // 744 separate releases at the same σ² would cost 744/200.
        assertThat(ContinualCounter.rho(744, SIGMA_SQUARED, 1)).isLessThan(744.0 / 200 / 60);
        // Rounded up: 1/3 of a rational is never charged as less.
        assertThat(ContinualCounter.rho(2, Rational.of(3), 1)).isGreaterThanOrEqualTo(2.0 / 6);

        Rational calibrated = ContinualCounter.sigmaSquaredFor(744, 2, 0.05);
        double charged = ContinualCounter.rho(744, calibrated, 2);
        assertThat(charged).isLessThanOrEqualTo(0.05).isCloseTo(0.05, within(1e-7));
    }
}
