package de.prokommun.insights.privacy.publish;

import de.prokommun.insights.privacy.noise.ExactSampler;
import de.prokommun.insights.privacy.noise.KeyedStream;
import de.prokommun.insights.privacy.noise.Rational;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * A running count released after every period of a horizon of T periods, by the binary tree mechanism
 * (Dwork–Naor–Pitassi–Rothblum 2010; Chan–Shi–Song 2011). The periods are the leaves of a binary tree of depth
 * k = ⌈log₂ T⌉; every node holds the sum of the increments of its dyadic interval of periods plus its own discrete
 * Gaussian noise of variance parameter σ². {@link #total(int)} after period t is the sum of the nodes of the
 * dyadic decomposition of [1, t] (one per set bit of t, at most k + 1), so its error has variance at most
 * popcount(t)·σ², and one increment lies in exactly k + 1 nodes (one per level), whatever T.
 *
 * <p>Cost ({@link #rho}): a person who changes the count at most m times in the horizon (entering the counted
 * set is a change, leaving it is another; a person counted from the start and never leaving changes it once)
 * moves each of at most m·(k + 1) node sums by one per change, so the vector of node sums has squared L2
 * sensitivity at most m²·(k + 1) (each node moves by at most m, and at most m·(k + 1) unit moves happen), and the
 * whole horizon is ρ-zCDP with ρ = m²·(k + 1) / (2σ²) (CKS 2020: the discrete Gaussian with L2 sensitivity Δ is
 * Δ²/(2σ²)-zCDP, and the nodes' noises are independent). Bound m per horizon, or charge the excess.
 *
 * <p>Noise is drawn exactly (integers only) from a {@link KeyedStream} of (key, counter id, level, index), so a
 * node's noise is a function of its position: recomputing never gives a second draw to average. A node is
 * computed once, when its last period is recorded, and frozen: changing an increment afterwards would release the
 * difference of two true sums under the same noise, so corrections go into a later period's increment. For the
 * same reason a counter id must name one horizon of one figure (e.g. "residents/Saarn/2024-05"): two counters with
 * the same key and id share their noise. The state lives in memory; a restart must re-record the same increments.
 * Thread-safe.
 */
public final class ContinualCounter {

    private static final int MIN_KEY_BYTES = 32;
    /** 2²⁴ periods: a year of minutes fits 32 times; keeps 1 << level and the arrays far from int overflow. */
    public static final int MAX_HORIZON = 1 << 24;
    private static final BigInteger VARIANCE_DENOMINATOR = BigInteger.valueOf(1_000_000);

    private final byte[] prfKey;
    private final String counterId;
    private final int horizon;
    private final int depth;
    private final Rational sigmaSquared;
    private final long[] prefix;
    /** frozen[level][index]: the noisy sum of node (level, index) once complete. */
    private final long[][] frozen;
    private int periods;

    public ContinualCounter(byte[] prfKey, String counterId, int horizon, Rational sigmaSquared) {
        Objects.requireNonNull(prfKey, "prfKey");
        if (prfKey.length < MIN_KEY_BYTES) throw new IllegalArgumentException("prfKey must have at least " + MIN_KEY_BYTES + " bytes");
        if (counterId == null || counterId.isBlank()) throw new IllegalArgumentException("counterId is required");
        if (horizon < 1 || horizon > MAX_HORIZON)
            throw new IllegalArgumentException("horizon must be between 1 and " + MAX_HORIZON + " periods: " + horizon);
        Objects.requireNonNull(sigmaSquared, "sigmaSquared");
        if (sigmaSquared.isZero()) throw new IllegalArgumentException("sigma^2 must be positive");
        this.prfKey = prfKey.clone();
        this.counterId = counterId;
        this.horizon = horizon;
        this.depth = depth(horizon);
        this.sigmaSquared = sigmaSquared;
        this.prefix = new long[horizon + 1];
        this.frozen = new long[depth + 1][];
        for (int level = 0; level <= depth; level++) frozen[level] = new long[Math.max(1, horizon >> level)];
    }

    /** ⌈log₂ T⌉ + 1: the number of nodes an increment lies in, and the most nodes a total sums. */
    public static int nodesPerPeriod(int horizon) {
        if (horizon < 1 || horizon > MAX_HORIZON)
            throw new IllegalArgumentException("horizon must be between 1 and " + MAX_HORIZON + " periods: " + horizon);
        return depth(horizon) + 1;
    }

    private static int depth(int horizon) {
        return horizon == 1 ? 0 : 32 - Integer.numberOfLeadingZeros(horizon - 1);
    }

    /** ρ of the whole horizon for a person who changes the count at most {@code changesPerPerson} times; rounded up. */
    public static double rho(int horizon, Rational sigmaSquared, int changesPerPerson) {
        if (changesPerPerson < 1) throw new IllegalArgumentException("changesPerPerson must be at least 1: " + changesPerPerson);
        if (sigmaSquared.isZero()) throw new IllegalArgumentException("sigma^2 must be positive");
        BigInteger squaredSensitivity = BigInteger.valueOf(changesPerPerson).pow(2).multiply(BigInteger.valueOf(nodesPerPeriod(horizon)));
        BigDecimal exact = new BigDecimal(squaredSensitivity.multiply(sigmaSquared.denominator()))
                .divide(new BigDecimal(sigmaSquared.numerator().shiftLeft(1)), new MathContext(40, RoundingMode.UP));
        double d = exact.doubleValue();
        if (new BigDecimal(d).compareTo(exact) < 0) d = Math.nextUp(d);
        return d;
    }

    /** The smallest σ² (a multiple of 10⁻⁶, rounded up) whose {@link #rho} is at most {@code rho}. */
    public static Rational sigmaSquaredFor(int horizon, int changesPerPerson, double rho) {
        if (!(rho > 0) || Double.isInfinite(rho)) throw new IllegalArgumentException("rho must be positive: " + rho);
        BigDecimal squaredSensitivity = BigDecimal.valueOf((long) changesPerPerson * changesPerPerson * nodesPerPeriod(horizon));
        BigInteger scaled = squaredSensitivity.divide(new BigDecimal(rho).multiply(BigDecimal.valueOf(2)), new MathContext(40, RoundingMode.UP))
                .multiply(new BigDecimal(VARIANCE_DENOMINATOR)).setScale(0, RoundingMode.CEILING).toBigIntegerExact();
        return new Rational(scaled, VARIANCE_DENOMINATOR);
    }

    public int horizon() {
        return horizon;
    }

    /** Periods recorded so far. */
    public synchronized int periods() {
        return periods;
    }

    /**
     * Records the next period's change of the true count (may be negative) and freezes every node that ends with
     * it.
     */
    public synchronized void record(long increment) {
        if (periods == horizon) throw new IllegalStateException("counter " + counterId + " has recorded all " + horizon + " periods");
        periods++;
        prefix[periods] = Math.addExact(prefix[periods - 1], increment);
        for (int level = 0; level <= depth && periods % (1 << level) == 0; level++) {
            int index = (periods >> level) - 1;
            long trueSum = prefix[periods] - prefix[periods - (1 << level)];
            frozen[level][index] = Math.addExact(trueSum, noise(level, index));
        }
    }

    /** The noisy running total after period t (1 ≤ t ≤ {@link #periods()}): the sum of popcount(t) noisy nodes. */
    public synchronized long total(int t) {
        if (t < 1 || t > periods) throw new IllegalArgumentException("period must be between 1 and " + periods + ": " + t);
        long sum = 0;
        int start = 0;
        for (int level = depth; level >= 0; level--) {
            if ((t & (1 << level)) != 0) {
                sum = Math.addExact(sum, frozen[level][start >> level]);
                start += 1 << level;
            }
        }
        return sum;
    }

    /** How many noisy nodes {@link #total(int) total(t)} adds: its error variance is at most this times σ². */
    public static int nodesInTotal(int t) {
        if (t < 1) throw new IllegalArgumentException("period must be at least 1: " + t);
        return Integer.bitCount(t);
    }

    private long noise(int level, int index) {
        ExactSampler sampler = new ExactSampler(KeyedStream.derive(prfKey, "continual-counter", counterId,
                Integer.toString(level), Integer.toString(index)));
        return sampler.discreteGaussian(sigmaSquared);
    }

    @Override
    public String toString() {
        return "ContinualCounter[" + counterId + ", " + periods + "/" + horizon + "]";
    }
}
