package de.prokommun.insights.privacy.publish;

import java.util.List;
import java.util.Objects;

/**
 * One released noisy count of a hierarchy (city total → districts → cells …) with the variance of its noise, and
 * the counts it splits into. The children partition the node: their true counts add up to its true count. An
 * internal node that was not measured has variance {@link Double#POSITIVE_INFINITY} (its value is ignored);
 * every leaf must be measured.
 */
public record NoisyCount(String label, double value, double variance, List<NoisyCount> children) {
    public NoisyCount {
        Objects.requireNonNull(label, "label");
        children = List.copyOf(Objects.requireNonNull(children, "children"));
        if (!(variance > 0)) throw new IllegalArgumentException("variance of " + label + " must be positive: " + variance);
        if (children.isEmpty() && Double.isInfinite(variance))
            throw new IllegalArgumentException("leaf " + label + " must be measured (finite variance)");
        if (Double.isFinite(variance) && !Double.isFinite(value))
            throw new IllegalArgumentException("value of " + label + " must be finite: " + value);
    }

    public static NoisyCount leaf(String label, double value, double variance) {
        return new NoisyCount(label, value, variance, List.of());
    }

    public static NoisyCount node(String label, double value, double variance, NoisyCount... children) {
        return new NoisyCount(label, value, variance, List.of(children));
    }

    /** An internal node without its own measurement: its estimate comes from its children only. */
    public static NoisyCount unmeasured(String label, NoisyCount... children) {
        return new NoisyCount(label, 0, Double.POSITIVE_INFINITY, List.of(children));
    }
}
