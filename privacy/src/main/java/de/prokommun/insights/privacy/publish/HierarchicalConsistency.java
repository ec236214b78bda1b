package de.prokommun.insights.privacy.publish;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes a released hierarchy of noisy counts consistent: every parent equals the sum of its children, with the
 * weighted least-squares estimate (the best linear unbiased one for independent noise of known variances). This
 * is the two-pass algorithm of Hay, Rastogi, Miklau and Suciu (VLDB 2010), written for any depth, any fan-out and
 * a variance per node (their paper has one variance for all):
 * <ol>
 * <li>bottom-up, each node's estimate from its own subtree alone: z = the inverse-variance weighted mean of its own
 * measurement and the sum of its children's z, with variance w = 1 / (1/v + 1/Σw_children);</li>
 * <li>top-down, the root keeps z; a node's final value x is split among its children by moving each child's z by
 * its share w_c / Σw of the difference x − Σz (the conditional mean of the children given their sum).</li>
 * </ol>
 * It reads released values only, so it is post-processing and costs no privacy. The returned variance of a node
 * is that of its bottom-up estimate (an upper bound of the final one; exact for the root). Leaves of consistent
 * input come back unchanged.
 */
public final class HierarchicalConsistency {
    private HierarchicalConsistency() {}

    public static ConsistentCount fit(NoisyCount root) {
        Estimate bottomUp = estimate(root);
        return distribute(bottomUp, bottomUp.value);
    }

    private static Estimate estimate(NoisyCount node) {
        if (node.children().isEmpty()) return new Estimate(node.label(), node.value(), node.variance(), List.of());
        List<Estimate> children = new ArrayList<>(node.children().size());
        double sum = 0, sumVariance = 0;
        for (NoisyCount child : node.children()) {
            Estimate e = estimate(child);
            children.add(e);
            sum += e.value;
            sumVariance += e.variance;
        }
        if (Double.isInfinite(node.variance())) return new Estimate(node.label(), sum, sumVariance, children);
        double ownWeight = 1 / node.variance(), childrenWeight = 1 / sumVariance;
        // The weighted mean of two equal numbers is that number; computed, it could be off by an ulp.
        if (node.value() == sum) return new Estimate(node.label(), sum, 1 / (ownWeight + childrenWeight), children);
        double value = (node.value() * ownWeight + sum * childrenWeight) / (ownWeight + childrenWeight);
        return new Estimate(node.label(), value, 1 / (ownWeight + childrenWeight), children);
    }

    private static ConsistentCount distribute(Estimate node, double value) {
        if (node.children.isEmpty()) return new ConsistentCount(node.label, value, node.variance, List.of());
        double sum = 0, sumVariance = 0;
        for (Estimate c : node.children) {
            sum += c.value;
            sumVariance += c.variance;
        }
        double gap = value - sum;
        List<ConsistentCount> children = new ArrayList<>(node.children.size());
        double assigned = 0;
        for (int i = 0; i < node.children.size(); i++) {
            Estimate c = node.children.get(i);
            // The last child takes what rounding of the shares left, so the children add up to the parent exactly
            // as far as doubles allow.
            double childValue = i == node.children.size() - 1 ? value - assigned : c.value + gap * (c.variance / sumVariance);
            assigned += childValue;
            children.add(distribute(c, childValue));
        }
        return new ConsistentCount(node.label, value, node.variance, children);
    }

    private record Estimate(String label, double value, double variance, List<Estimate> children) {}
}
