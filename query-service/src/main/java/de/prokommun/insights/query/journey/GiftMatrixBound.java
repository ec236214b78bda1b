package de.prokommun.insights.query.journey;

import de.prokommun.insights.privacy.ReleasedCell;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Which gift-voucher links an answer shows, and with what value (issue 15, finding 6), decided from released (or
 * published) figures only — post-processing, so it costs nothing. A link whose own figure is suppressed is left out
 * (as the docs say), and the shown links into one place of redemption never add up to more than that place's own
 * released redeemed value: if they would, each is scaled down in proportion (rounded down), so every link stays
 * visible and their sum fits; a place whose own value is suppressed (fewer than the minimum) shows no link into it,
 * because any shown link would already exceed it. A place whose own value is not part of the answer (a participant
 * sees only its own totals) sets no bound. Without this a participant read 30.7M cents of links into a shop whose own
 * redeemed value was "fewer than 2.4M". Links out of a seller are not bound by its sold value: a sale is counted as
 * cut by its buyer's monthly clamp while its redemptions count the redeemers' cuts, so in truth they may exceed it.
 */
public final class GiftMatrixBound {
    private GiftMatrixBound() {}

    /** The separator of a link's label, {@code seller→place}. */
    public static final String ARROW = "→";

    /**
     * The links to show with their values, in the order given.
     *
     * @param links    link label ({@code seller→place}) → its released cell
     * @param redeemed place → its released redeemed value, or null when that figure is not part of the answer
     */
    public static Map<String, Long> shown(Map<String, ReleasedCell> links, Function<String, ReleasedCell> redeemed) {
        Map<String, Long> visible = new LinkedHashMap<>();
        links.forEach((label, cell) -> {
            if (cell != null && !cell.suppressed() && cell.value() != null) visible.put(label, Math.max(0, cell.value()));
        });
        Map<String, Long> intoPlace = new LinkedHashMap<>();
        visible.forEach((label, v) -> intoPlace.merge(placeOf(label), v, Long::sum));
        Map<String, Long> out = new LinkedHashMap<>();
        visible.forEach((label, v) -> {
            ReleasedCell own = redeemed.apply(placeOf(label));
            if (own == null) {
                out.put(label, v);
            } else if (!own.suppressed() && own.value() != null) {
                long bound = Math.max(0, own.value());
                long sum = intoPlace.get(placeOf(label));
                out.put(label, sum <= bound ? v : scaled(v, bound, sum));
            } // else: the place's own value is suppressed: no link into it
        });
        return out;
    }

    /** The place of redemption of a link label. */
    public static String placeOf(String label) {
        int i = label.indexOf(ARROW);
        if (i < 0) throw new IllegalArgumentException("gift-voucher link label without '" + ARROW + "': " + label);
        return label.substring(i + ARROW.length());
    }

    /** ⌊v · bound / sum⌋ without overflow (sum > bound ≥ 0). */
    public static long scaled(long v, long bound, long sum) {
        return BigInteger.valueOf(v).multiply(BigInteger.valueOf(bound)).divide(BigInteger.valueOf(sum)).longValueExact();
    }
}
