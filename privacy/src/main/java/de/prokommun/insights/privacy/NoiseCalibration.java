package de.prokommun.insights.privacy;

import de.prokommun.insights.privacy.noise.ExactSampler;
import de.prokommun.insights.privacy.noise.Rational;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Turns (mechanism, ε, δ, sensitivity Δ) into the exact rational parameter of the sampler, and draws.
 * <ul>
 * <li>Discrete Laplace: scale Δ/ε, exactly as a rational; ε-DP (CKS 2020, and Ghosh-Roughgarden-Sundararajan).</li>
 * <li>Discrete Gaussian: σ² = Δ²/(2ρ) is ρ-zCDP (CKS 2020, Thm. 14), and ρ-zCDP implies
 * (ρ + 2√(ρ ln(1/δ)), δ)-DP (Bun-Steinke 2016, Prop. 1.3). ρ is the root of ρ + 2√(ρ ln(1/δ)) = ε. This one
 * parameter is computed in floating point and then rounded <em>up</em> to a rational with a safety margin,
 * which can only add noise; the noise itself never touches floating point.</li>
 * </ul>
 */
public final class NoiseCalibration {
    private NoiseCalibration() {}

    private static final BigInteger SIGMA_SQUARED_DENOMINATOR = BigInteger.valueOf(1_000_000);

    public static Rational laplaceScale(BigDecimal epsilon, long sensitivity) {
        return Rational.of(sensitivity).divide(Rational.of(epsilon));
    }

    public static Rational gaussianSigmaSquared(BigDecimal epsilon, BigDecimal delta, long sensitivity) {
        double eps = epsilon.doubleValue();
        double logInverseDelta = -Math.log(delta.doubleValue());
        // sqrt(rho) = sqrt(L + eps) - sqrt(L), written without cancellation.
        double sqrtRho = eps / (Math.sqrt(logInverseDelta + eps) + Math.sqrt(logInverseDelta));
        double rho = sqrtRho * sqrtRho;
        double sigmaSquaredPerUnit = 1.0 / (2.0 * rho) * (1.0 + 1e-9);
        BigInteger scaled = new BigDecimal(sigmaSquaredPerUnit).multiply(new BigDecimal(SIGMA_SQUARED_DENOMINATOR))
                .setScale(0, RoundingMode.CEILING).toBigIntegerExact().add(BigInteger.ONE);
        BigInteger delta2 = BigInteger.valueOf(sensitivity).pow(2);
        return new Rational(scaled.multiply(delta2), SIGMA_SQUARED_DENOMINATOR);
    }

    /**
     * ρ (zCDP) of one release under this rule, for the city-wide accountant; rounded up. Discrete Laplace:
     * ε-DP implies (ε²/2)-zCDP (Bun–Steinke 2016, Prop. 1.4). Discrete Gaussian: Δ²/(2σ²) with the σ² actually
     * used (which was rounded up, so this ρ is at most the one ε and δ were solved for). The sensitivity cancels:
     * the noise is scaled with it.
     */
    public static double rho(RoleRules rules, long sensitivity) {
        BigDecimal exact = switch (rules.mechanism()) {
            case DISCRETE_LAPLACE -> rules.epsilonPerQuestion().multiply(rules.epsilonPerQuestion())
                    .divide(BigDecimal.valueOf(2));
            case DISCRETE_GAUSSIAN -> {
                Rational sigmaSquared = gaussianSigmaSquared(rules.epsilonPerQuestion(), rules.delta(), sensitivity);
                BigInteger numerator = BigInteger.valueOf(sensitivity).pow(2).multiply(sigmaSquared.denominator());
                BigInteger denominator = sigmaSquared.numerator().multiply(BigInteger.TWO);
                yield new BigDecimal(numerator).divide(new BigDecimal(denominator), new java.math.MathContext(40, RoundingMode.UP));
            }
        };
        double d = exact.doubleValue();
        if (new BigDecimal(d).compareTo(exact) < 0) d = Math.nextUp(d);
        return d;
    }

    /** One noise draw for this rule and sensitivity. */
    static long draw(ExactSampler sampler, RoleRules rules, long sensitivity) {
        return switch (rules.mechanism()) {
            case DISCRETE_LAPLACE -> sampler.discreteLaplace(laplaceScale(rules.epsilonPerQuestion(), sensitivity));
            case DISCRETE_GAUSSIAN -> sampler.discreteGaussian(
                    gaussianSigmaSquared(rules.epsilonPerQuestion(), rules.delta(), sensitivity));
        };
    }

    /** A stable text of everything that shapes the noise; part of a question's identity. */
    static String fingerprint(RoleRules rules, long sensitivity) {
        return rules.mechanism() + "/eps=" + rules.epsilonPerQuestion().stripTrailingZeros().toPlainString()
                + "/delta=" + rules.delta().stripTrailingZeros().toPlainString() + "/sensitivity=" + sensitivity;
    }
}
