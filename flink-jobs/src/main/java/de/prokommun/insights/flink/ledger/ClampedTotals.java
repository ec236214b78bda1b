package de.prokommun.insights.flink.ledger;

/**
 * A person's live purchases and spend in one category and month (a Flink POJO in ledger state
 * {@code ledger-clamped}), from which the change of the clamped measures is computed, and the row (period,
 * category, segment of the moment the first live purchase opened it) that every change repeats, so that
 * changes and their negation cancel in every breakdown, like the distinct rows.
 */
public class ClampedTotals {
    /** Live receipts with at least one line of the category in the month. */
    public long purchases;
    /** Amount in cents of those lines. */
    public long spendCents;
    /** Sum of the purchase_clamped / spend_clamped rows emitted so far: what erasure negates. */
    public long emittedPurchases;
    public long emittedSpendCents;
    /** Measure purchase_clamped, day = first of the month, no participant, measures 0. */
    public LedgerRow opened;

    public ClampedTotals() {}

    ClampedTotals(LedgerRow opened) {
        this.opened = opened;
    }
}
