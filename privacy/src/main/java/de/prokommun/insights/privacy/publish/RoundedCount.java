package de.prokommun.insights.privacy.publish;

import java.util.List;

/** A published count: a non-negative integer equal to the sum of its children's. */
public record RoundedCount(String label, long value, List<RoundedCount> children) {
    public RoundedCount {
        children = List.copyOf(children);
    }
}
