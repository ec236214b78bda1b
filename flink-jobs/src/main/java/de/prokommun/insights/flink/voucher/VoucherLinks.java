package de.prokommun.insights.flink.voucher;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import de.prokommun.insights.flink.ledger.LedgerRow;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rows one voucher's live facts contribute (pure): one {@code gift_voucher_sold} row per live sale
 * (participant = seller) and one {@code gift_voucher_redeemed} row per live redemption (participant = where
 * redeemed, counterpart = the seller of the voucher's live sale or null, lagDays = whole days from that sale); a
 * redemption counts at most what is left of the voucher's sold value, and none when nothing is left (issue 15).
 * Every row counts 1 with the fact's cut amount and the fact's segment, for the day of the fact.
 */
public final class VoucherLinks {
    private VoucherLinks() {}

    private static final long DAY_MILLIS = 86_400_000L;

    /** If a voucher id was reported as sold more than once, the earliest sale (then the smallest fact id) is its sale. */
    static final Comparator<VoucherFact> FIRST_SALE =
            Comparator.<VoucherFact>comparingLong(f -> f.eventTime).thenComparing(f -> f.factId);

    /** The desired rows by fact id; an over-redemption ({@link #overRedeemed}) has none. */
    public static Map<String, LedgerRow> rowsOf(Collection<VoucherFact> live) {
        VoucherFact sale = live.stream().filter(f -> f.role == VoucherRole.SOLD).min(FIRST_SALE).orElse(null);
        Map<String, Long> capped = cappedRedemptions(live);
        Set<String> over = overRedeemed(live);
        Map<String, LedgerRow> rows = new LinkedHashMap<>();
        for (VoucherFact f : live) {
            if (over.contains(f.factId)) continue;
            LedgerRow row = LedgerRow.of(f.role.measure(), f.eventTime, ZoneId.of(f.zone), f.participant, null, f.segment);
            row.count = 1;
            row.amountCents = capped.getOrDefault(f.factId, f.amountCents);
            if (f.role == VoucherRole.REDEEMED && sale != null) {
                row.counterpart = sale.participant;
                row.lagDays = lagDays(sale.eventTime, f.eventTime);
            }
            rows.put(f.factId, row);
        }
        return rows;
    }

    /**
     * What each redemption of the voucher counts, capped at the voucher's sold value (issue 15, finding 6), by fact id:
     * in time order (event time, then fact id, so the answer does not depend on arrival order) each redemption takes
     * from what the voucher's live sales add up to, at most what is left; one that finds nothing left is an
     * over-redemption ({@link #overRedeemed}) and counts nothing. Without a live sale nothing can be judged and every
     * redemption counts its amount (a voucher sold before the data begins). The amounts are those the circulation
     * counts (after each person's monthly cut): the redemptions linked to an issuer never add up to more than the
     * issuer's sold figure of the voucher. Redemptions absent from the map count their own amount.
     */
    public static Map<String, Long> cappedRedemptions(Collection<VoucherFact> live) {
        Map<String, Long> capped = new LinkedHashMap<>();
        if (live.stream().noneMatch(f -> f.role == VoucherRole.SOLD)) return capped;
        List<VoucherFact> redemptions = new ArrayList<>();
        for (VoucherFact f : live) if (f.role == VoucherRole.REDEEMED) redemptions.add(f);
        redemptions.sort(FIRST_SALE);
        long left = soldValue(live);
        for (VoucherFact r : redemptions) {
            long counted = Math.min(Math.max(r.amountCents, 0L), left);
            capped.put(r.factId, counted);
            left -= counted;
        }
        return capped;
    }

    /** The over-redemptions: redemptions with an amount that found nothing left of the voucher's sold value. */
    public static Set<String> overRedeemed(Collection<VoucherFact> live) {
        Map<String, Long> capped = cappedRedemptions(live);
        Set<String> over = new java.util.LinkedHashSet<>();
        for (VoucherFact f : live) {
            Long counted = capped.get(f.factId);
            if (counted != null && counted == 0 && f.amountCents > 0) over.add(f.factId);
        }
        return over;
    }

    /** The voucher's total sold value as counted: the sum of its live sales. */
    public static long soldValue(Collection<VoucherFact> live) {
        long sold = 0;
        for (VoucherFact f : live) if (f.role == VoucherRole.SOLD) sold += Math.max(f.amountCents, 0L);
        return sold;
    }

    /** Whole days from sale to redemption (truncated; negative if the redemption was reported earlier). */
    public static long lagDays(long soldAt, long redeemedAt) {
        return (redeemedAt - soldAt) / DAY_MILLIS;
    }
}
