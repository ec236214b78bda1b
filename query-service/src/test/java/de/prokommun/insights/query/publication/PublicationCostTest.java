package de.prokommun.insights.query.publication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.privacy.city.CityBudgetPolicy;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PublicationCostTest {

    @Test
    void sigmaSquaredFitsTheMonthsPublicationsIntoTheShare() {
        // Musterstadt: 1 + 13 personas + other + 13 interests = 28 slices (one level here), 4 publications a month.
        double share = new CityBudgetPolicy(new BigDecimal("4"), new BigDecimal("1e-9"), new BigDecimal("0.25"), 60)
                .publicationRho();
        PublicationCost cost = new PublicationCost(28, 4, share);
        double sigma2 = cost.sigmaSquared().doubleValue();
        assertThat(sigma2).isCloseTo(4 * 28 / (2 * share), org.assertj.core.data.Percentage.withPercentage(0.001));
        assertThat(cost.rho()).isCloseTo(28 / (2 * sigma2), org.assertj.core.data.Percentage.withPercentage(1e-9));
        assertThat(4 * cost.rho()).isLessThan(share).isGreaterThan(share * 0.9999);
        // ε = 4, δ = 1e-9 gives ρ ≈ 0.176, 3/4 of it for publications: σ ≈ 20 per cell.
        assertThat(Math.sqrt(sigma2)).isBetween(19.0, 22.0);
    }

    @Test
    void moreSlicesOrMorePublicationsNeedMoreNoiseAtTheSameCost() {
        PublicationCost base = new PublicationCost(10, 4, 0.1);
        assertThat(new PublicationCost(20, 4, 0.1).sigmaSquared().doubleValue())
                .isCloseTo(2 * base.sigmaSquared().doubleValue(), org.assertj.core.data.Percentage.withPercentage(1e-5));
        assertThat(new PublicationCost(10, 8, 0.1).rho() * 8).isLessThan(0.1);
        assertThat(new PublicationCost(10, 8, 0.1).rho()).isCloseTo(base.rho() / 2, org.assertj.core.data.Percentage.withPercentage(0.001));
        assertThat(base.sigmaSquaredRational().numerator()).isPositive();
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> new PublicationCost(0, 4, 0.1)).hasMessageContaining("histograms");
        assertThatThrownBy(() -> new PublicationCost(1, 0, 0.1)).hasMessageContaining("per month");
        assertThatThrownBy(() -> new PublicationCost(1, 4, 0)).hasMessageContaining("share");
    }
}
