package de.prokommun.insights.privacy;

import static de.prokommun.insights.privacy.TestPolicies.BAKERY;
import static de.prokommun.insights.privacy.TestPolicies.BUTCHER;
import static de.prokommun.insights.privacy.TestPolicies.CITY_MARKETING;
import static de.prokommun.insights.privacy.TestPolicies.KEY;
import static de.prokommun.insights.privacy.TestPolicies.laplace;
import static de.prokommun.insights.privacy.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.privacy.audit.AuditEntry;
import de.prokommun.insights.privacy.audit.AuditLog;
import de.prokommun.insights.privacy.budget.BudgetLedger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DisclosureControlTest {

    // 2024-05-14 10:00 in Berlin (CEST, UTC+2)
    private final MutableClock clock = new MutableClock(Instant.parse("2024-05-14T08:00:00Z"));
    private final AuditLog audit = AuditLog.inMemory();

    private DisclosureControl control(PrivacyPolicy policy, BudgetLedger ledger) {
        return new DisclosureControl(policy, ledger, audit, KEY, clock);
    }

    private DisclosureControl control(RoleRules rules) {
        return control(policy(rules), BudgetLedger.inMemory());
    }

    private static Question question(String district) {
        return CanonicalQuestion.of("audience.size").anyOf("district", List.of(district)).range("age", 25, 34).build();
    }

    private static List<TrueCell> single(long n) {
        return List.of(new TrueCell("", n));
    }

    @Test
    void repeatingTheSameQuestionReturnsTheIdenticalAnswerAndSpendsNothing() {
        DisclosureControl dc = control(laplace("0.15", 10, "3", "15", true));
        Release first = dc.releaseCounts(BAKERY, question("Saarn"), "2024-05-14", single(1234));
        assertThat(first.repeated()).isFalse();
        assertThat(first.epsilonSpent()).isEqualTo(0.15);
        assertThat(first.budget().remainingDay()).isEqualTo(2.85);

        for (int i = 0; i < 1000; i++) {
            Release again = dc.releaseCounts(BAKERY, question("Saarn"), "2024-05-14", single(1234));
            assertThat(again.cells()).isEqualTo(first.cells());
            assertThat(again.repeated()).isTrue();
            assertThat(again.epsilonSpent()).isZero();
        }
        assertThat(dc.budget(BAKERY).remainingDay()).isEqualTo(2.85);
        assertThat(dc.budget(BAKERY).remainingMonth()).isEqualTo(14.85);
    }

    @Test
    void aRephrasedQuestionIsTheSameQuestion() {
        DisclosureControl dc = control(laplace("0.15", 10, "3", "15", true));
        Question original = CanonicalQuestion.of("audience.size")
                .anyOf("district", List.of("Saarn", "Broich")).param("gender", "f").range("age", 25, 34).build();
        Question rephrased = CanonicalQuestion.of(" audience.size ")
                .range("age", 25, 34).param(" gender", "f ").anyOf("district", List.of("Broich", " Saarn", "Broich")).build();
        assertThat(rephrased.canonicalForm()).isEqualTo(original.canonicalForm());

        Release a = dc.releaseCounts(BAKERY, original, "2024-05-14", single(800));
        Release b = dc.releaseCounts(BAKERY, rephrased, "2024-05-14", single(800));
        assertThat(b.cells()).isEqualTo(a.cells());
        assertThat(b.repeated()).isTrue();
        assertThat(b.epsilonSpent()).isZero();
    }

    @Test
    void eachNewDataVersionDrawsFreshNoiseAndIsPaidFor() {
        DisclosureControl dc = control(laplace("0.15", 10, "3", "15", true));
        Set<Long> values = IntStream.range(0, 20)
                .mapToObj(day -> dc.releaseCounts(BAKERY, question("Saarn"), "version-" + day, single(1000)))
                .peek(r -> assertThat(r.epsilonSpent()).isEqualTo(0.15))
                .map(r -> r.cells().get(0).value()).collect(Collectors.toSet());
        assertThat(values.size()).as("20 independent noise draws of scale 6.7").isGreaterThan(5);
        assertThat(dc.budget(BAKERY).remainingDay()).isZero();
    }

    @Test
    void differentAskersGetIndependentNoiseAndSeparateBudgets() {
        DisclosureControl dc = control(laplace("0.15", 10, "3", "15", true));
        int differ = 0;
        for (int q = 0; q < 10; q++) {
            Question question = question("district-" + q);
            Release bakery = dc.releaseCounts(BAKERY, question, "v1", single(5000));
            Release butcher = dc.releaseCounts(BUTCHER, question, "v1", single(5000));
            assertThat(butcher.repeated()).isFalse();
            if (!bakery.cells().get(0).value().equals(butcher.cells().get(0).value())) differ++;
        }
        assertThat(differ).isGreaterThan(5);
        assertThat(dc.budget(BAKERY).remainingDay()).isEqualTo(1.5);
        assertThat(dc.budget(BUTCHER).remainingDay()).isEqualTo(1.5);
    }

    @Test
    void withinADataVersionChangedDataKeepsTheFirstAnswerOrIsPaidForAgain() {
        DisclosureControl keep = control(laplace("0.15", 10, "3", "15", true));
        Release before = keep.releaseCounts(BAKERY, question("Saarn"), "v1", single(500));
        Release after = keep.releaseCounts(BAKERY, question("Saarn"), "v1", single(501));
        assertThat(after.cells()).isEqualTo(before.cells());
        assertThat(after.epsilonSpent()).isZero();

        // Without the first-answer rule the same seed must not be reused on other data: the difference of two
        // answers would then be the exact difference of the true counts. Fresh noise, paid for.
        DisclosureControl fresh = control(laplace("0.15", 10, "100", "100", false));
        int exactDifferences = 0;
        for (int q = 0; q < 20; q++) {
            Release r1 = fresh.releaseCounts(BAKERY, question("d" + q), "v1", single(500));
            Release r2 = fresh.releaseCounts(BAKERY, question("d" + q), "v1", single(501));
            assertThat(r2.epsilonSpent()).isEqualTo(0.15);
            if (r2.cells().get(0).value() - r1.cells().get(0).value() == 1) exactDifferences++;
            Release r3 = fresh.releaseCounts(BAKERY, question("d" + q), "v1", single(501));
            assertThat(r3.cells()).isEqualTo(r2.cells());
            assertThat(r3.epsilonSpent()).isZero();
        }
        assertThat(exactDifferences).as("a difference of exactly 1 should be as rare as any value of the noise").isLessThan(6);
    }

    @Test
    void aRestartRemembersWhatWasPaidAndRecomputesTheSameAnswer(@TempDir Path dir) {
        Path ledgerFile = dir.resolve("budget.jsonl");
        PrivacyPolicy policy = policy(laplace("0.15", 10, "3", "15", true));
        Release first;
        try (BudgetLedger ledger = BudgetLedger.persistent(ledgerFile)) {
            DisclosureControl dc = control(policy, ledger);
            first = dc.releaseCounts(BAKERY, question("Saarn"), "v1", single(700));
            dc.releaseCounts(BAKERY, question("Broich"), "v1", single(300));
        }
        try (BudgetLedger ledger = BudgetLedger.persistent(ledgerFile)) {
            DisclosureControl restarted = control(policy, ledger);
            assertThat(restarted.budget(BAKERY).remainingDay()).isEqualTo(2.7);
            Release same = restarted.releaseCounts(BAKERY, question("Saarn"), "v1", single(700));
            assertThat(same.cells()).isEqualTo(first.cells());
            assertThat(same.epsilonSpent()).isZero();
            // The first answer on v1 is gone with the restart; other data on the same version needs fresh noise.
            Release changedData = restarted.releaseCounts(BAKERY, question("Broich"), "v1", single(301));
            assertThat(changedData.epsilonSpent()).isEqualTo(0.15);
            assertThat(restarted.budget(BAKERY).remainingDay()).isEqualTo(2.55);
        }
    }

    @Test
    void anExhaustedDayBudgetIsRefusedUntilBerlinMidnight() {
        DisclosureControl dc = control(laplace("0.15", 10, "0.45", "15", true));
        for (int q = 0; q < 3; q++) dc.releaseCounts(BAKERY, question("d" + q), "v1", single(100));
        assertThatThrownBy(() -> dc.releaseCounts(BAKERY, question("d3"), "v1", single(100)))
                .isInstanceOfSatisfying(BudgetExhaustedException.class, e -> {
                    assertThat(e.period()).isEqualTo(BudgetExhaustedException.Period.DAY);
                    assertThat(e.renewsAt()).isEqualTo(Instant.parse("2024-05-14T22:00:00Z"));
                    assertThat(e.getMessage()).contains("renews at 2024-05-14T22:00:00Z");
                });
        // A question already paid for is still answered: it teaches nothing new.
        assertThat(dc.releaseCounts(BAKERY, question("d0"), "v1", single(100)).repeated()).isTrue();
        // Other askers are unaffected.
        assertThat(dc.releaseCounts(BUTCHER, question("d3"), "v1", single(100)).epsilonSpent()).isEqualTo(0.15);
        assertThat(audit.read(Instant.EPOCH, Instant.MAX)).filteredOn(e -> e.outcome() == AuditEntry.Outcome.REFUSED_BUDGET).hasSize(1);

        clock.set(Instant.parse("2024-05-14T22:00:00Z"));
        assertThat(dc.releaseCounts(BAKERY, question("d3"), "v1", single(100)).epsilonSpent()).isEqualTo(0.15);
    }

    @Test
    void anExhaustedMonthBudgetIsRefusedUntilTheFirstOfTheNextMonthInBerlin() {
        clock.set(Instant.parse("2024-03-30T12:00:00Z"));
        DisclosureControl dc = control(laplace("0.25", 10, "0.5", "0.75", true));
        dc.releaseCounts(BAKERY, question("a"), "v1", single(100));
        dc.releaseCounts(BAKERY, question("b"), "v1", single(100));
        clock.advance(Duration.ofDays(1)); // 31 March, after the switch to summer time
        dc.releaseCounts(BAKERY, question("c"), "v1", single(100));
        assertThatThrownBy(() -> dc.releaseCounts(BAKERY, question("d"), "v1", single(100)))
                .isInstanceOfSatisfying(BudgetExhaustedException.class, e -> {
                    assertThat(e.period()).isEqualTo(BudgetExhaustedException.Period.MONTH);
                    assertThat(e.renewsAt()).isEqualTo(Instant.parse("2024-03-31T22:00:00Z"));
                });
        clock.set(Instant.parse("2024-03-31T22:00:00Z"));
        assertThat(dc.budget(BAKERY).remainingMonth()).isEqualTo(0.75);
        dc.releaseCounts(BAKERY, question("d"), "v1", single(100));
    }

    @Test
    void operatorsAndParticipantsFollowTheirOwnRules() {
        DisclosureControl dc = control(policy(laplace("0.15", 10, "3", "15", true), laplace("0.5", 20, "5", "30", true)),
                BudgetLedger.inMemory());
        Release operator = dc.releaseCounts(CITY_MARKETING, question("Saarn"), "v1", single(2));
        assertThat(operator.epsilonSpent()).isEqualTo(0.5);
        assertThat(operator.cells().get(0).display()).isEqualTo("weniger als 20");
        assertThat(dc.releaseCounts(BAKERY, question("Saarn"), "v1", single(2)).cells().get(0).display()).isEqualTo("weniger als 10");
    }

    @Test
    void aSmallCellIsShownAsFewerThanK() {
        DisclosureControl dc = control(laplace("2", 10, "1000", "1000", true));
        for (long n = 0; n <= 3; n++) {
            ReleasedCell cell = dc.releaseCounts(BAKERY, question("small-" + n), "v1", single(n)).cells().get(0);
            assertThat(cell.suppressed()).isTrue();
            assertThat(cell.value()).isNull();
            assertThat(cell.display()).isEqualTo("weniger als 10");
        }
        ReleasedCell big = dc.releaseCounts(BAKERY, question("big"), "v1", single(12_345)).cells().get(0);
        assertThat(big.suppressed()).isFalse();
        assertThat(big.value()).isBetween(12_300L, 12_390L);
        assertThat(big.display()).isEqualTo(new DisplayRule(3, java.util.Locale.GERMANY).show(big.value()));
        assertThat(big.display()).matches("12\\.3\\d0");
    }

    @Test
    void aSingleSuppressedCellInABreakdownTakesTheNextSmallestWithIt() {
        DisclosureControl dc = control(laplace("2", 10, "1000", "1000", true));
        Release r = dc.releaseCounts(BAKERY, question("breakdown"), "v1", List.of(
                new TrueCell("Saarn", 500), new TrueCell("Broich", 400), new TrueCell("Styrum", 3), new TrueCell("Heißen", 50)));
        assertThat(r.cells()).extracting(ReleasedCell::label).containsExactly("Saarn", "Broich", "Styrum", "Heißen");
        assertThat(r.cells()).extracting(ReleasedCell::suppressed).containsExactly(false, false, true, true);
        assertThat(r.cells().get(3).display()).isEqualTo("weniger als 10");
        assertThat(r.cells().get(3).value()).isNull();

        Release two = dc.releaseCounts(BAKERY, question("two"), "v1", List.of(new TrueCell("a", 3), new TrueCell("b", 900)));
        assertThat(two.cells()).allMatch(ReleasedCell::suppressed);

        Release already = dc.releaseCounts(BAKERY, question("already"), "v1", List.of(
                new TrueCell("a", 2), new TrueCell("b", 1), new TrueCell("c", 600), new TrueCell("d", 700)));
        assertThat(already.cells()).extracting(ReleasedCell::suppressed).containsExactly(true, true, false, false);

        assertThat(audit.read(Instant.EPOCH, Instant.MAX)).extracting(AuditEntry::suppressedCells).containsExactly(2, 2, 2);
    }

    @Test
    void sumsAreNoisedOnTheScaleOfTheClampAndSuppressedBelowKTimesTheClamp() {
        DisclosureControl dc = control(laplace("1", 10, "1000", "1000", true));
        long clamp = 5_000; // 50 EUR in cents per person and cell
        double absoluteNoise = 0;
        int draws = 200;
        for (int q = 0; q < draws; q++) {
            Release r = dc.releaseSums(BAKERY, question("sum-" + q), "v1", List.of(new TrueCell("", 10_000_000)), clamp);
            absoluteNoise += Math.abs(r.cells().get(0).value() - 10_000_000);
        }
        // Mean |noise| of a discrete Laplace with scale 5000 is about 5000; a count-scale noise would be ~1.
        assertThat(absoluteNoise / draws).isBetween(3_500.0, 6_500.0);

        Release small = dc.releaseSums(BAKERY, question("small-sum"), "v1", List.of(new TrueCell("", 20_000)), clamp);
        assertThat(small.cells().get(0).suppressed()).isTrue();
        assertThat(small.cells().get(0).display()).isEqualTo("weniger als 50.000");
        // A sum and a count of the same question are different questions with independent noise.
        assertThat(dc.releaseCounts(BAKERY, question("sum-0"), "v1", single(10_000_000)).repeated()).isFalse();
        assertThatThrownBy(() -> dc.releaseSums(BAKERY, question("x"), "v1", single(1), 0))
                .hasMessageContaining("clampPerPerson");
    }

    @Test
    void theGaussianMechanismIsCalibratedToEpsilonAndDelta() {
        RoleRules gauss = new RoleRules(Mechanism.DISCRETE_GAUSSIAN, new java.math.BigDecimal("1"),
                new java.math.BigDecimal("1e-9"), 10, new java.math.BigDecimal("1000"), new java.math.BigDecimal("1000"),
                new DisplayRule(3, java.util.Locale.GERMANY), true);
        DisclosureControl dc = control(gauss);
        double sumSquares = 0;
        int draws = 300;
        for (int q = 0; q < draws; q++) {
            long v = dc.releaseCounts(BAKERY, question("g" + q), "v1", single(100_000)).cells().get(0).value();
            sumSquares += (double) (v - 100_000) * (v - 100_000);
        }
        double sigmaSquared = NoiseCalibration.gaussianSigmaSquared(new java.math.BigDecimal("1"), new java.math.BigDecimal("1e-9"), 1)
                .numerator().doubleValue() / 1_000_000;
        // rho = (sqrt(L+1) - sqrt(L))^2 with L = ln 1e9 = 20.72: sigma^2 = 1/(2 rho) ~ 42.4
        assertThat(sigmaSquared).isBetween(42.0, 43.0);
        assertThat(sumSquares / draws).isBetween(sigmaSquared * 0.75, sigmaSquared * 1.25);
    }

    @Test
    void badInputIsRejectedNamingTheField() {
        DisclosureControl dc = control(laplace("0.15", 10, "3", "15", true));
        assertThatThrownBy(() -> dc.releaseCounts(BAKERY, question("x"), "v1", List.of(new TrueCell("a", -1))))
                .hasMessageContaining("cells[0].count must not be negative");
        assertThatThrownBy(() -> dc.releaseCounts(BAKERY, question("x"), "v1", List.of(new TrueCell("a", 1), new TrueCell("a", 2))))
                .hasMessageContaining("cells[1].label is not unique");
        assertThatThrownBy(() -> dc.releaseCounts(BAKERY, question("x"), " ", single(1))).hasMessageContaining("dataVersion");
        assertThatThrownBy(() -> dc.releaseCounts(BAKERY, question("x"), "v1", List.of())).hasMessageContaining("cells must not be empty");
        assertThatThrownBy(() -> dc.releaseCounts(new Asker("elsewhere", "p", AskerRole.PARTICIPANT), question("x"), "v1", single(1)))
                .hasMessageContaining("asker.city has no privacy policy: elsewhere");
        assertThatThrownBy(() -> new DisclosureControl(policy(laplace("0.15", 10, "3", "15", true)), BudgetLedger.inMemory(),
                audit, new byte[16], clock)).hasMessageContaining("prfKey");
        assertThat(audit.read(Instant.EPOCH, Instant.MAX)).isEmpty();
        assertThat(dc.budget(BAKERY).remainingDay()).isEqualTo(3.0);
    }
}
