package de.prokommun.insights.privacy.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random true hierarchies and noisy releases of them, for the consistency tests. */
final class HierarchyFixtures {
    private HierarchyFixtures() {}

    /** A true hierarchy as a NoisyCount without noise: random depth-first fan-outs, leaves 0..maxLeaf. */
    static NoisyCount exactTree(Random random, String label, int depth, int maxLeaf) {
        if (depth == 0) return NoisyCount.leaf(label, random.nextInt(maxLeaf + 1), 1);
        int fanOut = 1 + random.nextInt(5);
        List<NoisyCount> children = new ArrayList<>();
        double sum = 0;
        for (int i = 0; i < fanOut; i++) {
            NoisyCount c = exactTree(random, label + "/" + i, depth - 1, maxLeaf);
            children.add(c);
            sum += c.value();
        }
        return new NoisyCount(label, sum, 1, children);
    }

    /** The same hierarchy with Gaussian noise of this variance added to every node (test data only). */
    static NoisyCount withNoise(NoisyCount exact, Random random, double variance) {
        List<NoisyCount> children = new ArrayList<>();
        for (NoisyCount c : exact.children()) children.add(withNoise(c, random, variance));
        return new NoisyCount(exact.label(), exact.value() + random.nextGaussian() * Math.sqrt(variance), variance, children);
    }

    static int depth(NoisyCount node) {
        int d = 0;
        for (NoisyCount c : node.children()) d = Math.max(d, 1 + depth(c));
        return d;
    }
}
