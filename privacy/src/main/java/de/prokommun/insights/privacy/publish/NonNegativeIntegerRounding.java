package de.prokommun.insights.privacy.publish;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns a consistent hierarchy into non-negative integers that still add up, top-down (in the spirit of the US
 * Census 2020 TopDown algorithm, without its optimisation): the root is rounded to the nearest integer (at least
 * 0); then, for every node whose integer is fixed, its children are clamped at 0, scaled so that they add up to
 * the parent's integer, and rounded by largest remainder (floors first, then one more to the children with the
 * largest fractional parts; ties go to the earlier child). If every child is clamped to 0 while the parent is
 * positive, the parent's integer is split evenly. Post-processing: reads released values only.
 */
public final class NonNegativeIntegerRounding {
    private NonNegativeIntegerRounding() {}

    public static RoundedCount round(ConsistentCount root) {
        return round(root, Math.max(0, Math.round(root.value())));
    }

    private static RoundedCount round(ConsistentCount node, long value) {
        if (node.children().isEmpty()) return new RoundedCount(node.label(), value, List.of());
        long[] parts = split(node.children(), value);
        List<RoundedCount> children = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) children.add(round(node.children().get(i), parts[i]));
        return new RoundedCount(node.label(), value, children);
    }

    /** Non-negative integers adding up to {@code total}, proportional to the children's clamped values. */
    static long[] split(List<ConsistentCount> children, long total) {
        int n = children.size();
        double[] clamped = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            clamped[i] = Math.max(0, children.get(i).value());
            sum += clamped[i];
        }
        double[] target = new double[n];
        for (int i = 0; i < n; i++) {
            // c + (T − Σc)·c/Σc rather than c·T/Σc: when the clamped children already add up to T, the targets are
            // the children themselves, exactly.
            target[i] = sum > 0 ? Math.max(0, clamped[i] + (total - sum) * (clamped[i] / sum)) : (double) total / n;
        }
        long[] parts = new long[n];
        long assigned = 0;
        for (int i = 0; i < n; i++) {
            parts[i] = (long) Math.floor(target[i]);
            assigned += parts[i];
        }
        Integer[] byRemainder = new Integer[n];
        for (int i = 0; i < n; i++) byRemainder[i] = i;
        java.util.Arrays.sort(byRemainder, Comparator.comparingDouble((Integer i) -> -(target[i] - parts[i])).thenComparingInt(i -> i));
        long missing = total - assigned;
        // Floating-point error can leave the floors one unit off either way; both loops end after a few steps.
        for (int k = 0; missing > 0; k = (k + 1) % n, missing--) parts[byRemainder[k]]++;
        for (int k = n - 1; missing < 0; k = (k + n - 1) % n) {
            if (parts[byRemainder[k]] > 0) {
                parts[byRemainder[k]]--;
                missing++;
            }
        }
        return parts;
    }
}
