package de.prokommun.insights.query.insights;

import de.prokommun.insights.contract.Measure;
import de.prokommun.insights.contract.Measures.Names;

/**
 * The measures of the contributions table this service's insights read, by the contract's registry
 * ({@code contract.Measures}: name, value columns, meaning; the clamped ones come from the ledger's per-person
 * clamps of privacy.json).
 */
final class Measures {
    private Measures() {}

    /** Distinct buyers of a category in a month: SUM(count). Sensitivity 1 per person and month. */
    static final String BUYER_MONTH = Names.BUYER_MONTH;
    /** Distinct buyers of a category in a year: SUM(count). Sensitivity 1 per person and year. */
    static final String BUYER_YEAR = Names.BUYER_YEAR;
    /** A participant's distinct customers of a month: SUM(count), participant = the shop, month = yyyyMM. */
    static final String CUSTOMER_MONTH = Names.CUSTOMER_MONTH;
    /** A participant's sales in cents per receipt line (unclamped): read only to weigh the dominance rule. */
    static final String PURCHASE = Names.PURCHASE;
    /** Purchases per person, category and month clamped to clamps.purchasesPerPersonMonth: SUM(count). */
    static final String PURCHASE_CLAMPED = Names.PURCHASE_CLAMPED;
    /** Spend in cents per person, category and month clamped to clamps.spendCentsPerPersonMonth: SUM(amountCents). */
    static final String SPEND_CLAMPED = Names.SPEND_CLAMPED;
    /** Lines of a participant's own product groups without a mapping, profiled residents only (the ledger's). */
    static final String UNMAPPED_LINE = Names.UNMAPPED_LINE;
    /**
     * Lines of a participant's own product groups without a mapping from every purchase it submitted, consenting
     * resident or not (issue 15): what the unmapped report reads. SUM(count), category = the group.
     */
    static final String SUBMITTED_UNMAPPED_LINE = Names.SUBMITTED_UNMAPPED_LINE;

    /** The column of the measure's main figure (the registry's). */
    static String valueColumn(String measure) {
        return de.prokommun.insights.contract.Measures.byName(measure).map(Measure::column)
                .orElseThrow(() -> new IllegalArgumentException("not a measure of the contributions table: " + measure));
    }
}
