package de.prokommun.insights.query.publication;

import de.prokommun.insights.query.journey.GiftMatrixBound;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Post-processing of one month of a journey/voucher release (reads noisy measurements only, so it costs nothing):
 * <ul>
 * <li>every published figure is a non-negative integer;</li>
 * <li>tables that partition one total are fitted to it and rounded so that their rows add up to it exactly
 *     ({@link #onTotal}: the least-squares non-negative fit with the total held — a projection onto the simplex —
 *     then integers by largest remainder): the gift vouchers sold and redeemed per participant, the employer vouchers credited per employer,
 *     and the employer vouchers spent — measured twice, per employer and per place — whose common total is the
 *     inverse-variance weighted mean of the two sums; visits per weekday × hour and per district likewise share one
 *     total. The summary row is those totals, so it equals the sum of its parts;</li>
 * <li>shared(A,B) ≤ min(customers(A), customers(B)) after rounding (clamped);</li>
 * <li>flows of one pair never decrease from 1h to 30d (the buckets are cumulative): the four measurements, of equal
 *     variance, are replaced by their isotonic least-squares fit (pool adjacent violators) before rounding;</li>
 * <li>the gift-voucher links into a place add up to at most its published redeemed value (scaled down in
 *     proportion where they would not, {@link #boundedByPlace}).</li>
 * </ul>
 * The first visits, bonus points, voucher counts, days to redemption and the gift-voucher matrix are clamped at 0
 * and rounded, cell by cell (the matrix then bounded by place).
 */
public final class JourneyConsistency {
    private JourneyConsistency() {}

    public static final String SUMMARY = "summary";
    public static final String GIFT_SOLD_TOTAL = "giftSoldCents";
    public static final String GIFT_REDEEMED_TOTAL = "giftRedeemedCents";
    public static final String EMPLOYER_CREDITED_TOTAL = "employerCreditedCents";
    public static final String EMPLOYER_SPENT_TOTAL = "employerSpentCents";

    /**
     * @param measured per group its noisy cells of one month (every label of the domain)
     * @param variance per group the σ² of its noise
     * @return per group key (and {@link #SUMMARY}) the published cells
     */
    public static Map<String, Map<String, Long>> publish(Map<JourneyGroup, Map<String, Long>> measured,
                                                         Map<JourneyGroup, Double> variance) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        Map<String, Long> customers = clamped(measured.get(JourneyGroup.CUSTOMERS));
        out.put(JourneyGroup.CUSTOMERS.key(), customers);
        Map<String, Long> shared = new LinkedHashMap<>();
        measured.get(JourneyGroup.SHARED).forEach((pair, v) -> {
            String[] ab = pair.split("→", 2);
            long bound = Math.min(customers.getOrDefault(ab[0], 0L), customers.getOrDefault(ab[1], 0L));
            shared.put(pair, Math.min(bound, Math.max(0, v)));
        });
        out.put(JourneyGroup.SHARED.key(), shared);
        flows(measured, out);
        out.put(JourneyGroup.FIRST_VISITS.key(), clamped(measured.get(JourneyGroup.FIRST_VISITS)));

        long visits = Math.max(0, Math.round(weightedTotal(
                measured.get(JourneyGroup.WEEKDAY_HOUR), variance.get(JourneyGroup.WEEKDAY_HOUR),
                measured.get(JourneyGroup.PLACE_VISITS), variance.get(JourneyGroup.PLACE_VISITS))));
        out.put(JourneyGroup.WEEKDAY_HOUR.key(), onTotal(measured.get(JourneyGroup.WEEKDAY_HOUR), visits));
        out.put(JourneyGroup.PLACE_VISITS.key(), onTotal(measured.get(JourneyGroup.PLACE_VISITS), visits));
        out.put(JourneyGroup.PLACE_SPEND.key(), partition(measured.get(JourneyGroup.PLACE_SPEND)));

        Map<String, Long> sold = partition(measured.get(JourneyGroup.GIFT_SOLD_CENTS));
        Map<String, Long> redeemed = partition(measured.get(JourneyGroup.GIFT_REDEEMED_CENTS));
        Map<String, Long> credited = partition(measured.get(JourneyGroup.EMPLOYER_CREDITED));
        long spent = Math.max(0, Math.round(weightedTotal(
                measured.get(JourneyGroup.EMPLOYER_SPENT), variance.get(JourneyGroup.EMPLOYER_SPENT),
                measured.get(JourneyGroup.EMPLOYER_SPENT_WHERE), variance.get(JourneyGroup.EMPLOYER_SPENT_WHERE))));
        out.put(JourneyGroup.GIFT_SOLD_CENTS.key(), sold);
        out.put(JourneyGroup.GIFT_REDEEMED_CENTS.key(), redeemed);
        out.put(JourneyGroup.EMPLOYER_CREDITED.key(), credited);
        out.put(JourneyGroup.EMPLOYER_SPENT.key(), onTotal(measured.get(JourneyGroup.EMPLOYER_SPENT), spent));
        out.put(JourneyGroup.EMPLOYER_SPENT_WHERE.key(), onTotal(
                measured.get(JourneyGroup.EMPLOYER_SPENT_WHERE), spent));
        for (JourneyGroup g : List.of(JourneyGroup.GIFT_SOLD_COUNT, JourneyGroup.GIFT_REDEEMED_COUNT,
                JourneyGroup.GIFT_LAG_DAYS, JourneyGroup.GIFT_TIMED, JourneyGroup.BONUS_EARNED,
                JourneyGroup.BONUS_REDEEMED)) {
            out.put(g.key(), clamped(measured.get(g)));
        }
        out.put(JourneyGroup.GIFT_MATRIX.key(), boundedByPlace(clamped(measured.get(JourneyGroup.GIFT_MATRIX)), redeemed));
        Map<String, Long> summary = new LinkedHashMap<>();
        summary.put(GIFT_SOLD_TOTAL, sum(sold));
        summary.put(GIFT_REDEEMED_TOTAL, sum(redeemed));
        summary.put(EMPLOYER_CREDITED_TOTAL, sum(credited));
        summary.put(EMPLOYER_SPENT_TOTAL, spent);
        out.put(SUMMARY, summary);
        return out;
    }

    /**
     * The gift-voucher links into each place never add up to more than the place's published redeemed value (issue
     * 15, finding 6): where they would, each is scaled down in proportion, rounded down (as {@link GiftMatrixBound}
     * does again to the cells an answer shows, with their suppression). A place without a published value sets no
     * bound.
     */
    static Map<String, Long> boundedByPlace(Map<String, Long> links, Map<String, Long> redeemed) {
        Map<String, Long> intoPlace = new LinkedHashMap<>();
        links.forEach((link, v) -> intoPlace.merge(GiftMatrixBound.placeOf(link), v, Long::sum));
        Map<String, Long> out = new LinkedHashMap<>();
        links.forEach((link, v) -> {
            String place = GiftMatrixBound.placeOf(link);
            Long bound = redeemed.get(place);
            long sum = intoPlace.get(place);
            out.put(link, bound == null || sum <= bound ? v : GiftMatrixBound.scaled(v, bound, sum));
        });
        return out;
    }

    /** Flows per pair made non-decreasing over the buckets (isotonic fit), then rounded and clamped at 0. */
    private static void flows(Map<JourneyGroup, Map<String, Long>> measured, Map<String, Map<String, Long>> out) {
        List<JourneyGroup> buckets = JourneyGroup.flows();
        List<Map<String, Long>> published = buckets.stream().map(g -> (Map<String, Long>) new LinkedHashMap<String, Long>()).toList();
        for (String pair : measured.get(buckets.get(0)).keySet()) {
            double[] v = new double[buckets.size()];
            for (int i = 0; i < v.length; i++) v[i] = measured.get(buckets.get(i)).get(pair);
            double[] fit = nonDecreasing(v);
            for (int i = 0; i < v.length; i++) published.get(i).put(pair, Math.max(0, Math.round(fit[i])));
        }
        for (int i = 0; i < buckets.size(); i++) out.put(buckets.get(i).key(), published.get(i));
    }

    /** The least-squares non-decreasing fit of equally weighted values (pool adjacent violators). */
    static double[] nonDecreasing(double[] values) {
        int n = values.length;
        double[] mean = new double[n];
        int[] size = new int[n];
        int blocks = 0;
        for (double v : values) {
            mean[blocks] = v;
            size[blocks] = 1;
            blocks++;
            while (blocks > 1 && mean[blocks - 2] > mean[blocks - 1]) {
                int s = size[blocks - 2] + size[blocks - 1];
                mean[blocks - 2] = (mean[blocks - 2] * size[blocks - 2] + mean[blocks - 1] * size[blocks - 1]) / s;
                size[blocks - 2] = s;
                blocks--;
            }
        }
        double[] out = new double[n];
        int at = 0;
        for (int b = 0; b < blocks; b++) for (int k = 0; k < size[b]; k++) out[at++] = mean[b];
        return out;
    }

    /** A table whose rows partition a total that is not measured on its own: total = their sum, rows fitted to it. */
    private static Map<String, Long> partition(Map<String, Long> measured) {
        return onTotal(measured, Math.max(0, sum(measured)));
    }

    /**
     * The non-negative integers closest (least squares) to the measured cells that add up to {@code total}: the
     * Euclidean projection onto the scaled simplex {x ≥ 0, Σx = total} (Duchi et al. 2008: x_i = max(0, v_i − τ)
     * with one τ for all cells), then floors and the remainder to the largest fractional parts (ties: the earlier
     * cell). Unlike clamping at 0 and rescaling, a large cell loses the same few units as every other positive cell,
     * not a proportion of itself, when many near-zero cells are measured negative.
     */
    static Map<String, Long> onTotal(Map<String, Long> measured, long total) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (measured.isEmpty()) return out;
        List<String> labels = new java.util.ArrayList<>(measured.keySet());
        int n = labels.size();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = measured.get(labels.get(i));
        double[] x = new double[n];
        if (total > 0) {
            double[] u = v.clone();
            java.util.Arrays.sort(u);
            double cumulative = 0;
            double tau = 0;
            for (int k = 1; k <= n; k++) {
                double uk = u[n - k];
                cumulative += uk;
                double t = (cumulative - total) / k;
                if (uk - t > 0) tau = t;
            }
            for (int i = 0; i < n; i++) x[i] = Math.max(0, v[i] - tau);
        }
        long[] floors = new long[n];
        long assigned = 0;
        for (int i = 0; i < n; i++) {
            floors[i] = (long) Math.floor(x[i]);
            assigned += floors[i];
        }
        long remainder = total - assigned;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Double.compare(x[b] - floors[b], x[a] - floors[a]));
        for (int r = 0; r < remainder; r++) floors[order[r % n]]++;
        for (int i = 0; i < n; i++) out.put(labels.get(i), floors[i]);
        return out;
    }

    /** The inverse-variance weighted mean of two tables' sums, both estimates of one total. */
    static double weightedTotal(Map<String, Long> a, double varianceA, Map<String, Long> b, double varianceB) {
        double va = a.size() * varianceA;
        double vb = b.size() * varianceB;
        return (sum(a) / va + sum(b) / vb) / (1 / va + 1 / vb);
    }

    private static Map<String, Long> clamped(Map<String, Long> measured) {
        Map<String, Long> out = new LinkedHashMap<>();
        measured.forEach((k, v) -> out.put(k, Math.max(0, v)));
        return out;
    }

    private static long sum(Map<String, Long> values) {
        long s = 0;
        for (long v : values.values()) s = Math.addExact(s, v);
        return s;
    }
}
