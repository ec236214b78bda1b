package de.prokommun.insights.flink.ledger;

import de.prokommun.insights.contract.Measures.Names;

/**
 * The ledger's own categories and keys beside the measures of the contribution deltas. The measure names themselves
 * are declared once, in the contract's registry ({@link Names}, compile-time constants of {@code contract.Measures}
 * with each measure's value columns and meaning; flink-jobs/README.md documents what each row means).
 */
public final class Measures {
    private Measures() {}

    /** Category of purchase lines whose product group has no mapping. */
    public static final String UNMAPPED = "unmapped";
    public static final String GIFT_VOUCHER = "gift_voucher";
    public static final String EMPLOYER_VOUCHER = "employer_voucher";

    /** Internal distinct key (no delta row): the person bought at a participant at all; backs the "customer:" tag. */
    static final String CUSTOMER_EVER = "customer";
}
