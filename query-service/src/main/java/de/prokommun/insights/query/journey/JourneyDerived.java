package de.prokommun.insights.query.journey;

import de.prokommun.insights.query.insights.Derived;

import de.prokommun.insights.privacy.ReleasedCell;
import java.util.List;

/**
 * Journey values computed from released cells only (post-processing, no privacy cost). A suppressed input or a
 * zero denominator gives no value (null) rather than a guess.
 */
public final class JourneyDerived {
    private JourneyDerived() {}

    /**
     * The baseline purchase rate of an age band among the residents who did not engage:
     * (customers − engaged buyers) / (residents − engaged), clamped to [0, 1] (noise can push either side out).
     */
    static Double baselineRate(ReleasedCell customers, ReleasedCell engagedBuyers, ReleasedCell residents,
                               ReleasedCell engaged) {
        Long c = value(customers);
        Long b = value(engagedBuyers);
        Long r = value(residents);
        Long e = value(engaged);
        if (c == null || b == null || r == null || e == null || r - e <= 0) return null;
        return rounded(Math.min(1.0, Math.max(0.0, (double) (c - b) / (r - e))));
    }

    /**
     * The conversion expected of the engaged residents had they bought like the others of their band:
     * Σ engaged(band) × rate(band) / Σ engaged(band), over the bands with both values.
     */
    static Double expectedConversion(List<ReleasedCell> engagedPerBand, List<Double> ratePerBand) {
        double weighted = 0;
        long engaged = 0;
        for (int i = 0; i < engagedPerBand.size(); i++) {
            Long e = value(engagedPerBand.get(i));
            Double rate = ratePerBand.get(i);
            if (e == null || rate == null) continue;
            weighted += e * rate;
            engaged += e;
        }
        return engaged == 0 ? null : rounded(weighted / engaged);
    }

    /** (a + b) / (c + d) of four released totals, e.g. voucher value spent over voucher value issued. */
    /**
     * Mean days = lag days / redemptions, both released; null outside [0, {@link JourneyClamps#MAX_COUNTED_LAG_DAYS}]:
     * no counted redemption lies further from its sale, so such a quotient can only come from noise.
     */
    public static Double meanDays(ReleasedCell lagDays, ReleasedCell redemptions) {
        Double mean = Derived.share(lagDays, redemptions);
        return mean == null || mean < 0 || mean > JourneyClamps.MAX_COUNTED_LAG_DAYS ? null : mean;
    }

    public static Double shareOfSums(ReleasedCell a, ReleasedCell b, ReleasedCell c, ReleasedCell d) {
        Long va = value(a);
        Long vb = value(b);
        Long vc = value(c);
        Long vd = value(d);
        if (va == null || vb == null || vc == null || vd == null || vc + vd == 0) return null;
        return rounded((double) (va + vb) / (vc + vd));
    }

    private static Long value(ReleasedCell cell) {
        return cell == null || cell.suppressed() ? null : cell.value();
    }

    private static double rounded(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
