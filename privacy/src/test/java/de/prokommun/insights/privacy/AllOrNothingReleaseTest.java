package de.prokommun.insights.privacy;

import static de.prokommun.insights.privacy.TestPolicies.BAKERY;
import static de.prokommun.insights.privacy.TestPolicies.BUTCHER;
import static de.prokommun.insights.privacy.TestPolicies.CITY;
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
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * An answer made of several releases (a persona breakdown ad hoc: the count and one release per persona) is
 * released through {@link DisclosureControl#releaseAll}: all of it is charged or none, whichever budget is short.
 */
class AllOrNothingReleaseTest {

    // 2024-05-14 10:00 in Berlin
    private final MutableClock clock = new MutableClock(Instant.parse("2024-05-14T08:00:00Z"));
    private final AuditLog audit = AuditLog.inMemory();
    private final CityBudget cityBudget = CityBudget.inMemory();
    /** ρ charged per release at ε = 0.15: ε²/2, rounded up to the next double. */
    private static final double RHO = NoiseCalibration.rho(laplace("0.15", 10, "1", "1", true), 1);
    private static final YearMonth MAY = YearMonth.of(2024, 5);

    /** ε = 4 a month, all of it ad hoc, split between two accounts: ρ ≈ 0.088 each, room for 7 releases of ε = 0.15. */
    private static final CityBudgetPolicy TWO_ACCOUNTS = new CityBudgetPolicy(new BigDecimal("4"), new BigDecimal("1e-9"),
            BigDecimal.ONE, 2);

    private DisclosureControl control(RoleRules rules, CityBudgetPolicy cityPolicy) {
        PrivacyPolicy policy = PrivacyPolicy.of(new CityPolicy(CITY, PrivacyDefaults.TIME_ZONE,
                Map.of(AskerRole.PARTICIPANT, rules, AskerRole.OPERATOR, rules), cityPolicy));
        return new DisclosureControl(policy, BudgetLedger.inMemory(), cityBudget, audit, KEY, clock);
    }

    /** An answer of {@code n} releases: one per "persona" {@code from}, {@code from + 1}, … */
    private static List<PlannedRelease> answer(int from, int n) {
        return IntStream.range(from, from + n).mapToObj(i -> PlannedRelease.counts(
                CanonicalQuestion.of("audience.size").anyOf("personas", List.of("p" + i)).build(),
                List.of(new TrueCell("p" + i, 500 + i)))).toList();
    }

    private long audited(AuditEntry.Outcome outcome) {
        return audit.read(Instant.EPOCH, Instant.MAX).stream().filter(e -> e.outcome() == outcome).count();
    }

    private double accountSpent(Asker asker) {
        return cityBudget.status(CITY, MAY, "participant/" + asker.id(), TWO_ACCOUNTS).accountSpentRho();
    }

    @Test
    void anAnswerTheAccountsPartCannotPayInFullIsRefusedBeforeAnythingIsCharged() {
        DisclosureControl dc = control(laplace("0.15", 10, "100", "100", true), TWO_ACCOUNTS);
        assertThat((int) Math.floor(TWO_ACCOUNTS.adHocRhoPerAccount() / RHO)).isEqualTo(7);

        assertThatThrownBy(() -> dc.releaseAll(BAKERY, "v1", answer(0, 15)))
                .isInstanceOfSatisfying(BudgetExhaustedException.class, e -> {
                    assertThat(e.scope()).isEqualTo(BudgetExhaustedException.Scope.CITY_AD_HOC_ACCOUNT);
                    assertThat(e.period()).isEqualTo(BudgetExhaustedException.Period.MONTH);
                    assertThat(e.getMessage()).contains("City-wide", "this account's part");
                    assertThat(e.epsilonNeeded()).isCloseTo(15 * 0.15, within(1e-9));
                    assertThat(e.budget().city().accountSpentRho()).isZero();
                });
        assertThat(accountSpent(BAKERY)).isZero();
        assertThat(cityBudget.status(CITY, MAY, null, TWO_ACCOUNTS).adHocSpentRho()).isZero();
        assertThat(dc.budget(BAKERY).remainingDay()).isEqualTo(100.0);
        assertThat(audited(AuditEntry.Outcome.REFUSED_BUDGET)).isEqualTo(15);
        assertThat(audited(AuditEntry.Outcome.RELEASED)).isZero();

        // What fits is still answered in full: seven releases, each paid once.
        List<Release> seven = dc.releaseAll(BAKERY, "v1", answer(0, 7));
        assertThat(seven).hasSize(7).allSatisfy(r -> {
            assertThat(r.repeated()).isFalse();
            assertThat(r.rhoSpent()).isEqualTo(RHO);
            assertThat(r.epsilonSpent()).isEqualTo(0.15);
        });
        assertThat(accountSpent(BAKERY)).isCloseTo(7 * RHO, within(1e-15));
    }

    @Test
    void releasesAnsweredBeforeAreFreeAndOnlyTheNewOnesAreCounted() {
        DisclosureControl dc = control(laplace("0.15", 10, "100", "100", true), TWO_ACCOUNTS);
        List<Release> five = dc.releaseAll(BAKERY, "v1", answer(0, 5));
        // Seven releases, five of them answered before: two are new, and the part pays 2 more (7 in all).
        List<Release> seven = dc.releaseAll(BAKERY, "v1", answer(0, 7));
        assertThat(seven.subList(0, 5)).allSatisfy(r -> {
            assertThat(r.repeated()).isTrue();
            assertThat(r.rhoSpent()).isZero();
        });
        for (int i = 0; i < 5; i++) assertThat(seven.get(i).cells()).isEqualTo(five.get(i).cells());
        assertThat(seven.subList(5, 7)).allSatisfy(r -> assertThat(r.rhoSpent()).isEqualTo(RHO));
        assertThat(accountSpent(BAKERY)).isCloseTo(7 * RHO, within(1e-15));

        // Nothing is left for a new release; an answer mixing the seven with one new one is refused whole.
        assertThatThrownBy(() -> dc.releaseAll(BAKERY, "v1", answer(0, 8)))
                .isInstanceOfSatisfying(BudgetExhaustedException.class, e -> {
                    assertThat(e.scope()).isEqualTo(BudgetExhaustedException.Scope.CITY_AD_HOC_ACCOUNT);
                    assertThat(e.epsilonNeeded()).isCloseTo(0.15, within(1e-9)); // only the new one counts
                });
        assertThat(accountSpent(BAKERY)).isCloseTo(7 * RHO, within(1e-15));
        // The seven alone stay free, whatever the budget.
        assertThat(dc.releaseAll(BAKERY, "v1", answer(0, 7))).allSatisfy(r -> assertThat(r.repeated()).isTrue());
        // The same release twice in one answer is one release: paid once, the same cells.
        List<PlannedRelease> twice = new ArrayList<>(answer(20, 1));
        twice.addAll(answer(20, 1));
        DisclosureControl other = control(laplace("0.15", 10, "100", "100", true), TWO_ACCOUNTS);
        List<Release> both = other.releaseAll(BUTCHER, "v1", twice);
        assertThat(both.get(0).rhoSpent()).isEqualTo(RHO);
        assertThat(both.get(1).rhoSpent()).isZero();
        assertThat(both.get(1).repeated()).isTrue();
        assertThat(both.get(1).cells()).isEqualTo(both.get(0).cells());
        assertThat(accountSpent(BUTCHER)).isEqualTo(RHO);
    }

    @Test
    void anAnswerTheAccountsDayBudgetCannotPayInFullIsRefusedBeforeAnythingIsCharged() {
        // Day 1.0 at ε 0.15: six releases a day; no city-wide accountant, as in the per-question mode.
        PrivacyPolicy policy = TestPolicies.policy(laplace("0.15", 10, "1.0", "15", true));
        DisclosureControl dc = new DisclosureControl(policy, BudgetLedger.inMemory(), audit, KEY, clock);
        assertThatThrownBy(() -> dc.releaseAll(BAKERY, "v1", answer(0, 7)))
                .isInstanceOfSatisfying(BudgetExhaustedException.class, e -> {
                    assertThat(e.scope()).isEqualTo(BudgetExhaustedException.Scope.ACCOUNT);
                    assertThat(e.period()).isEqualTo(BudgetExhaustedException.Period.DAY);
                    assertThat(e.renewsAt()).isEqualTo(Instant.parse("2024-05-14T22:00:00Z"));
                });
        assertThat(dc.budget(BAKERY).remainingDay()).isEqualTo(1.0);
        assertThat(dc.releaseAll(BAKERY, "v1", answer(0, 6))).hasSize(6);
        assertThat(dc.budget(BAKERY).remainingDay()).isCloseTo(0.1, within(1e-9));
    }

    @Test
    void anAnswerTheAccountsDayBudgetCannotPayChargesNoCityBudgetEither() {
        DisclosureControl dc = control(laplace("0.15", 10, "0.5", "15", true), TWO_ACCOUNTS);
        assertThatThrownBy(() -> dc.releaseAll(BAKERY, "v1", answer(0, 4)))
                .isInstanceOfSatisfying(BudgetExhaustedException.class,
                        e -> assertThat(e.scope()).isEqualTo(BudgetExhaustedException.Scope.ACCOUNT));
        assertThat(accountSpent(BAKERY)).isZero();
        assertThat(dc.budget(BAKERY).remainingDay()).isEqualTo(0.5);
    }

    @Test
    void anAnswerTheCitysAdHocShareCannotPayInFullIsRefusedBeforeAnythingIsCharged() {
        DisclosureControl dc = control(laplace("0.15", 10, "100", "100", true), TWO_ACCOUNTS);
        Asker third = new Asker(CITY, "drittes-konto", AskerRole.PARTICIPANT);
        dc.releaseAll(BAKERY, "v1", answer(0, 7));
        dc.releaseAll(BUTCHER, "v1", answer(0, 4));
        // The share pays 15 (more than two parts of 7); 11 are spent. A third account (more accounts than the
        // policy's two) asking for 5, within its own part, would take the share over.
        int shareFits = (int) Math.floor(TWO_ACCOUNTS.adHocRho() / RHO);
        assertThat(shareFits).isEqualTo(15);
        assertThatThrownBy(() -> dc.releaseAll(third, "v1", answer(0, 5)))
                .isInstanceOfSatisfying(BudgetExhaustedException.class, e -> {
                    assertThat(e.scope()).isEqualTo(BudgetExhaustedException.Scope.CITY_AD_HOC);
                    assertThat(e.getMessage()).contains("the city's share for ad-hoc questions");
                });
        assertThat(cityBudget.status(CITY, MAY, null, TWO_ACCOUNTS).adHocSpentRho()).isCloseTo(11 * RHO, within(1e-15));
        assertThat(dc.releaseAll(third, "v1", answer(0, 4))).hasSize(4);
        assertThat(cityBudget.status(CITY, MAY, null, TWO_ACCOUNTS).adHocSpentRho()).isCloseTo(15 * RHO, within(1e-15));
    }

    @Test
    void aSingleQuestionIsAnAnswerOfOneRelease() {
        DisclosureControl dc = control(laplace("0.15", 10, "100", "100", true), TWO_ACCOUNTS);
        PlannedRelease one = answer(0, 1).get(0);
        Release alone = dc.releaseCounts(BAKERY, one.question(), "v1", one.cells());
        Release inAnswer = dc.releaseAll(BAKERY, "v1", List.of(one)).get(0);
        assertThat(inAnswer.cells()).isEqualTo(alone.cells());
        assertThat(inAnswer.repeated()).isTrue();
        assertThatThrownBy(() -> dc.releaseAll(BAKERY, "v1", List.of())).hasMessageContaining("planned must not be empty");
        assertThatThrownBy(() -> dc.releaseAll(BAKERY, "v1", List.of(PlannedRelease.counts(one.question(),
                List.of(new TrueCell("a", -1)))))).hasMessageContaining("cells[0].count must not be negative");
        assertThatThrownBy(() -> PlannedRelease.sums(one.question(), one.cells(), 0)).hasMessageContaining("clampPerPerson");
    }
}
