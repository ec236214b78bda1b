package de.prokommun.insights.privacy.publish;

import static de.prokommun.insights.privacy.publish.NoisyCount.leaf;
import static de.prokommun.insights.privacy.publish.NoisyCount.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HierarchicalConsistencyTest {

    private static void assertConsistent(ConsistentCount node) {
        if (node.children().isEmpty()) return;
        double sum = node.children().stream().mapToDouble(ConsistentCount::value).sum();
        assertThat(sum).as("children of %s", node.label()).isCloseTo(node.value(), within(1e-9 * Math.max(1, Math.abs(node.value()))));
        node.children().forEach(HierarchicalConsistencyTest::assertConsistent);
    }

    private static void assertSameValues(NoisyCount expected, ConsistentCount actual) {
        assertThat(actual.value()).as(actual.label()).isEqualTo(expected.value());
        for (int i = 0; i < expected.children().size(); i++) assertSameValues(expected.children().get(i), actual.children().get(i));
    }

    @Test
    void aSmallTreeIsFittedByHand() {
        // Total 10, parts 3 and 5, all with variance 1. Bottom-up: (10·1 + 8·½) / 1½ = 9⅓; each part gets ⅔.
        ConsistentCount fitted = HierarchicalConsistency.fit(node("city", 10, 1, leaf("a", 3, 1), leaf("b", 5, 1)));
        assertThat(fitted.value()).isCloseTo(28.0 / 3, within(1e-12));
        assertThat(fitted.variance()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(fitted.children().get(0).value()).isCloseTo(11.0 / 3, within(1e-12));
        assertThat(fitted.children().get(1).value()).isCloseTo(17.0 / 3, within(1e-12));
    }

    @Test
    void aPreciseChildTakesLessOfTheCorrection() {
        ConsistentCount fitted = HierarchicalConsistency.fit(node("city", 100, 1e-6, leaf("precise", 40, 1), leaf("rough", 50, 9)));
        double precise = fitted.children().get(0).value() - 40, rough = fitted.children().get(1).value() - 50;
        assertThat(precise + rough).isCloseTo(10, within(1e-4));
        assertThat(rough).isCloseTo(9 * precise, within(1e-4));
    }

    @Test
    void anUnmeasuredLevelIsTheSumOfItsChildren() {
        ConsistentCount fitted = HierarchicalConsistency.fit(node("city", 30, 4,
                NoisyCount.unmeasured("north", leaf("n1", 10, 1), leaf("n2", 12, 1)), leaf("south", 5, 1)));
        assertConsistent(fitted);
        // The unmeasured district counts as a measurement of variance 2 in the city's estimate.
        assertThat(fitted.value()).isCloseTo((30 / 4.0 + 27 / 3.0) / (1 / 4.0 + 1 / 3.0), within(1e-12));
        assertThatThrownBy(() -> NoisyCount.unmeasured("x")).hasMessageContaining("must be measured");
    }

    @Test
    void exactInputStaysExactAndNoisyInputBecomesConsistent() {
        Random random = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            NoisyCount exact = HierarchyFixtures.exactTree(random, "city", 1 + random.nextInt(4), 500);
            assertSameValues(exact, HierarchicalConsistency.fit(exact));
            assertConsistent(HierarchicalConsistency.fit(HierarchyFixtures.withNoise(exact, random, 25)));
        }
    }

    /**
     * City → 4 districts → 5 cells, every count with noise of variance 100. The fitted total uses all 25
     * measurements: its error variance is the predicted ≈ 77 instead of 100; the cells improve a little too.
     */
    @Test
    void theFittedTotalIsMoreAccurateThanTheRawNoisyTotal() {
        Random random = new Random(12);
        List<NoisyCount> districts = new ArrayList<>();
        double cityTotal = 0;
        for (int d = 0; d < 4; d++) {
            List<NoisyCount> cells = new ArrayList<>();
            double districtTotal = 0;
            for (int c = 0; c < 5; c++) {
                cells.add(leaf("d" + d + "c" + c, 200 + 37 * c + 11 * d, 100));
                districtTotal += 200 + 37 * c + 11 * d;
            }
            districts.add(new NoisyCount("d" + d, districtTotal, 100, cells));
            cityTotal += districtTotal;
        }
        NoisyCount truth = new NoisyCount("city", cityTotal, 100, districts);
        int trials = 4000;
        double rawTotal = 0, fittedTotal = 0, rawCell = 0, fittedCell = 0, predicted = 0;
        for (int t = 0; t < trials; t++) {
            NoisyCount noisy = HierarchyFixtures.withNoise(truth, random, 100);
            ConsistentCount fitted = HierarchicalConsistency.fit(noisy);
            rawTotal += Math.pow(noisy.value() - cityTotal, 2);
            fittedTotal += Math.pow(fitted.value() - cityTotal, 2);
            double cellTruth = truth.children().get(2).children().get(3).value();
            rawCell += Math.pow(noisy.children().get(2).children().get(3).value() - cellTruth, 2);
            fittedCell += Math.pow(fitted.children().get(2).children().get(3).value() - cellTruth, 2);
            predicted = fitted.variance();
        }
        // Bottom-up: districts 1/(1/100 + 1/500) = 83.3, city 1/(1/100 + 1/333.3) = 76.9.
        assertThat(predicted).isCloseTo(1 / (1 / 100.0 + 1 / (4 / (1 / 100.0 + 1 / 500.0))), within(1e-9));
        assertThat(fittedTotal / trials).isCloseTo(predicted, within(0.1 * predicted)).isLessThan(0.9 * rawTotal / trials);
        assertThat(rawTotal / trials).isCloseTo(100, within(10.0));
        assertThat(fittedCell / trials).isLessThan(rawCell / trials);
    }
}
