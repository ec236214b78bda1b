package de.prokommun.insights.flink.ledger;

import de.prokommun.insights.contract.Measures.Names;

/**
 * The measures of the contribution deltas (column {@code measure} of the Pinot table "contributions"), as the
 * ledger's compile-time constants: the names are the contract's registry ({@code contract.Measures}, with each
 * measure's value columns and meaning); the categories below are the ledger's own.
 * The exact meaning of each is documented in flink-jobs/README.md; every figure is SUM(count), SUM(quantity) or
 * SUM(amountCents) over the rows of one measure.
 */
public final class Measures {
    private Measures() {}

    /** One receipt's lines of one category: count 1, quantity and amount of those lines. */
    public static final String PURCHASE = Names.PURCHASE;
    /**
     * Retired (issue 14, item 8): one receipt's lines of a product group without a mapping, category = the
     * participant's own group name, beside the buyer's segment. No longer emitted; kept because a ledger restored from
     * state written before may still hold such rows, and their negation (retraction, erasure) carries this name.
     */
    public static final String UNMAPPED_LINE = Names.UNMAPPED_LINE;
    /**
     * One purchase's lines of a product group without a mapping, from every submitted purchase before the wait for
     * a consented registration (SubmittedUnmappedLines): the participant's own report, no person behind it (issue 15).
     */
    public static final String SUBMITTED_UNMAPPED_LINE = Names.SUBMITTED_UNMAPPED_LINE;
    /** Distinct buyers of a category in a month (+1 when the person's first live purchase opens it, −1 when the last goes). */
    public static final String BUYER_MONTH = Names.BUYER_MONTH;
    /** Distinct buyers of a category in a year. */
    public static final String BUYER_YEAR = Names.BUYER_YEAR;
    /** Distinct customers of a participant in a month. */
    public static final String CUSTOMER_MONTH = Names.CUSTOMER_MONTH;
    /** Distinct customers of a participant in a year. */
    public static final String CUSTOMER_YEAR = Names.CUSTOMER_YEAR;
    /** A profiled person registered that day. */
    public static final String REGISTRATION = Names.REGISTRATION;
    /** Distinct person-day: the person had at least one live activity that day. */
    public static final String ACTIVE_RESIDENT = Names.ACTIVE_RESIDENT;
    /** A gift or employer voucher redemption (category gift_voucher / employer_voucher), amount redeemed. */
    public static final String VOUCHER_REDEMPTION = Names.VOUCHER_REDEMPTION;

    /**
     * Per person, category and month: the change of min(the person's live receipts with lines of the category in
     * the month, the city's clamp) in {@code count}. SUM over rows = Σ over persons of that clamped number.
     */
    public static final String PURCHASE_CLAMPED = Names.PURCHASE_CLAMPED;
    /**
     * Per person, category and month: the change of min(the person's live spend in cents on the category in the
     * month, the city's clamp) in {@code amountCents}. SUM over rows = Σ over persons of that clamped spend.
     */
    public static final String SPEND_CLAMPED = Names.SPEND_CLAMPED;

    /** Category of purchase lines whose product group has no mapping. */
    public static final String UNMAPPED = "unmapped";
    public static final String GIFT_VOUCHER = "gift_voucher";
    public static final String EMPLOYER_VOUCHER = "employer_voucher";

    /** Internal distinct key (no delta row): the person bought at a participant at all; backs the "customer:" tag. */
    static final String CUSTOMER_EVER = "customer";
}
