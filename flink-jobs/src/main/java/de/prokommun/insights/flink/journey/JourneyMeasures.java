package de.prokommun.insights.flink.journey;

import de.prokommun.insights.contract.Measures.Names;
import java.util.Set;

/**
 * The person-keyed journey measures of the Pinot table "contributions" (meanings: flink-jobs/README.md, section
 * "Journey measures", and docs/JOURNEY-MEASURES.md). Every figure is a SUM over the rows of one measure. The names
 * are declared once, in the contract's registry ({@link Names}); here the journey ledger's own constants.
 */
public final class JourneyMeasures {
    private JourneyMeasures() {}

    /** Main category of a check-in without its own category. */
    public static final String CHECK_IN_CATEGORY = "veranstaltung";
    /** Main category of a receipt none of whose lines is mapped. */
    public static final String UNMAPPED = "unmapped";
    /** Flow lag buckets in hours: a gap counts for every bucket it fits in (cumulative). */
    public static final int[] LAG_BUCKET_HOURS = {1, 24, 168, 720};
    /** The window of engaged_buyer_month after an engagement. */
    public static final long ENGAGEMENT_WINDOW_MILLIS = 30L * 24 * 3600 * 1000;

    public static final Set<String> ALL = Set.of(Names.VISIT, Names.SHARED_CUSTOMER_MONTH, Names.SHARED_CUSTOMER_YEAR,
            Names.FLOW_MONTH, Names.CATEGORY_FLOW_MONTH, Names.FIRST_VISIT, Names.ENGAGED_MONTH,
            Names.ENGAGED_BUYER_MONTH, Names.EMPLOYER_VOUCHER_CREDITED, Names.EMPLOYER_VOUCHER_SPENT,
            Names.BONUS_POINTS_EARNED, Names.BONUS_POINTS_REDEEMED);

    public static boolean isJourney(String measure) {
        return ALL.contains(measure);
    }
}
