package de.prokommun.insights.query.publication;

import de.prokommun.insights.privacy.noise.Rational;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The noise and cost of one publication, chosen so that a month's publications fit the city's publication share.
 *
 * <p>A publication is a set of histograms: per slice (everybody, each persona, each published interest) one per
 * measured level of its hierarchy (total, district, district × age band, ... , the cells). In each histogram one
 * person sits in exactly one node, so its L2 sensitivity is 1. A person may sit in every slice, so the
 * publication's L2 sensitivity is Δ = √histograms without any bound on personas or interests per person. A
 * discrete Gaussian with variance σ² per node gives ρ = Δ² / (2σ²) = histograms / (2σ²)
 * (Canonne–Kamath–Steinke 2020), and {@code perMonth} publications compose to perMonth · ρ. Setting that equal to
 * the month's publication share:
 * <pre>σ² = perMonth · histograms / (2 · share)</pre>
 * The share is first shrunk by 10⁻⁶ and σ² rounded up (to 8 significant digits), so perMonth publications cost
 * strictly less than the share, whatever the rounding of the ρ the accountant adds up.
 *
 * <p>The purchase statistics ({@link #ofPurchases}) are one more release per period with its own σ², paid from
 * their fraction f of the share; the audience cube is then priced against (1 − f) of it. Per month the two
 * compose to perMonth · (ρ_audience + ρ_purchases) &lt; (1 − f) · share + f · share = share.
 */
public record PublicationCost(int histograms, int perMonth, double publicationRhoPerMonth) {

    private static final MathContext UP = new MathContext(8, RoundingMode.UP);
    /** Keeps perMonth rounded-up costs strictly inside the share the accountant compares them with. */
    private static final BigDecimal SAFETY = new BigDecimal("0.999999");

    public PublicationCost {
        if (histograms < 1) throw new IllegalArgumentException("histograms must be at least 1: " + histograms);
        if (perMonth < 1) throw new IllegalArgumentException("publications per month must be at least 1: " + perMonth);
        if (!(publicationRhoPerMonth > 0) || Double.isInfinite(publicationRhoPerMonth)) {
            throw new IllegalArgumentException("the publication share must be a positive ρ: " + publicationRhoPerMonth);
        }
    }

    /** σ² of every cell's noise, as an exact decimal. */
    public BigDecimal sigmaSquared() {
        BigDecimal numerator = BigDecimal.valueOf((long) perMonth * histograms);
        return numerator.divide(new BigDecimal(publicationRhoPerMonth).multiply(SAFETY).multiply(BigDecimal.valueOf(2)), UP);
    }

    /**
     * The cost of one release of purchase statistics over a domain, paid from {@code share} (the purchases'
     * fraction of the city's publication share). Its "histograms" are the release's squared L2 sensitivity over
     * one person's data, {@link PurchaseDomain#sensitivitySquared()}: the pipeline keeps one distinct row per
     * person, category (or participant) and period, so each figure's total, marginals and persona cells move by
     * at most 1 each, but nothing bounds how many categories and participants a person buys in, so every one
     * counts.
     */
    public static PublicationCost ofPurchases(PurchaseDomain domain, int perMonth, double share) {
        return new PublicationCost(Math.toIntExact(domain.sensitivitySquared()), perMonth, share);
    }

    public Rational sigmaSquaredRational() {
        return Rational.of(sigmaSquared());
    }

    /** ρ of one publication with that σ²: histograms / (2σ²), rounded up to the next double. */
    public double rho() {
        double rho = histograms / (2 * sigmaSquared().doubleValue());
        return Math.nextUp(rho);
    }
}
