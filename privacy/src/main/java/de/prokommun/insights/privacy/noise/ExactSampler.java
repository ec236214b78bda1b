package de.prokommun.insights.privacy.noise;

import java.math.BigInteger;
import java.util.Objects;

/**
 * Exact samplers of Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential Privacy" (NeurIPS 2020),
 * Algorithms 1-3: Bernoulli(exp(-gamma)) for rational gamma, the discrete Laplace distribution with rational scale
 * t/s, and the discrete Gaussian with rational variance parameter sigma^2. Only integer arithmetic on uniform
 * integers is used: every output has exactly the stated distribution if the bit source is uniform.
 */
public final class ExactSampler {

    private static final BigInteger TWO = BigInteger.TWO;
    private static final long LONG_LIMIT_BITS = 62;

    private final RandomBits bits;

    public ExactSampler(RandomBits bits) {
        this.bits = Objects.requireNonNull(bits, "bits");
    }

    /** A uniform integer in [0, n), by rejection from the smallest power of two above n. */
    public BigInteger uniformBelow(BigInteger n) {
        if (n.signum() <= 0) throw new IllegalArgumentException("bound must be positive: " + n);
        int bitLength = n.subtract(BigInteger.ONE).bitLength();
        if (bitLength <= LONG_LIMIT_BITS) return BigInteger.valueOf(uniformBelow(n.longValueExact()));
        while (true) {
            BigInteger candidate = randomBits(bitLength);
            if (candidate.compareTo(n) < 0) return candidate;
        }
    }

    /** A uniform integer in [0, n) for 0 < n < 2^62. */
    public long uniformBelow(long n) {
        if (n <= 0) throw new IllegalArgumentException("bound must be positive: " + n);
        if (n == 1) return 0;
        int bitLength = 64 - Long.numberOfLeadingZeros(n - 1);
        long mask = bitLength == 64 ? -1L : (1L << bitLength) - 1;
        while (true) {
            long candidate = bits.nextLong() & mask;
            if (candidate < n) return candidate;
        }
    }

    private BigInteger randomBits(int count) {
        BigInteger result = BigInteger.ZERO;
        int remaining = count;
        while (remaining > 0) {
            int take = Math.min(remaining, 63);
            long chunk = bits.nextLong() >>> (64 - take);
            result = result.shiftLeft(take).or(BigInteger.valueOf(chunk));
            remaining -= take;
        }
        return result;
    }

    /** Bernoulli(p) for a rational p in [0, 1]. */
    public boolean bernoulli(Rational p) {
        if (p.numerator().compareTo(p.denominator()) > 0) throw new IllegalArgumentException("probability above 1: " + p);
        return uniformBelow(p.denominator()).compareTo(p.numerator()) < 0;
    }

    /** Bernoulli(exp(-gamma)) for a rational gamma >= 0 (CKS 2020, Algorithm 1). */
    public boolean bernoulliExpMinus(Rational gamma) {
        if (gamma.compareTo(Rational.ONE) <= 0) return bernoulliExpMinusAtMostOne(gamma);
        BigInteger whole = gamma.floor();
        for (BigInteger k = BigInteger.ONE; k.compareTo(whole) <= 0; k = k.add(BigInteger.ONE)) {
            if (!bernoulliExpMinusAtMostOne(Rational.ONE)) return false;
        }
        return bernoulliExpMinusAtMostOne(gamma.fraction());
    }

    // For gamma in [0,1]: draw A_k ~ Bernoulli(gamma/k) for k = 1, 2, ... until the first A_k = 0;
    // P[that k is odd] = exp(-gamma).
    private boolean bernoulliExpMinusAtMostOne(Rational gamma) {
        BigInteger k = BigInteger.ONE;
        while (bernoulli(new Rational(gamma.numerator(), gamma.denominator().multiply(k)))) {
            k = k.add(BigInteger.ONE);
        }
        return k.testBit(0);
    }

    /**
     * The discrete Laplace distribution with scale t/s (CKS 2020, Algorithm 2):
     * P[Y = y] = (e^(s/t) - 1) / (e^(s/t) + 1) * e^(-|y| s / t) for every integer y.
     */
    public long discreteLaplace(BigInteger t, BigInteger s) {
        if (t.signum() <= 0) throw new IllegalArgumentException("t must be positive: " + t);
        if (s.signum() <= 0) throw new IllegalArgumentException("s must be positive: " + s);
        while (true) {
            BigInteger u = uniformBelow(t);
            if (!bernoulliExpMinus(new Rational(u, t))) continue;
            BigInteger v = BigInteger.ZERO;
            while (bernoulliExpMinus(Rational.ONE)) v = v.add(BigInteger.ONE);
            BigInteger x = u.add(t.multiply(v));
            BigInteger y = x.divide(s);
            boolean negative = bits.nextLong() < 0;
            if (negative && y.signum() == 0) continue;
            return negative ? -y.longValueExact() : y.longValueExact();
        }
    }

    /** The discrete Laplace distribution with a rational scale: P[Y = y] proportional to exp(-|y| / scale). */
    public long discreteLaplace(Rational scale) {
        if (scale.isZero()) throw new IllegalArgumentException("scale must be positive");
        return discreteLaplace(scale.numerator(), scale.denominator());
    }

    /**
     * The discrete Gaussian with variance parameter sigma^2 (CKS 2020, Algorithm 3):
     * P[Y = y] proportional to exp(-y^2 / (2 sigma^2)) for every integer y.
     */
    public long discreteGaussian(Rational sigmaSquared) {
        if (sigmaSquared.isZero()) throw new IllegalArgumentException("sigma^2 must be positive");
        BigInteger n = sigmaSquared.numerator();
        BigInteger d = sigmaSquared.denominator();
        BigInteger t = sigmaSquared.floorSqrt().add(BigInteger.ONE);
        BigInteger twoNTSquaredD = TWO.multiply(n).multiply(t).multiply(t).multiply(d);
        while (true) {
            long y = discreteLaplace(t, BigInteger.ONE);
            // gamma = (|y| - sigma^2/t)^2 / (2 sigma^2) = (|y| t d - n)^2 / (2 n t^2 d)
            BigInteger gap = BigInteger.valueOf(Math.abs(y)).multiply(t).multiply(d).subtract(n);
            if (bernoulliExpMinus(new Rational(gap.multiply(gap), twoNTSquaredD))) return y;
        }
    }
}
