package de.prokommun.insights.query.publication;

import de.prokommun.insights.privacy.publish.ConsistentCount;
import de.prokommun.insights.privacy.publish.NonNegativeIntegerRounding;
import de.prokommun.insights.privacy.publish.RoundedCount;
import java.util.ArrayList;
import java.util.List;

/**
 * Rounds an answer, not the cells it is summed from: the sum of the real-valued estimates becomes the nearest
 * non-negative integer, and the parts of a breakdown that partitions it become non-negative integers adding up to
 * exactly that total (clamped at 0, scaled, largest remainder: {@link NonNegativeIntegerRounding}). Rounding only
 * once keeps the answer unbiased where the truth is well above zero; rounding 2,160 cells first clamped the many
 * near-empty ones at zero and inflated every sum over them.
 */
final class AnswerRounding {

    private AnswerRounding() {}

    /** A single figure: the nearest non-negative integer. */
    static long total(double estimate) {
        return Math.max(0, Math.round(estimate));
    }

    /** A total and the parts partitioning it: element 0 the total, then the parts, adding up to it. */
    static long[] withParts(double total, List<Double> parts) {
        List<ConsistentCount> children = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) children.add(new ConsistentCount(String.valueOf(i), parts.get(i), 0, List.of()));
        RoundedCount rounded = NonNegativeIntegerRounding.round(new ConsistentCount("", total, 0, children));
        long[] out = new long[parts.size() + 1];
        out[0] = rounded.value();
        for (int i = 0; i < parts.size(); i++) out[i + 1] = rounded.children().get(i).value();
        return out;
    }
}
