package de.prokommun.insights.privacy;

import static de.prokommun.insights.privacy.TestPolicies.BAKERY;
import static de.prokommun.insights.privacy.TestPolicies.BUTCHER;
import static de.prokommun.insights.privacy.TestPolicies.CITY;
import static de.prokommun.insights.privacy.TestPolicies.CITY_MARKETING;
import static de.prokommun.insights.privacy.TestPolicies.KEY;
import static de.prokommun.insights.privacy.TestPolicies.laplace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import de.prokommun.insights.privacy.audit.AuditEntry;
import de.prokommun.insights.privacy.audit.AuditLog;
import de.prokommun.insights.privacy.budget.BudgetLedger;
import de.prokommun.insights.privacy.city.CityBudget;
import de.prokommun.insights.privacy.city.CityBudgetPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ad-hoc questions paid from the account's part of the city-wide monthly cap per resident. */
class CityWideDisclosureTest {

    // 2024-05-14 10:00 in Berlin
    private final MutableClock clock = new MutableClock(Instant.parse("2024-05-14T08:00:00Z"));
    private final AuditLog audit = AuditLog.inMemory();
    private final CityBudget cityBudget = CityBudget.inMemory();

    /** ε = 4 per month, all of it ad-hoc, split between two accounts: ρ ≈ 0.088 each, room for 7 questions of ε = 0.15. */
    private static final CityBudgetPolicy TWO_ACCOUNTS = new CityBudgetPolicy(new BigDecimal("4"), new BigDecimal("1e-9"), BigDecimal.ONE, 2);

    private DisclosureControl control(RoleRules rules, CityBudgetPolicy cityPolicy) {
        PrivacyPolicy policy = PrivacyPolicy.of(new CityPolicy(CITY, PrivacyDefaults.TIME_ZONE,
                Map.of(AskerRole.PARTICIPANT, rules, AskerRole.OPERATOR, rules), cityPolicy));
        return new DisclosureControl(policy, BudgetLedger.inMemory(), cityBudget, audit, KEY, clock);
    }

    private static Question question(int i) {
        return CanonicalQuestion.of("audience.size").anyOf("district", List.of("d" + i)).build();
    }

    private static List<TrueCell> single(long n) {
        return List.of(new TrueCell("", n));
    }

    @Test
    void aNewQuestionChargesEpsilonSquaredHalfToTheCityAndARepeatIsFree() {
        DisclosureControl dc = control(laplace("0.15", 10, "3", "15", true), TWO_ACCOUNTS);
        Release first = dc.releaseCounts(BAKERY, question(1), "v1", single(900));
        assertThat(first.rhoSpent()).isCloseTo(0.15 * 0.15 / 2, within(1e-15)).isGreaterThanOrEqualTo(0.01125);
        assertThat(first.budget().city()).isNotNull();
        assertThat(first.budget().city().accountSpentRho()).isEqualTo(first.rhoSpent());
        assertThat(first.budget().city().accountCapRho()).isEqualTo(TWO_ACCOUNTS.adHocRhoPerAccount());
        assertThat(first.budget().city().capEpsilon()).isEqualTo(4.0);

        assertThat(audit.read(clock.instant(), clock.instant().plusSeconds(1)))
                .extracting(AuditEntry::rhoSpent).containsExactly(first.rhoSpent());
        Release again = dc.releaseCounts(BAKERY, question(1), "v1", single(900));
        assertThat(again.repeated()).isTrue();
        assertThat(again.rhoSpent()).isZero();
        assertThat(dc.budget(BAKERY).city().adHocSpentRho()).isEqualTo(first.rhoSpent());
        // Another account's part is untouched, and it sees the same city total.
        assertThat(dc.budget(BUTCHER).city().accountSpentRho()).isZero();
        assertThat(dc.budget(BUTCHER).city().spentRho()).isEqualTo(first.rhoSpent());
    }

    @Test
    void theAccountsPartOfTheCityCapRefusesBeforeItsOwnDayBudgetDoes() {
        DisclosureControl dc = control(laplace("0.15", 10, "3", "15", true), TWO_ACCOUNTS);
        int answered = 0;
        BudgetExhaustedException refusal = null;
        for (int i = 0; i < 20 && refusal == null; i++) {
            try {
                dc.releaseCounts(BAKERY, question(i), "v1", single(900));
                answered++;
            } catch (BudgetExhaustedException e) {
                refusal = e;
            }
        }
        // floor(ρ_account / (0.15²/2)) questions fit; the day budget (3 ε = 20 questions) would allow more.
        int expected = (int) Math.floor(TWO_ACCOUNTS.adHocRhoPerAccount() / 0.01125);
        assertThat(answered).isEqualTo(expected).isLessThan(20);
        assertThat(refusal).isNotNull();
        assertThat(refusal.scope()).isEqualTo(BudgetExhaustedException.Scope.CITY_AD_HOC_ACCOUNT);
        assertThat(refusal.period()).isEqualTo(BudgetExhaustedException.Period.MONTH);
        assertThat(refusal.renewsAt()).isEqualTo(Instant.parse("2024-05-31T22:00:00Z")); // 1 June, Berlin midnight
        assertThat(refusal.getMessage()).contains("City-wide", "this account's part", "2024-05-31T22:00:00Z");
        // The refused question was not paid from the account's ε either, and the refusal is audited.
        assertThat(dc.budget(BAKERY).remainingDay()).isCloseTo(3 - 0.15 * expected, within(1e-9));
        assertThat(audit.read(clock.instant().minusSeconds(1), clock.instant().plusSeconds(1)))
                .anyMatch(e -> e.outcome() == AuditEntry.Outcome.REFUSED_BUDGET);
        // Repeating an answered question stays free and possible; June renews the part.
        assertThat(dc.releaseCounts(BAKERY, question(0), "v1", single(900)).repeated()).isTrue();
        clock.set(Instant.parse("2024-05-31T22:00:00Z"));
        assertThat(dc.releaseCounts(BAKERY, question(19), "v1", single(900)).rhoSpent()).isPositive();
        assertThat(dc.budget(BAKERY).city().month()).isEqualTo(YearMonth.of(2024, 6));
    }

    @Test
    void aCityWhoseDefaultCapLeavesTooLittleForAQuestionRefusesItClearly() {
        // The default split: ρ ≈ 0.0055 per account and month (half of it released by 14 May), less than one
        // question at a Laplace ε = 0.15 (ρ = 0.01125).
        DisclosureControl dc = control(laplace("0.15", 10, "3", "15", true), PrivacyDefaults.cityBudget());
        assertThatThrownBy(() -> dc.releaseCounts(CITY_MARKETING, question(1), "v1", single(900)))
                .isInstanceOfSatisfying(BudgetExhaustedException.class, e -> {
                    assertThat(e.scope()).isEqualTo(BudgetExhaustedException.Scope.CITY_AD_HOC_ACCOUNT);
                    assertThat(e.budget().city().accountCapRho()).isEqualTo(PrivacyDefaults.cityBudget().adHocRhoPerAccount());
                });
        // A small enough ε fits into the half the pacing has released by 14 May (ρ ≈ 0.000367): ρ = 0.02²/2 = 0.0002.
        DisclosureControl small = control(laplace("0.02", 10, "3", "15", true), PrivacyDefaults.cityBudget());
        assertThat(small.releaseCounts(CITY_MARKETING, question(2), "v1", single(900)).rhoSpent()).isCloseTo(0.0002, within(1e-15));
    }

    @Test
    void aCityWithoutPrivacyJsonAnswersAdHocQuestionsWithinTheCap() {
        // The built-in rules fit the city-wide design: the Gaussian's ρ per question, about 25 a month per account.
        CityPolicy builtIn = PrivacyDefaults.city(CITY);
        DisclosureControl dc = new DisclosureControl(PrivacyPolicy.of(builtIn), BudgetLedger.inMemory(), cityBudget,
                audit, KEY, clock);
        Release r = dc.releaseCounts(BAKERY, question(1), "v1", single(900));
        double rho = NoiseCalibration.rho(builtIn.rules(AskerRole.PARTICIPANT), 1);
        assertThat(r.rhoSpent()).isEqualTo(rho).isLessThan(0.00023);
        assertThat(builtIn.cityBudget().adHocRhoPerAccount() / rho).isGreaterThanOrEqualTo(25);
        assertThat(builtIn.cityBudget().portions()).isEqualTo(4);
        assertThat(dc.releaseCounts(CITY_MARKETING, question(2), "v1", single(900)).rhoSpent()).isEqualTo(rho);
    }

    @Test
    void manyAccountsTogetherNeverSpendMoreThanTheAdHocShare() {
        CityBudgetPolicy shared = new CityBudgetPolicy(new BigDecimal("4"), new BigDecimal("1e-9"), new BigDecimal("0.25"), 3);
        DisclosureControl dc = control(laplace("0.15", 10, "100", "100", true), shared);
        for (int a = 0; a < 30; a++) {
            Asker asker = new Asker(CITY, "shop-" + a, AskerRole.PARTICIPANT);
            for (int q = 0; q < 10; q++) {
                try {
                    dc.releaseCounts(asker, question(q), "v1", single(900));
                } catch (BudgetExhaustedException e) {
                    assertThat(e.scope()).isIn(BudgetExhaustedException.Scope.CITY_AD_HOC_ACCOUNT, BudgetExhaustedException.Scope.CITY_AD_HOC);
                }
            }
        }
        double spent = cityBudget.status(CITY, YearMonth.of(2024, 5), null, shared).adHocSpentRho();
        assertThat(spent).isLessThanOrEqualTo(shared.adHocRho()).isGreaterThan(shared.adHocRho() - 3 * 0.01125);
        assertThat(CityBudgetPolicy.epsilonOf(spent, 1e-9)).isLessThan(4);
    }

    @Test
    void aGaussianQuestionIsChargedTheRhoOfTheVarianceItUses() {
        RoleRules gaussian = new RoleRules(Mechanism.DISCRETE_GAUSSIAN, new BigDecimal("0.5"), new BigDecimal("1e-9"), 10,
                new BigDecimal("3"), new BigDecimal("15"), new DisplayRule(3, Locale.GERMANY), true);
        DisclosureControl dc = control(gaussian, TWO_ACCOUNTS);
        Release counts = dc.releaseCounts(BAKERY, question(1), "v1", single(900));
        Release sums = dc.releaseSums(BAKERY, question(2), "v1", single(90_000), 5000);
        // ρ solved from ε = 0.5, δ = 1e-9, and σ² rounded up: charged ρ slightly below it, the same for any Δ.
        double solved = Math.pow(0.5 / (Math.sqrt(-Math.log(1e-9) + 0.5) + Math.sqrt(-Math.log(1e-9))), 2);
        assertThat(counts.rhoSpent()).isLessThanOrEqualTo(solved).isCloseTo(solved, within(solved * 1e-5));
        assertThat(sums.rhoSpent()).isCloseTo(counts.rhoSpent(), within(solved * 1e-9));
        assertThat(CityBudgetPolicy.epsilonOf(counts.rhoSpent(), 1e-9)).isLessThanOrEqualTo(0.5);
        clock.advance(Duration.ofMinutes(1));
        assertThat(dc.budget(BAKERY).city().accountSpentRho()).isCloseTo(counts.rhoSpent() + sums.rhoSpent(), within(1e-15));
    }
}
