package de.prokommun.insights.query.journey;

import de.prokommun.insights.privacy.ReleasedCell;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Which links of the released gift-voucher matrix are shown (issue 15, finding 6), decided from released cells only
 * (post-processing: free and safe). A link is shown only if its release is not suppressed (docs: suppressed rows are
 * left out), the shown links into one place of redemption never add up to more than that place's own released
 * redeemed value, and those out of one seller never to more than its released sold value: each group's links are
 * taken largest first while they fit, the rest are left out like suppressed ones; a place or seller whose own value is
 * suppressed shows no link of that side. A place or seller not in the answer (a participant sees only its own
 * totals) sets no bound. Without this a participant reads 30.7M cents of links into a shop whose
 * own redeemed value is "fewer than 2.4M", two figures that cannot both be true.
 */
public final class GiftMatrixConsistency {
    private GiftMatrixConsistency() {}

    /**
     * The matrix rows to leave out.
     *
     * @param links     row label ({@code seller→redeemer}) → released amount
     * @param redeemed  place → its released redeemed amount, null when it is not part of the answer (no bound then)
     * @param sold      seller → its released sold amount, null when it is not part of the answer (no bound then)
     */
    public static Set<String> leftOut(Map<String, ReleasedCell> links, Function<String, ReleasedCell> redeemed,
                               Function<String, ReleasedCell> sold) {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Long> shown = new LinkedHashMap<>();
        links.forEach((row, cell) -> {
            if (cell == null || cell.suppressed() || cell.value() == null || cell.value() <= 0) out.add(row);
            else shown.put(row, cell.value());
        });
        bound(shown, row -> row.substring(row.indexOf('→') + 1), redeemed, out); // into a place ≤ its redeemed value
        bound(shown, row -> row.substring(0, row.indexOf('→')), sold, out); // out of a seller ≤ its sold value
        return out;
    }

    /** Per group of links (by place or by seller): largest first while they fit under the group's released value. */
    private static void bound(Map<String, Long> shown, Function<String, String> groupOf,
                              Function<String, ReleasedCell> total, Set<String> out) {
        Map<String, List<Map.Entry<String, Long>>> groups = new LinkedHashMap<>();
        shown.forEach((row, v) -> groups.computeIfAbsent(groupOf.apply(row), k -> new ArrayList<>()).add(Map.entry(row, v)));
        groups.forEach((group, list) -> {
            ReleasedCell own = total.apply(group);
            if (own == null) return; // not part of this answer: nothing to be consistent with
            long room = own.suppressed() || own.value() == null ? 0 : Math.max(0, own.value());
            list.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
            long used = 0;
            for (Map.Entry<String, Long> link : list) {
                if (used + link.getValue() <= room) {
                    used += link.getValue();
                } else {
                    out.add(link.getKey());
                    shown.remove(link.getKey());
                }
            }
        });
    }
}
