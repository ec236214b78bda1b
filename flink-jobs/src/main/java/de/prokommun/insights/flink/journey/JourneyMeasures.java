package de.prokommun.insights.flink.journey;

import de.prokommun.insights.contract.Measures.Names;
import java.util.Set;

/**
 * The person-keyed journey measures of the Pinot table "contributions" (meanings: flink-jobs/README.md, section
 * "Journey measures", and docs/JOURNEY-MEASURES.md). Every figure is a SUM over the rows of one measure. The names
 * are the contract's registry ({@code contract.Measures}); these are the journey ledger's compile-time constants.
 */
public final class JourneyMeasures {
    private JourneyMeasures() {}

    /** One of the person's first visitsPerPersonMonth visits of a month: count 1, amount cut to the spend clamp. */
    public static final String VISIT = Names.VISIT;
    /** Person × month × ordered pair (A, B) of participants, both with a live purchase of the person in the month. */
    public static final String SHARED_CUSTOMER_MONTH = Names.SHARED_CUSTOMER_MONTH;
    /** The same per year. */
    public static final String SHARED_CUSTOMER_YEAR = Names.SHARED_CUSTOMER_YEAR;
    /** Person × month of the destination × (from, to) participants × cumulative lag bucket of consecutive visits. */
    public static final String FLOW_MONTH = Names.FLOW_MONTH;
    /** As flow_month with the main categories of the two visits as nodes. */
    public static final String CATEGORY_FLOW_MONTH = Names.CATEGORY_FLOW_MONTH;
    /** The person's earliest live visit. */
    public static final String FIRST_VISIT = Names.FIRST_VISIT;
    /** Person × participant × month in which the person subscribed to its newsletter or followed it. */
    public static final String ENGAGED_MONTH = Names.ENGAGED_MONTH;
    /** The same key, when a live purchase at the participant followed one of those engagements within 30 days. */
    public static final String ENGAGED_BUYER_MONTH = Names.ENGAGED_BUYER_MONTH;
    /** One employer voucher credit: participant = who reported it, counterpart = employer. */
    public static final String EMPLOYER_VOUCHER_CREDITED = Names.EMPLOYER_VOUCHER_CREDITED;
    /** One employer voucher redemption: counterpart = employer of the latest credit before it, lagDays from it. */
    public static final String EMPLOYER_VOUCHER_SPENT = Names.EMPLOYER_VOUCHER_SPENT;
    /** Bonus points earned at a participant (quantity = points, cut per person-month). */
    public static final String BONUS_POINTS_EARNED = Names.BONUS_POINTS_EARNED;
    /** Bonus points redeemed at a participant (quantity = points, cut per person-month). */
    public static final String BONUS_POINTS_REDEEMED = Names.BONUS_POINTS_REDEEMED;

    /** Main category of a check-in without its own category. */
    public static final String CHECK_IN_CATEGORY = "veranstaltung";
    /** Main category of a receipt none of whose lines is mapped. */
    public static final String UNMAPPED = "unmapped";
    /** Flow lag buckets in hours: a gap counts for every bucket it fits in (cumulative). */
    public static final int[] LAG_BUCKET_HOURS = {1, 24, 168, 720};
    /** The window of engaged_buyer_month after an engagement. */
    public static final long ENGAGEMENT_WINDOW_MILLIS = 30L * 24 * 3600 * 1000;

    public static final Set<String> ALL = Set.of(VISIT, SHARED_CUSTOMER_MONTH, SHARED_CUSTOMER_YEAR, FLOW_MONTH,
            CATEGORY_FLOW_MONTH, FIRST_VISIT, ENGAGED_MONTH, ENGAGED_BUYER_MONTH, EMPLOYER_VOUCHER_CREDITED,
            EMPLOYER_VOUCHER_SPENT, BONUS_POINTS_EARNED, BONUS_POINTS_REDEEMED);

    public static boolean isJourney(String measure) {
        return ALL.contains(measure);
    }
}
