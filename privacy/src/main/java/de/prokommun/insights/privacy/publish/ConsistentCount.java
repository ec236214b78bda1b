package de.prokommun.insights.privacy.publish;

import java.util.List;

/** A count of a hierarchy after {@link HierarchicalConsistency}: every parent equals the sum of its children. */
public record ConsistentCount(String label, double value, double variance, List<ConsistentCount> children) {
    public ConsistentCount {
        children = List.copyOf(children);
    }
}
