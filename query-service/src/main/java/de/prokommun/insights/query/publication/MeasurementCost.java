package de.prokommun.insights.query.publication;

import de.prokommun.insights.privacy.noise.Rational;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;

/**
 * The noise and cost of one publication measured by a {@link MeasurementPlan}, chosen so that a month's
 * publications fit the city's publication share.
 *
 * <p>Every measurement is one histogram (one marginal of one slice) in which a person sits in exactly one cell: L2
 * sensitivity 1. A person may sit in every slice, so a neighbouring data set (one resident more or fewer) can
 * change every measurement of the publication by one in one cell. A discrete Gaussian of variance σ_m² on
 * measurement m is (1/(2σ_m²))-zCDP (Canonne–Kamath–Steinke 2020), and zCDP adds up, so one publication costs
 * <pre>ρ = Σ_m 1 / (2σ_m²)</pre>
 * over every measurement of every slice, and perMonth publications perMonth · ρ. Measurement m with weight w_m of
 * the publication's total weight W gets σ_m² = perMonth · W / (2 · share · w_m), i.e. ρ_m = (w_m / W) · share /
 * perMonth. The share is first shrunk by 10⁻⁶ and each σ_m² rounded up (to 8 significant digits), and ρ is added
 * up exactly and rounded up, so perMonth publications cost strictly less than the share.
 */
public record MeasurementCost(MeasurementPlan plan, List<String> slices, int perMonth, double publicationRhoPerMonth) {

    private static final MathContext UP = new MathContext(8, RoundingMode.UP);
    private static final MathContext SUM = new MathContext(34, RoundingMode.UP);
    /** Keeps perMonth rounded-up costs strictly inside the share the accountant compares them with. */
    private static final BigDecimal SAFETY = new BigDecimal("0.999999");

    public MeasurementCost {
        slices = List.copyOf(slices);
        if (slices.isEmpty()) throw new IllegalArgumentException("a publication has at least one slice");
        if (perMonth < 1) throw new IllegalArgumentException("publications per month must be at least 1: " + perMonth);
        if (!(publicationRhoPerMonth > 0) || Double.isInfinite(publicationRhoPerMonth)) {
            throw new IllegalArgumentException("the publication share must be a positive ρ: " + publicationRhoPerMonth);
        }
    }

    /** σ² of the noise of a measurement of that weight, as an exact decimal. */
    public BigDecimal sigmaSquared(int weight) {
        BigDecimal numerator = BigDecimal.valueOf(perMonth).multiply(BigDecimal.valueOf(plan.totalWeight(slices)));
        return numerator.divide(new BigDecimal(publicationRhoPerMonth).multiply(SAFETY).multiply(BigDecimal.valueOf(2))
                .multiply(BigDecimal.valueOf(weight)), UP);
    }

    public Rational sigmaSquaredRational(int weight) {
        return Rational.of(sigmaSquared(weight));
    }

    /** σ² of one slice's measurement of a marginal. */
    public BigDecimal sigmaSquared(String slice, Marginal marginal) {
        Integer w = plan.of(slice).get(marginal);
        if (w == null) throw new IllegalArgumentException(slice + " does not measure " + marginal.name());
        return sigmaSquared(w);
    }

    /** ρ of one publication: Σ over every measurement of 1/(2σ²) of the σ² actually used, rounded up. */
    public double rho() {
        BigDecimal rho = BigDecimal.ZERO;
        for (String slice : slices) {
            for (int w : plan.of(slice).values()) {
                rho = rho.add(BigDecimal.ONE.divide(sigmaSquared(w).multiply(BigDecimal.valueOf(2)), SUM), SUM);
            }
        }
        return Math.nextUp(rho.doubleValue());
    }
}
