package de.prokommun.insights.bench.accuracy;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.privacy.DisplayRule;
import de.prokommun.insights.privacy.Mechanism;
import de.prokommun.insights.privacy.NoiseCalibration;
import de.prokommun.insights.privacy.RoleRules;
import java.math.BigDecimal;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The per-question comparison of bench/run accuracy prices and describes each mechanism as the accountant does:
 * the discrete Gaussian costs Δ²/(2σ²) with the calibrated σ² — not ε²/2, which is the Laplace's — and spreading
 * the cap over n questions gives each question ρ_cap / n under the configured mechanism.
 */
class AdHocRunTest {

    private static final double RHO_CAP = 0.17637;

    private static RoleRules rules(Mechanism mechanism, String epsilon, String delta) {
        return new RoleRules(mechanism, new BigDecimal(epsilon), new BigDecimal(delta), 10, new BigDecimal("1000"),
                new BigDecimal("1000"), new DisplayRule(3, java.util.Locale.GERMANY), true);
    }

    @Test
    void theGaussianIsPricedByItsSigmaNotByEpsilonSquaredOverTwo() {
        RoleRules gaussian = rules(Mechanism.DISCRETE_GAUSSIAN, "0.11", "0.000001");
        double rho = NoiseCalibration.rho(gaussian, 1);
        double sigma = AdHocRun.noiseStandardDeviation(gaussian, gaussian.epsilonPerQuestion());
        // Musterstadt's rule (docs/PRIVACY.md section 6): σ ≈ 47.9, ρ ≈ 0.000218 = 1/(2σ²); ε²/2 would be 0.00605.
        assertThat(sigma).isCloseTo(47.9, Offset.offset(0.1));
        assertThat(rho).isCloseTo(1 / (2 * sigma * sigma), Offset.offset(1e-9));
        assertThat(rho).isLessThan(0.11 * 0.11 / 2 / 20);
        assertThat(AdHocRun.rhoFormula(gaussian)).contains("Δ²/(2σ²)").doesNotContain("ε²/2");
        RoleRules laplace = rules(Mechanism.DISCRETE_LAPLACE, "0.15", "0");
        assertThat(AdHocRun.rhoFormula(laplace)).isEqualTo("ρ = ε²/2");
        assertThat(AdHocRun.noiseStandardDeviation(laplace, laplace.epsilonPerQuestion())).isCloseTo(9.43, Offset.offset(0.01));
    }

    @Test
    void spreadingTheCapGivesEachQuestionItsPartUnderEitherMechanism() {
        for (RoleRules r : new RoleRules[] {rules(Mechanism.DISCRETE_GAUSSIAN, "0.11", "0.000001"),
                rules(Mechanism.DISCRETE_LAPLACE, "0.15", "0")}) {
            for (int n : new int[] {1_000, 10_000, 100_000}) {
                BigDecimal epsilon = AdHocRun.spreadEpsilon(r, RHO_CAP, n);
                RoleRules spread = new RoleRules(r.mechanism(), epsilon, r.delta(), r.minCellSize(), r.dayBudget(),
                        r.monthBudget(), r.display(), r.sameAnswerWithinVersion());
                double perQuestion = NoiseCalibration.rho(spread, 1);
                // n questions fit the cap, and the rounding of ε wastes at most a thousandth of it.
                assertThat(n * perQuestion).isLessThanOrEqualTo(RHO_CAP).isGreaterThan(0.998 * RHO_CAP);
            }
        }
        // With the Gaussian, the cap over 1,000 questions is σ = √(1000 / (2 ρ_cap)) ≈ 53 per count.
        RoleRules gaussian = rules(Mechanism.DISCRETE_GAUSSIAN, "0.11", "0.000001");
        assertThat(AdHocRun.noiseStandardDeviation(gaussian, AdHocRun.spreadEpsilon(gaussian, RHO_CAP, 1_000)))
                .isCloseTo(Math.sqrt(1_000 / (2 * RHO_CAP)), Offset.offset(0.1));
    }
}
