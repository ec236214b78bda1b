package de.prokommun.insights.privacy.city;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import de.prokommun.insights.privacy.CityPolicy;
import de.prokommun.insights.privacy.PrivacyPolicy;
import java.math.BigDecimal;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CityBudgetPolicyTest {

    private static CityBudgetPolicy policy(String epsilon, String delta, String share, int accounts) {
        return new CityBudgetPolicy(new BigDecimal(epsilon), new BigDecimal(delta), new BigDecimal(share), accounts);
    }

    @Test
    void theCapIsTheLargestRhoWhoseConversionStaysWithinEpsilon() {
        for (String eps : new String[] {"0.5", "1", "4", "7.5", "20"}) {
            for (String delta : new String[] {"1e-9", "1e-12", "1e-20"}) {
                double cap = policy(eps, delta, "0.25", 60).rhoCap();
                double e = Double.parseDouble(eps), d = Double.parseDouble(delta);
                assertThat(CityBudgetPolicy.epsilonOf(cap, d)).as("ε(cap) for ε=%s δ=%s", eps, delta).isLessThanOrEqualTo(e);
                // ... and nothing noticeably larger would do: the margin is tiny.
                assertThat(CityBudgetPolicy.epsilonOf(cap * (1 + 1e-7), d)).isGreaterThan(e);
                // Independent bisection of ρ + 2√(ρL) = ε.
                double lo = 0, hi = e;
                for (int i = 0; i < 200; i++) {
                    double mid = (lo + hi) / 2;
                    if (CityBudgetPolicy.epsilonOf(mid, d) <= e) lo = mid; else hi = mid;
                }
                assertThat(cap).isCloseTo(lo, within(lo * 1e-8)).isLessThanOrEqualTo(lo);
            }
        }
    }

    @Test
    void theDefaultCapOfFourEpsilonIsAboutZeroPointOneSevenSixRho() {
        CityBudgetPolicy p = policy("4", "1e-9", "0.25", 60);
        assertThat(p.rhoCap()).isCloseTo(0.17637, within(1e-5));
        // The accounting notes' examples: ρ = 0.5 is ε ≈ 6.9 and ρ = 0.17 is ε ≈ 3.9 at δ = 1e-9.
        assertThat(CityBudgetPolicy.epsilonOf(0.5, 1e-9)).isCloseTo(6.94, within(0.01));
        assertThat(CityBudgetPolicy.epsilonOf(0.17, 1e-9)).isCloseTo(3.92, within(0.01));
        assertThat(p.publicationRho()).isCloseTo(0.75 * p.rhoCap(), within(1e-15));
        assertThat(p.adHocRho()).isCloseTo(0.25 * p.rhoCap(), within(1e-15));
        assertThat(p.adHocRhoPerAccount()).isCloseTo(0.25 * p.rhoCap() / 60, within(1e-15));
    }

    @Test
    void theSharesNeverAddUpToMoreThanTheCap() {
        for (String share : new String[] {"0", "0.1", "0.25", "0.3333333", "0.7", "1"}) {
            for (int accounts : new int[] {1, 3, 7, 60, 1000}) {
                CityBudgetPolicy p = policy("4", "1e-9", share, accounts);
                BigDecimal parts = new BigDecimal(p.publicationRho()).add(new BigDecimal(p.adHocRho()));
                assertThat(parts).isLessThanOrEqualTo(new BigDecimal(p.rhoCap()));
                assertThat(new BigDecimal(p.adHocRhoPerAccount()).multiply(BigDecimal.valueOf(accounts)))
                        .isLessThanOrEqualTo(new BigDecimal(p.adHocRho()));
            }
        }
        assertThat(policy("4", "1e-9", "0", 60).adHocRho()).isZero();
        assertThat(policy("4", "1e-9", "1", 60).publicationRho()).isZero();
    }

    @Test
    void badValuesAreRejectedNamingTheField() {
        assertThatThrownBy(() -> policy("0", "1e-9", "0.25", 60)).hasMessageContaining("cityBudget.epsilon");
        assertThatThrownBy(() -> policy("4", "1e-6", "0.25", 60)).hasMessageContaining("cityBudget.delta");
        assertThatThrownBy(() -> policy("4", "0", "0.25", 60)).hasMessageContaining("cityBudget.delta");
        assertThatThrownBy(() -> policy("4", "1e-9", "1.5", 60)).hasMessageContaining("cityBudget.adHocShare");
        assertThatThrownBy(() -> policy("4", "1e-9", "0.25", 0)).hasMessageContaining("cityBudget.accounts");
    }

    @Test
    void privacyJsonReadsTheSectionExactlyAndFallsBackToTheDefaults() {
        String json = """
                {"city": "x", "cityBudget": {"epsilon": 2.5, "delta": 1e-10, "adHocShare": 0.1, "accounts": 7},
                 "roles": {"participant": {"epsilonPerQuestion": 0.15, "budget": {"day": 3, "month": 15}},
                           "operator": {"epsilonPerQuestion": 0.25, "budget": {"day": 5, "month": 30}}}}
                """;
        CityBudgetPolicy read = PrivacyPolicy.parse(json, "x.json").cityBudget();
        assertThat(read.epsilon()).isEqualTo(new BigDecimal("2.5"));
        assertThat(read.adHocShare()).isEqualTo(new BigDecimal("0.1"));
        assertThat(read.delta()).isEqualByComparingTo("1e-10");
        assertThat(read.accounts()).isEqualTo(7);

        CityPolicy defaults = PrivacyPolicy.parse(json.replaceAll("\"cityBudget\": \\{[^}]*},", ""), "x.json");
        assertThat(defaults.cityBudget()).isEqualTo(new CityBudgetPolicy(new BigDecimal("4"), new BigDecimal("1e-9"), new BigDecimal("0.25"), 8, 4));
        assertThatThrownBy(() -> PrivacyPolicy.parse(json.replace("\"accounts\"", "\"acounts\""), "x.json"))
                .hasMessageContaining("x.json: cityBudget.acounts is not a known field");
        assertThatThrownBy(() -> PrivacyPolicy.parse(json.replace("1e-10", "0.01"), "x.json"))
                .hasMessageContaining("x.json: cityBudget.delta");

        CityPolicy musterstadt = PrivacyPolicy.loadCities(Path.of("..", "cities")).city("musterstadt");
        assertThat(musterstadt.cityBudget().epsilon()).isEqualByComparingTo("4");
        // Eight allowances of the ad-hoc share (docs/PRIVACY.md section 6): any number of accounts ask, first come.
        assertThat(musterstadt.cityBudget().accounts()).isEqualTo(8);
    }
}
