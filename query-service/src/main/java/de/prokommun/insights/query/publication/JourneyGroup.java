package de.prokommun.insights.query.publication;

import de.prokommun.insights.privacy.SumClamps;
import de.prokommun.insights.query.journey.JourneyClamps;
import java.util.List;

/**
 * The measured groups of a journey/voucher release: each is one histogram per month (its cells are the rows of one
 * table), noised with one σ² of its own, and has an honest bound on what one person's whole data can change in it.
 *
 * <p>Sensitivity (L2, over one person's entire record), from the pipeline's clamps (docs/JOURNEY-MEASURES.md,
 * {@link JourneyClamps}): distinct-person matrices add at most 1 per cell and nothing bounds how many cells a person
 * reaches, so their L2² is the number of cells (customers of all P participants; shared customers of all
 * P·(P−1)/2 unordered pairs — the pipeline writes A→B and B→A for the same person, so one measured cell serves both;
 * flows of all P·(P−1) ordered pairs, per lag bucket, since consecutive visits are not capped). Sums are cut per
 * person and month upstream, so one person's contributions to all cells of a month add up to at most the cut C, and
 * for non-negative contributions ‖x‖₂ ≤ ‖x‖₁ ≤ C: L2² = C² (visits: {@code visitsPerPersonMonth}; spend:
 * {@code spendCentsPerPersonMonth}; voucher cents: {@code voucherCentsPerPersonMonth}; counts of voucher rows of at
 * least 5 EUR: C/500; days to redemption: that count × 366; bonus points). A person can contribute in every month,
 * so the window's L2² is months × that — except the first visit, which a person has exactly once (L2² = 1 for the
 * whole window).
 *
 * <p>The weight is the group's share of the release's ρ (integer units of {@link #totalWeight()}).
 */
public enum JourneyGroup {
    CUSTOMERS("customers", 2),
    SHARED("shared", 3),
    FLOWS_1H("flows:1", 1),
    FLOWS_24H("flows:24", 1),
    FLOWS_7D("flows:168", 1),
    FLOWS_30D("flows:720", 1),
    FIRST_VISITS("firstVisits", 1),
    WEEKDAY_HOUR("weekdayHour", 2),
    PLACE_VISITS("placeVisits", 2),
    PLACE_SPEND("placeSpend", 1),
    GIFT_SOLD_CENTS("giftSoldCents", 1),
    GIFT_SOLD_COUNT("giftSoldCount", 1),
    GIFT_REDEEMED_CENTS("giftRedeemedCents", 1),
    GIFT_REDEEMED_COUNT("giftRedeemedCount", 1),
    GIFT_LAG_DAYS("giftLagDays", 1),
    GIFT_TIMED("giftTimed", 1),
    GIFT_MATRIX("giftMatrix", 1),
    EMPLOYER_CREDITED("employerCredited", 1),
    EMPLOYER_SPENT("employerSpent", 1),
    EMPLOYER_SPENT_WHERE("employerSpentWhere", 1),
    BONUS_EARNED("bonusEarned", 1),
    BONUS_REDEEMED("bonusRedeemed", 1);

    private final String key;
    private final int weight;

    JourneyGroup(String key, int weight) {
        this.key = key;
        this.weight = weight;
    }

    /** The name in the publication file. */
    public String key() {
        return key;
    }

    public int weight() {
        return weight;
    }

    public static int totalWeight() {
        int w = 0;
        for (JourneyGroup g : values()) w += g.weight;
        return w;
    }

    public static JourneyGroup ofKey(String key) {
        for (JourneyGroup g : values()) if (g.key.equals(key)) return g;
        throw new IllegalArgumentException("unknown journey figure group: " + key);
    }

    /** The flow groups in bucket order (1h, 24h, 7d, 30d): cumulative, so their truths never decrease. */
    public static List<JourneyGroup> flows() {
        return List.of(FLOWS_1H, FLOWS_24H, FLOWS_7D, FLOWS_30D);
    }

    public static JourneyGroup flows(int hours) {
        for (JourneyGroup g : flows()) if (g.key.equals("flows:" + hours)) return g;
        throw new IllegalArgumentException("no flow bucket of " + hours + " hours");
    }

    /** The cells of the group in one month, in publication order. */
    public List<String> labels(JourneyDomain d) {
        return switch (this) {
            case CUSTOMERS -> d.participants();
            case SHARED -> d.unorderedPairs();
            case FLOWS_1H, FLOWS_24H, FLOWS_7D, FLOWS_30D -> d.orderedPairs();
            case WEEKDAY_HOUR -> JourneyDomain.slots();
            case PLACE_VISITS, PLACE_SPEND -> d.districtsAndOther();
            case GIFT_MATRIX -> d.matrixPairs();
            case EMPLOYER_CREDITED, EMPLOYER_SPENT -> d.employersAndOther();
            default -> d.participantsAndOther();
        };
    }

    /**
     * L2² of one person's contribution to this group in one month (for first visits: in the whole window). Shared
     * customers and flows are computed from a person's counted facts only: at most v = {@code visitsPerPersonMonth}
     * visits of a month (docs/JOURNEY-MEASURES.md, "Counted facts"). So a person shares at most v participants in
     * a month, v(v−1)/2 unordered pairs, and is the destination of at most v flows of a month per bucket (one per
     * counted visit, the first possibly from the previous month's last visit; each adds 1 to one (from, to) cell at
     * most once): v, not the v − 1 consecutive pairs within the month. Each bound is capped by the number of cells.
     * Customers per participant come from the purchase ledger, which bounds no number of participants: P.
     */
    public long sensitivitySquaredPerMonth(JourneyDomain d) {
        long p = d.participants().size();
        SumClamps c = d.clamps();
        long v = JourneyClamps.visits(c, 1);
        return switch (this) {
            case CUSTOMERS -> p;
            case SHARED -> Math.min(p * (p - 1) / 2, v * (v - 1) / 2);
            case FLOWS_1H, FLOWS_24H, FLOWS_7D, FLOWS_30D -> Math.min(p * (p - 1), v);
            case FIRST_VISITS -> 1;
            case WEEKDAY_HOUR, PLACE_VISITS -> square(JourneyClamps.visits(c, 1));
            case PLACE_SPEND -> square(JourneyClamps.spendCents(c, 1));
            case GIFT_SOLD_CENTS, GIFT_REDEEMED_CENTS, GIFT_MATRIX, EMPLOYER_CREDITED, EMPLOYER_SPENT,
                 EMPLOYER_SPENT_WHERE -> square(JourneyClamps.voucherCents(c, 1));
            case GIFT_SOLD_COUNT, GIFT_REDEEMED_COUNT, GIFT_TIMED -> square(JourneyClamps.voucherCount(c, 1));
            case GIFT_LAG_DAYS -> square(JourneyClamps.voucherLagDays(c, 1));
            case BONUS_EARNED, BONUS_REDEEMED -> square(JourneyClamps.bonusPoints(c, 1));
        };
    }

    /** L2² of one person's contribution to this group over the whole window. */
    public long sensitivitySquared(JourneyDomain d) {
        long perMonth = sensitivitySquaredPerMonth(d);
        return this == FIRST_VISITS ? perMonth : Math.multiplyExact(perMonth, (long) d.months().size());
    }

    private static long square(long x) {
        return Math.multiplyExact(x, x);
    }
}
