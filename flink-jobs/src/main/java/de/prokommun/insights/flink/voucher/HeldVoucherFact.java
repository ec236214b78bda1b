package de.prokommun.insights.flink.voucher;

/**
 * A live voucher fact in the person's keyed state (a Flink POJO): the fact as last handed downstream, with its
 * current cut (what erasure removes), the full amount of the event (from which the cut is recomputed) and the month
 * (yyyyMM, city zone) whose cap it shares.
 */
public class HeldVoucherFact {
    public VoucherFact fact;
    public long fullAmountCents;
    public int month;

    public HeldVoucherFact() {}

    HeldVoucherFact(VoucherFact fact, long fullAmountCents, int month) {
        this.fact = fact;
        this.fullAmountCents = fullAmountCents;
        this.month = month;
    }
}
