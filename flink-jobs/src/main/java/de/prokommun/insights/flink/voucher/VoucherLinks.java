package de.prokommun.insights.flink.voucher;

import de.prokommun.insights.flink.ledger.LedgerRow;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rows one voucher's live facts contribute (pure): one {@code gift_voucher_sold} row per live sale
 * (participant = seller) and one {@code gift_voucher_redeemed} row per live redemption (participant = where
 * redeemed, counterpart = the seller of the voucher's live sale or null, lagDays = whole days from that sale).
 * Every row counts 1 with the fact's cut amount and the fact's segment, for the day of the fact.
 */
public final class VoucherLinks {
    private VoucherLinks() {}

    private static final long DAY_MILLIS = 86_400_000L;

    /** If a voucher id was reported as sold more than once, the earliest sale (then the smallest fact id) is its sale. */
    static final Comparator<VoucherFact> FIRST_SALE =
            Comparator.<VoucherFact>comparingLong(f -> f.eventTime).thenComparing(f -> f.factId);

    /** The desired rows by fact id. */
    public static Map<String, LedgerRow> rowsOf(Collection<VoucherFact> live) {
        VoucherFact sale = live.stream().filter(f -> f.role == VoucherRole.SOLD).min(FIRST_SALE).orElse(null);
        Map<String, LedgerRow> rows = new LinkedHashMap<>();
        for (VoucherFact f : live) {
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

    /** Whole days from sale to redemption (truncated; negative if the redemption was reported earlier). */
    public static long lagDays(long soldAt, long redeemedAt) {
        return (redeemedAt - soldAt) / DAY_MILLIS;
    }
}
