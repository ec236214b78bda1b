package de.prokommun.insights.flink.voucher;

import de.prokommun.insights.flink.ledger.LedgerRow;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows one voucher's live facts contribute (pure): one {@code gift_voucher_sold} row per live sale
 * (participant = seller) and one {@code gift_voucher_redeemed} row per live redemption (participant = where
 * redeemed, counterpart = the seller of the voucher's live sale or null, lagDays = whole days from that sale).
 * Every row counts 1 with the fact's cut amount and the fact's segment, for the day of the fact. An over-redemption
 * ({@link #overRedeemed}) has no row (issue 15, finding 6).
 */
public final class VoucherLinks {
    private VoucherLinks() {}

    private static final long DAY_MILLIS = 86_400_000L;

    /** If a voucher id was reported as sold more than once, the earliest sale (then the smallest fact id) is its sale. */
    static final Comparator<VoucherFact> FIRST_SALE =
            Comparator.<VoucherFact>comparingLong(f -> f.eventTime).thenComparing(f -> f.factId);

    /** The desired rows by fact id; an over-redemption has none. */
    public static Map<String, LedgerRow> rowsOf(Collection<VoucherFact> live) {
        VoucherFact sale = live.stream().filter(f -> f.role == VoucherRole.SOLD).min(FIRST_SALE).orElse(null);
        Set<String> over = overRedeemed(live);
        Map<String, LedgerRow> rows = new LinkedHashMap<>();
        for (VoucherFact f : live) {
            if (over.contains(f.factId)) continue;
            LedgerRow row = LedgerRow.of(f.role.measure(), f.eventTime, ZoneId.of(f.zone), f.participant, null, f.segment);
            row.count = 1;
            row.amountCents = f.amountCents;
            if (f.role == VoucherRole.REDEEMED && sale != null) {
                row.counterpart = sale.participant;
                row.lagDays = lagDays(sale.eventTime, f.eventTime);
            }
            rows.put(f.factId, row);
        }
        return rows;
    }

    /**
     * The redemptions beyond the voucher's sold value (issue 15, finding 6), by fact id. The value is what the issuer
     * sent: the sum of the live sales' uncut amounts ({@link VoucherFact#fullAmountCents}), never the amounts as cut
     * by the buyer's monthly clamp, so a legitimate redemption is never judged against a clamped sale. In time order
     * (event time, then fact id: the answer does not depend on arrival order) each redemption takes its uncut amount
     * from what is left; one that does not fit in full is an over-redemption and takes nothing (a later, smaller one
     * may still fit). Without a live sale nothing is judged (sold before the data begins, or by a resident who is not
     * profiled or was erased): every redemption counts. Nor is a voucher with a fact whose uncut amount is not known
     * (state migrated from before the cap, {@link VoucherFact#UNKNOWN_AMOUNT}): it would be judged against too little.
     */
    public static Set<String> overRedeemed(Collection<VoucherFact> live) {
        Set<String> over = new LinkedHashSet<>();
        long left = 0;
        boolean sold = false;
        List<VoucherFact> redemptions = new ArrayList<>();
        for (VoucherFact f : live) {
            if (f.fullAmountCents == VoucherFact.UNKNOWN_AMOUNT) return over;
            if (f.role == VoucherRole.SOLD) {
                sold = true;
                left += Math.max(f.fullAmountCents, 0L);
            } else {
                redemptions.add(f);
            }
        }
        if (!sold) return over;
        redemptions.sort(FIRST_SALE);
        for (VoucherFact r : redemptions) {
            long asked = Math.max(r.fullAmountCents, 0L);
            if (asked <= left) left -= asked;
            else over.add(r.factId);
        }
        return over;
    }

    /** The voucher's sold value as the issuer sent it: the uncut amounts of its live sales. */
    public static long soldValue(Collection<VoucherFact> live) {
        long sold = 0;
        for (VoucherFact f : live) if (f.role == VoucherRole.SOLD) sold += Math.max(f.fullAmountCents, 0L);
        return sold;
    }

    /** Whole days from sale to redemption (truncated; negative if the redemption was reported earlier). */
    public static long lagDays(long soldAt, long redeemedAt) {
        return (redeemedAt - soldAt) / DAY_MILLIS;
    }
}
