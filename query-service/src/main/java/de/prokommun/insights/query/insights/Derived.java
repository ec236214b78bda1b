package de.prokommun.insights.query.insights;

import de.prokommun.insights.privacy.ReleasedCell;

/**
 * Values computed from released cells only (post-processing, no privacy cost): never from a true figure.
 * A suppressed or zero input gives no value (null) rather than a guess.
 */
public final class Derived {
    private Derived() {}

    /**
     * Lift of a segment: (segment buyers / segment population) ÷ (all buyers / population). 1 = buys like the
     * city, 2 = twice as likely to buy.
     */
    public static Double lift(ReleasedCell segmentBuyers, ReleasedCell segmentPopulation, ReleasedCell allBuyers,
                       ReleasedCell population) {
        Double segmentRate = ratio(segmentBuyers, segmentPopulation);
        Double cityRate = ratio(allBuyers, population);
        if (segmentRate == null || cityRate == null || cityRate == 0) return null;
        return rounded(segmentRate / cityRate);
    }

    /** part ÷ whole of two released cells, rounded to three decimals. */
    public static Double share(ReleasedCell part, ReleasedCell whole) {
        Double r = ratio(part, whole);
        return r == null ? null : rounded(r);
    }

    /** The index of two shares: how much more common a group is among one's own customers than in the city. */
    public static Double index(Double share, Double cityShare) {
        if (share == null || cityShare == null || cityShare == 0) return null;
        return rounded(share / cityShare);
    }

    /**
     * The uplift of a campaign: the treatment's conversion rate minus the control group's, in rate points (0.03 =
     * three percentage points more converted because they were contacted).
     */
    public static Double uplift(Double treatmentRate, Double controlRate) {
        if (treatmentRate == null || controlRate == null) return null;
        return rounded(treatmentRate - controlRate);
    }

    private static Double ratio(ReleasedCell part, ReleasedCell whole) {
        if (part == null || whole == null || part.suppressed() || whole.suppressed()) return null;
        if (whole.value() == null || whole.value() == 0 || part.value() == null) return null;
        return (double) part.value() / whole.value();
    }

    private static double rounded(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
