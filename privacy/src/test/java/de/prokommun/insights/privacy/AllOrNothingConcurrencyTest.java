package de.prokommun.insights.privacy;

import static de.prokommun.insights.privacy.TestPolicies.BAKERY;
import static de.prokommun.insights.privacy.TestPolicies.CITY;
import static de.prokommun.insights.privacy.TestPolicies.KEY;
import static de.prokommun.insights.privacy.TestPolicies.laplace;
import static org.assertj.core.api.Assertions.assertThat;
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
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Answers of several releases racing for the same budget: each is released in full or refused in full, and
 * together they never take a budget beyond what it can pay (nor leave part of it spent on a refusal).
 */
class AllOrNothingConcurrencyTest {

    /** ρ charged per release at ε = 0.15: ε²/2, rounded up to the next double. */
    private static final double RHO = NoiseCalibration.rho(laplace("0.15", 10, "1", "1", true), 1);
    private static final YearMonth MAY = YearMonth.of(2024, 5);
    /** All of ε = 4 ad hoc, split between two accounts: each part pays 7 releases of ε = 0.15, the share 15. */
    private static final CityBudgetPolicy TWO_ACCOUNTS = new CityBudgetPolicy(new BigDecimal("4"), new BigDecimal("1e-9"),
            BigDecimal.ONE, 2);

    private final MutableClock clock = new MutableClock(Instant.parse("2024-05-14T08:00:00Z"));
    private final ExecutorService pool = Executors.newFixedThreadPool(16);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private DisclosureControl control(RoleRules rules, CityBudget cityBudget, AuditLog audit) {
        PrivacyPolicy policy = PrivacyPolicy.of(new CityPolicy(CITY, PrivacyDefaults.TIME_ZONE,
                Map.of(AskerRole.PARTICIPANT, rules, AskerRole.OPERATOR, rules), TWO_ACCOUNTS));
        return new DisclosureControl(policy, BudgetLedger.inMemory(), cityBudget, audit, KEY, clock);
    }

    private static List<PlannedRelease> answer(int id, int releases) {
        return IntStream.range(0, releases).mapToObj(i -> PlannedRelease.counts(
                CanonicalQuestion.of("audience.size").anyOf("personas", List.of("a" + id + "-p" + i)).build(),
                List.of(new TrueCell("p" + i, 500 + i)))).toList();
    }

    /** Runs {@code n} answers at once; per answer the number of releases it got, or -1 if it was refused. */
    private List<Integer> race(int n, IntFunction<Callable<List<Release>>> answerNumber) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Callable<List<Release>> ask = answerNumber.apply(i);
            results.add(pool.submit(() -> {
                start.await();
                try {
                    return ask.call().size();
                } catch (BudgetExhaustedException refused) {
                    return -1;
                }
            }));
        }
        start.countDown();
        List<Integer> out = new ArrayList<>();
        for (Future<Integer> f : results) out.add(f.get());
        return out;
    }

    @Test
    void answersOfOneAccountInParallelNeverTogetherOverspendItsPartOfTheCity() throws Exception {
        for (int round = 0; round < 25; round++) {
            CityBudget city = CityBudget.inMemory();
            AuditLog audit = AuditLog.inMemory();
            DisclosureControl dc = control(laplace("0.15", 10, "100", "100", true), city, audit);
            // 16 different answers of 3 releases each; the account's part pays 7 releases, so exactly 2 answers.
            List<Integer> got = race(16, i -> () -> dc.releaseAll(BAKERY, "v1", answer(i, 3)));
            assertThat(got).as("round " + round).containsOnly(3, -1);
            assertThat(got.stream().filter(n -> n == 3).count()).as("round " + round).isEqualTo(2);
            assertThat(city.status(CITY, MAY, "participant/" + BAKERY.id(), TWO_ACCOUNTS).accountSpentRho())
                    .isCloseTo(6 * RHO, within(1e-15));
            List<AuditEntry> entries = audit.read(Instant.EPOCH, Instant.MAX);
            assertThat(entries.stream().filter(e -> e.outcome() == AuditEntry.Outcome.RELEASED)).hasSize(6);
            assertThat(entries.stream().filter(e -> e.outcome() == AuditEntry.Outcome.REFUSED_BUDGET)).hasSize(14 * 3);
            assertThat(dc.budget(BAKERY).remainingDay()).isCloseTo(100 - 6 * 0.15, within(1e-9));
        }
    }

    @Test
    void twoAnswersOfOneAccountInParallelCannotBothPassItsDayBudget() throws Exception {
        for (int round = 0; round < 200; round++) {
            // Day 1.0 at ε 0.15: one answer of four releases (0.6) fits, two (1.2) do not. No city-wide accountant.
            PrivacyPolicy policy = TestPolicies.policy(laplace("0.15", 10, "1.0", "15", true));
            DisclosureControl dc = new DisclosureControl(policy, BudgetLedger.inMemory(), AuditLog.inMemory(), KEY, clock);
            List<Integer> got = race(2, i -> () -> dc.releaseAll(BAKERY, "v1", answer(i, 4)));
            assertThat(got).as("round " + round).containsExactlyInAnyOrder(4, -1);
            assertThat(dc.budget(BAKERY).remainingDay()).isCloseTo(0.4, within(1e-9));
        }
    }

    @Test
    void answersOfManyAccountsInParallelNeverTogetherOverspendTheCitysAdHocShare() throws Exception {
        for (int round = 0; round < 25; round++) {
            CityBudget city = CityBudget.inMemory();
            DisclosureControl dc = control(laplace("0.15", 10, "100", "100", true), city, AuditLog.inMemory());
            // 12 accounts, an answer of 4 each (within each account's part of 7); the share pays 15: three answers.
            List<Integer> got = race(12, i -> () -> dc.releaseAll(new Asker(CITY, "shop-" + i, AskerRole.PARTICIPANT),
                    "v1", answer(i, 4)));
            assertThat(got).as("round " + round).containsOnly(4, -1);
            assertThat(got.stream().filter(n -> n == 4).count()).as("round " + round).isEqualTo(3);
            assertThat(city.status(CITY, MAY, null, TWO_ACCOUNTS).adHocSpentRho()).isCloseTo(12 * RHO, within(1e-15))
                    .isLessThanOrEqualTo(TWO_ACCOUNTS.adHocRho());
        }
    }
}
