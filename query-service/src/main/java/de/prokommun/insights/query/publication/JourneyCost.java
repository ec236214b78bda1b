package de.prokommun.insights.query.publication;

import de.prokommun.insights.privacy.noise.Rational;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.EnumMap;
import java.util.Map;

/**
 * The noise and cost of one journey/voucher release, chosen so that {@code perMonth} of them fit the journey's part
 * of the city's publication share. Group g (one histogram per month of the window, L2 sensitivity Δ_g over one
 * person's data, {@link JourneyGroup#sensitivitySquared}) gets weight w_g of W and a discrete Gaussian of
 * <pre>σ_g² = perMonth · W · Δ_g² / (2 · share · w_g)</pre>
 * so ρ_g = Δ_g²/(2σ_g²) = (w_g / W) · share / perMonth (Canonne–Kamath–Steinke 2020), and zCDP adds up:
 * ρ = Σ_g Δ_g²/(2σ_g²). As in {@link PublicationCost} and {@link MeasurementCost}, the share is shrunk by 10⁻⁶, each
 * σ² rounded up to 8 significant digits and ρ added up exactly and rounded up, so perMonth releases cost strictly
 * less than the share. (PublicationCost's formula with Δ² in place of "histograms"; Δ² in cents² does not fit its
 * int, hence this class.)
 */
public record JourneyCost(JourneyDomain domain, int perMonth, double shareRhoPerMonth) {

    private static final MathContext UP = new MathContext(8, RoundingMode.UP);
    private static final MathContext SUM = new MathContext(34, RoundingMode.UP);
    private static final BigDecimal SAFETY = new BigDecimal("0.999999");

    public JourneyCost {
        if (perMonth < 1) throw new IllegalArgumentException("publications per month must be at least 1: " + perMonth);
        if (!(shareRhoPerMonth > 0) || Double.isInfinite(shareRhoPerMonth)) {
            throw new IllegalArgumentException("the journey share must be a positive ρ: " + shareRhoPerMonth);
        }
    }

    /** σ² of the group's noise, as an exact decimal. */
    public BigDecimal sigmaSquared(JourneyGroup g) {
        BigDecimal numerator = BigDecimal.valueOf(perMonth).multiply(BigDecimal.valueOf(JourneyGroup.totalWeight()))
                .multiply(BigDecimal.valueOf(g.sensitivitySquared(domain)));
        return numerator.divide(new BigDecimal(shareRhoPerMonth).multiply(SAFETY).multiply(BigDecimal.valueOf(2))
                .multiply(BigDecimal.valueOf(g.weight())), UP);
    }

    public Rational sigmaSquaredRational(JourneyGroup g) {
        return Rational.of(sigmaSquared(g));
    }

    /** σ of every group (for logs, docs and the file). */
    public Map<JourneyGroup, BigDecimal> sigmaSquared() {
        Map<JourneyGroup, BigDecimal> out = new EnumMap<>(JourneyGroup.class);
        for (JourneyGroup g : JourneyGroup.values()) out.put(g, sigmaSquared(g));
        return out;
    }

    /** ρ of one release: Σ_g Δ_g² / (2σ_g²) of the σ² actually used, rounded up. */
    public double rho() {
        BigDecimal rho = BigDecimal.ZERO;
        for (JourneyGroup g : JourneyGroup.values()) {
            rho = rho.add(BigDecimal.valueOf(g.sensitivitySquared(domain))
                    .divide(sigmaSquared(g).multiply(BigDecimal.valueOf(2)), SUM), SUM);
        }
        return Math.nextUp(rho.doubleValue());
    }
}
