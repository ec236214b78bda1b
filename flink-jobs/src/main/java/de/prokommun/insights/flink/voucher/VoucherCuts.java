package de.prokommun.insights.flink.voucher;

import de.prokommun.insights.validation.WriteLimits;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The per-person-month cut of voucher amounts: in time order (event time, then fact id, so that the cut does not
 * depend on arrival order), each amount gets what is left of the month's cap, so the person's month total never
 * exceeds it and one person changes a released sum by at most the cap.
 */
public final class VoucherCuts {
    private VoucherCuts() {}

    /** One amount in the order of the person's month. */
    public record Entry(long eventTime, String factId, long amountCents) {}

    public static final Comparator<Entry> TIME_ORDER =
            Comparator.comparingLong(Entry::eventTime).thenComparing(Entry::factId);

    /** The cut of each entry, in the order of {@code entries} (which need not be sorted). Negative amounts count 0. */
    public static long[] cuts(List<Entry> entries, long cap) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) order.add(i);
        order.sort((a, b) -> TIME_ORDER.compare(entries.get(a), entries.get(b)));
        long[] cuts = new long[entries.size()];
        long used = 0;
        for (int i : order) {
            long cut = Math.min(Math.max(entries.get(i).amountCents(), 0L), Math.max(cap - used, 0L));
            cuts[i] = cut;
            used = WriteLimits.sum(used, cut, "the voucher amounts of one person-month"); // ≤ cap: never throws
        }
        return cuts;
    }
}
