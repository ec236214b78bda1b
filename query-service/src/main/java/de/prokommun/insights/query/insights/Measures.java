package de.prokommun.insights.query.insights;

/**
 * The measures of the contributions table this service reads (flink-jobs/README.md defines them; the clamped
 * ones come from the ledger's per-person clamps of privacy.json) and the column each one's figure is in.
 */
final class Measures {
    private Measures() {}

    /** Distinct buyers of a category in a month: SUM(count). Sensitivity 1 per person and month. */
    static final String BUYER_MONTH = "buyer_month";
    /** Distinct buyers of a category in a year: SUM(count). Sensitivity 1 per person and year. */
    static final String BUYER_YEAR = "buyer_year";
    /** Purchases per person, category and month clamped to clamps.purchasesPerPersonMonth: SUM(count). */
    /** A participant's distinct customers of a month: SUM(count), participant = the shop, month = yyyyMM. */
    static final String CUSTOMER_MONTH = "customer_month";
    /** A participant's sales in cents per receipt line (unclamped): read only to weigh the dominance rule. */
    static final String PURCHASE = "purchase";
    static final String PURCHASE_CLAMPED = "purchase_clamped";
    /** Spend in cents per person, category and month clamped to clamps.spendCentsPerPersonMonth: SUM(amountCents). */
    static final String SPEND_CLAMPED = "spend_clamped";
    /** Lines of a participant's own product groups without a mapping, profiled residents only (the ledger's). */
    static final String UNMAPPED_LINE = "unmapped_line";
    /**
     * Lines of a participant's own product groups without a mapping from every purchase it submitted, consenting
     * resident or not (issue 15): what the unmapped report reads. SUM(count), category = the group.
     */
    static final String SUBMITTED_UNMAPPED_LINE = "submitted_unmapped_line";

    static String valueColumn(String measure) {
        return SPEND_CLAMPED.equals(measure) ? "amountCents" : "count";
    }
}
