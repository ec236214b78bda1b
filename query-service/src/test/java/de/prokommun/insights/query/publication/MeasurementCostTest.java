package de.prokommun.insights.query.publication;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.privacy.city.CityBudgetPolicy;
import java.math.BigDecimal;
import java.util.List;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

class MeasurementCostTest {

    private static final double SHARE = new CityBudgetPolicy(new BigDecimal("4"), new BigDecimal("1e-9"),
            new BigDecimal("0.25"), 60).publicationRho();
    private static final List<String> SLICES = CubeDomain.of(Musterstadt.vocabulary()).slices();

    @Test
    void theChargeIsTheSumOverEveryMeasurementAndAMonthFitsTheShare() {
        MeasurementPlan plan = MeasurementPlan.standard();
        MeasurementCost cost = new MeasurementCost(plan, SLICES, 4, SHARE);
        // everybody, 7 personas with a slice of their own (6 are cells of everybody), persona "other", 13 interests
        assertThat(SLICES).hasSize(22);
        assertThat(plan.totalWeight(SLICES)).isEqualTo(87 + 21 * 29);
        double sum = 0;
        for (String slice : SLICES) {
            for (Marginal m : plan.of(slice).keySet()) sum += 1 / (2 * cost.sigmaSquared(slice, m).doubleValue());
        }
        // (the double sum here carries rounding error; the cost adds up exactly and rounds up)
        assertThat(cost.rho()).isGreaterThanOrEqualTo(sum * (1 - 1e-12)).isCloseTo(sum, Percentage.withPercentage(1e-9));
        assertThat(4 * cost.rho()).isLessThan(SHARE).isGreaterThan(SHARE * 0.9999);
        // A measurement's ρ is its weight's share: everybody's pairs (weight 6) get 6 times a subgroup's total (1).
        assertThat(cost.sigmaSquared(CubeDomain.personaSlice("student"), Marginal.of()).doubleValue())
                .isCloseTo(6 * cost.sigmaSquared(CubeDomain.ALL, Marginal.of(0, 1)).doubleValue(), Percentage.withPercentage(1e-5));
    }

    @Test
    void theHierarchyPlanCostsWhatThePreviousPublicationCost() {
        // 22 slices × 6 levels (activity the finest), equal weights: the same σ² as PublicationCost(132 histograms).
        MeasurementCost hierarchy = new MeasurementCost(MeasurementPlan.hierarchy(), SLICES, 4, SHARE);
        PublicationCost before = new PublicationCost(132, 4, SHARE);
        assertThat(hierarchy.sigmaSquared(1)).isEqualByComparingTo(before.sigmaSquared());
        assertThat(hierarchy.rho()).isCloseTo(before.rho(), Percentage.withPercentage(1e-9));
    }
}
