package de.prokommun.insights.flink.voucher;

/** What a person did with a gift voucher, and the measure (Pinot column {@code measure}) that counts it. */
public enum VoucherRole {
    /** The person bought the voucher; the participant is the seller. */
    SOLD("gift_voucher_sold"),
    /** The person paid with the voucher; the participant is where it was redeemed. */
    REDEEMED("gift_voucher_redeemed");

    private final String measure;

    VoucherRole(String measure) {
        this.measure = measure;
    }

    public String measure() {
        return measure;
    }

    /** Whether the measure is one of the gift-voucher circulation rows. */
    public static boolean isMeasure(String measure) {
        for (VoucherRole r : values()) if (r.measure.equals(measure)) return true;
        return false;
    }
}
