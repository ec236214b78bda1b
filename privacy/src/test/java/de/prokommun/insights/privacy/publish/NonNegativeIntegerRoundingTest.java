package de.prokommun.insights.privacy.publish;

import static de.prokommun.insights.privacy.publish.NoisyCount.leaf;
import static de.prokommun.insights.privacy.publish.NoisyCount.node;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NonNegativeIntegerRoundingTest {

    private static RoundedCount roundFitted(NoisyCount noisy) {
        return NonNegativeIntegerRounding.round(HierarchicalConsistency.fit(noisy));
    }

    private static void assertNonNegativeAndAddingUp(RoundedCount node) {
        assertThat(node.value()).as(node.label()).isNotNegative();
        if (node.children().isEmpty()) return;
        assertThat(node.children().stream().mapToLong(RoundedCount::value).sum()).as("children of %s", node.label()).isEqualTo(node.value());
        node.children().forEach(NonNegativeIntegerRoundingTest::assertNonNegativeAndAddingUp);
    }

    private static void assertSame(NoisyCount exact, RoundedCount rounded) {
        assertThat((double) rounded.value()).as(rounded.label()).isEqualTo(exact.value());
        for (int i = 0; i < exact.children().size(); i++) assertSame(exact.children().get(i), rounded.children().get(i));
    }

    /** Every rounded value is within (depth of the node + 1) of its consistent value, when those are non-negative. */
    private static void assertClose(ConsistentCount fitted, RoundedCount rounded, int level) {
        assertThat((double) rounded.value()).as(rounded.label()).isCloseTo(fitted.value(), org.assertj.core.api.Assertions.within(level + 1.0));
        for (int i = 0; i < fitted.children().size(); i++)
            assertClose(fitted.children().get(i), rounded.children().get(i), level + 1);
    }

    @Test
    void noisySmallCountsBecomeNonNegativeIntegersThatAddUp() {
        Random random = new Random(21);
        for (int trial = 0; trial < 300; trial++) {
            NoisyCount exact = HierarchyFixtures.exactTree(random, "city", 1 + random.nextInt(4), 6);
            NoisyCount noisy = HierarchyFixtures.withNoise(exact, random, 16); // many cells go negative
            RoundedCount rounded = roundFitted(noisy);
            assertNonNegativeAndAddingUp(rounded);
            assertThat(rounded.value()).isEqualTo(Math.max(0, Math.round(HierarchicalConsistency.fit(noisy).value())));
        }
    }

    @Test
    void exactNonNegativeIntegersStayExact() {
        Random random = new Random(22);
        for (int trial = 0; trial < 200; trial++) {
            NoisyCount exact = HierarchyFixtures.exactTree(random, "city", 1 + random.nextInt(4), 1000);
            assertSame(exact, roundFitted(exact));
        }
    }

    @Test
    void roundingMovesNoCountFarFromItsConsistentValue() {
        Random random = new Random(23);
        for (int trial = 0; trial < 200; trial++) {
            NoisyCount exact = HierarchyFixtures.exactTree(random, "city", 1 + random.nextInt(3), 1000);
            ConsistentCount fitted = HierarchicalConsistency.fit(HierarchyFixtures.withNoise(exact, random, 4));
            if (hasNegative(fitted)) continue;
            assertClose(fitted, NonNegativeIntegerRounding.round(fitted), 0);
        }
    }

    private static boolean hasNegative(ConsistentCount c) {
        return c.value() < 0 || c.children().stream().anyMatch(NonNegativeIntegerRoundingTest::hasNegative);
    }

    @Test
    void negativeCellsAreClampedAndTheRestScaledToTheParent() {
        ConsistentCount fitted = new ConsistentCount("city", 10, 1, List.of(
                new ConsistentCount("a", -3, 1, List.of()), new ConsistentCount("b", 13, 1, List.of())));
        assertThat(NonNegativeIntegerRounding.round(fitted).children()).extracting(RoundedCount::value).containsExactly(0L, 10L);

        ConsistentCount allNegative = new ConsistentCount("city", 5, 1, List.of(new ConsistentCount("a", -1, 1, List.of()),
                new ConsistentCount("b", 3, 1, List.of()), new ConsistentCount("c", 3, 1, List.of())));
        // clamped 0, 3, 3 scaled to 5: 0, 2.5, 2.5 → floors 0, 2, 2, the tie goes to the earlier child.
        assertThat(NonNegativeIntegerRounding.round(allNegative).children()).extracting(RoundedCount::value).containsExactly(0L, 3L, 2L);

        // Every child clamped to 0 under a positive parent: an even split, 5/3 each → 2, 2, 1.
        ConsistentCount clampedAway = new ConsistentCount("city", 5, 1, List.of(new ConsistentCount("a", -1, 1, List.of()),
                new ConsistentCount("b", -2, 1, List.of()), new ConsistentCount("c", -1, 1, List.of())));
        assertThat(NonNegativeIntegerRounding.round(clampedAway).children()).extracting(RoundedCount::value).containsExactly(2L, 2L, 1L);
        RoundedCount fitted5 = roundFitted(node("city", 5, 1e-9, leaf("a", -1, 1), leaf("b", -1, 1), leaf("c", -1, 1)));
        assertThat(fitted5.value()).isEqualTo(5);
        assertThat(fitted5.children()).extracting(RoundedCount::value).containsExactlyInAnyOrder(2L, 2L, 1L);
        assertThat(roundFitted(node("city", -7, 1, leaf("a", -3, 1), leaf("b", -4, 1))).value()).isZero();
    }
}
