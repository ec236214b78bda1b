package de.prokommun.insights.flink.voucher;

import de.prokommun.insights.flink.ledger.Segment;

/**
 * One gift-voucher sale or redemption of a profiled person, as the person-keyed profile operator hands it to the
 * voucher-keyed {@link VoucherCirculation} (a Flink POJO). It carries no pseudonym: only what the voucher's rows
 * need, the amount already cut to the person's monthly voucher clamp, and the segment of the moment the fact was
 * first recorded.
 * <p>{@code live = true} inserts the fact or replaces the one with the same {@link #factId} (its cut changed);
 * {@code live = false} removes it (the person was erased or withdrew consent).
 */
public class VoucherFact {
    public String city;
    public String voucher;
    public VoucherRole role;
    /** Seller (SOLD) or where it was redeemed (REDEEMED). */
    public String participant;
    public long eventTime;
    /** The city's time zone (the rows count for the day of {@link #eventTime} there). */
    public String zone;
    /** Amount after the person-month cut (what the released figures count). */
    public long amountCents;
    /**
     * Amount as the reporting participant sent it, before any cut: what a voucher's sale is worth and what a
     * redemption takes from it when {@link VoucherCirculation} judges over-redemption (issue 15, finding 6). Judging
     * the cut amounts would refuse legitimate redemptions of a sale cut by its buyer's monthly clamp.
     */
    public long fullAmountCents;
    /** {@link #fullAmountCents} of a fact migrated from state written before it was kept: not known. */
    public static final long UNKNOWN_AMOUNT = -1L;
    public Segment segment;
    /** Unique per event: the reporting participant and its event id. */
    public String factId;
    public boolean live;

    public VoucherFact() {}

    /** The key of the voucher-keyed operator: voucher ids are unique within a city. */
    public static String voucherKey(VoucherFact fact) {
        return fact.city + '\u001f' + fact.voucher;
    }

    /** A copy with another cut, live. */
    VoucherFact withAmount(long cut) {
        VoucherFact f = copy();
        f.amountCents = cut;
        f.live = true;
        return f;
    }

    /** A copy that removes the fact downstream. */
    VoucherFact retraction() {
        VoucherFact f = copy();
        f.live = false;
        return f;
    }

    private VoucherFact copy() {
        VoucherFact f = new VoucherFact();
        f.city = city;
        f.voucher = voucher;
        f.role = role;
        f.participant = participant;
        f.eventTime = eventTime;
        f.zone = zone;
        f.amountCents = amountCents;
        f.fullAmountCents = fullAmountCents;
        f.segment = segment;
        f.factId = factId;
        f.live = live;
        return f;
    }

    @Override
    public String toString() {
        return "VoucherFact{" + role + " " + voucher + " at " + participant + ", " + amountCents + " ct (of " + fullAmountCents + "), t=" + eventTime
                + ", id=" + factId + (live ? "" : ", removed") + '}';
    }
}
