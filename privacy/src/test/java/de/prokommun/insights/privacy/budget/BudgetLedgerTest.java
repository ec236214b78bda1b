package de.prokommun.insights.privacy.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.privacy.BudgetExhaustedException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BudgetLedgerTest {

    private static final BudgetAccount SHOP = new BudgetAccount("musterstadt", AskerRole.PARTICIPANT, "shop-1");
    private static final BudgetLimits LIMITS = new BudgetLimits(new BigDecimal("1.0"), new BigDecimal("2.0"), ZoneId.of("Europe/Berlin"));
    private static final BigDecimal EPS = new BigDecimal("0.15");
    private static final Instant NOON = Instant.parse("2024-12-31T11:00:00Z");

    @Test
    void decimalEpsilonsAddUpExactly() {
        BudgetLedger ledger = BudgetLedger.inMemory();
        BudgetLimits tight = new BudgetLimits(new BigDecimal("0.3"), new BigDecimal("0.3"), LIMITS.zone());
        ledger.charge(SHOP, "q1", new BigDecimal("0.1"), tight, NOON);
        ledger.charge(SHOP, "q2", new BigDecimal("0.1"), tight, NOON);
        // 0.1 + 0.1 + 0.1 is not <= 0.3 in doubles; the ledger must still grant the third question.
        assertThat(ledger.charge(SHOP, "q3", new BigDecimal("0.1"), tight, NOON).repeated()).isFalse();
        assertThat(ledger.status(SHOP, tight, NOON).remainingDay()).isZero();
    }

    @Test
    void theYearEndRenewsBothBudgetsAtBerlinMidnight() {
        BudgetLedger ledger = BudgetLedger.inMemory();
        for (int i = 0; i < 6; i++) ledger.charge(SHOP, "q" + i, EPS, LIMITS, NOON);
        assertThatThrownBy(() -> ledger.charge(SHOP, "q6", EPS, LIMITS, NOON))
                .isInstanceOfSatisfying(BudgetExhaustedException.class,
                        e -> assertThat(e.renewsAt()).isEqualTo(Instant.parse("2024-12-31T23:00:00Z")));
        assertThat(ledger.status(SHOP, LIMITS, NOON).renewsAt()).isEqualTo(Instant.parse("2024-12-31T23:00:00Z"));
        Instant newYear = Instant.parse("2024-12-31T23:00:00Z");
        assertThat(ledger.charge(SHOP, "q6", EPS, LIMITS, newYear).repeated()).isFalse();
        assertThat(ledger.status(SHOP, LIMITS, newYear).remainingMonth()).isEqualTo(1.85);
    }

    @Test
    void aPersistedLedgerSurvivesARestartAndIgnoresOnlyATornLastLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ledger/budget.jsonl");
        try (BudgetLedger ledger = BudgetLedger.persistent(file)) {
            for (int i = 0; i < 4; i++) ledger.charge(SHOP, "q" + i, EPS, LIMITS, NOON);
        }
        Files.writeString(file, "{\"at\":\"2024-12-31T11:00:00Z\",\"city\":\"muster", StandardOpenOption.APPEND);
        try (BudgetLedger ledger = BudgetLedger.persistent(file)) {
            assertThat(ledger.status(SHOP, LIMITS, NOON).remainingDay()).isEqualTo(0.4);
            assertThat(ledger.charge(SHOP, "q0", EPS, LIMITS, NOON).repeated()).isTrue();
            assertThat(ledger.paidFor(SHOP, "q3", LIMITS.zone(), NOON)).isTrue();
        }
        // The torn line was cut off before appending, so a charge after the restart survives the next one.
        try (BudgetLedger ledger = BudgetLedger.persistent(file)) {
            ledger.charge(SHOP, "q4", EPS, LIMITS, NOON);
        }
        try (BudgetLedger ledger = BudgetLedger.persistent(file)) {
            assertThat(ledger.paidFor(SHOP, "q4", LIMITS.zone(), NOON)).isTrue();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).contains("\"asker\":\"shop-1\"", "\"epsilon\":\"0.15\"", "\"day\":\"2024-12-31\"");
    }

    @Test
    void aCorruptLineInTheMiddleStopsTheStartInsteadOfForgettingCharges(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("budget.jsonl");
        try (BudgetLedger ledger = BudgetLedger.persistent(file)) {
            ledger.charge(SHOP, "q0", EPS, LIMITS, NOON);
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.add(0, "not json");
        Files.write(file, lines);
        assertThatThrownBy(() -> BudgetLedger.persistent(file)).hasMessageContaining("line 1 is corrupt");
    }

    @Test
    void concurrentQuestionsNeverOverspend() throws Exception {
        BudgetLedger ledger = BudgetLedger.inMemory();
        AtomicInteger granted = new AtomicInteger(), refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 50; i++) {
                    try {
                        // Half the questions are shared between threads: each must be paid exactly once.
                        String q = i % 2 == 0 ? "shared-" + i : "own-" + thread + "-" + i;
                        if (!ledger.charge(SHOP, q, new BigDecimal("0.01"), LIMITS, NOON).repeated()) granted.incrementAndGet();
                    } catch (BudgetExhaustedException e) {
                        refused.incrementAndGet();
                    }
                }
            }));
        }
        for (Future<?> f : futures) f.get();
        pool.shutdown();
        assertThat(granted.get()).isEqualTo(100); // 1.0 / 0.01
        assertThat(refused.get()).isPositive();
        assertThat(ledger.status(SHOP, LIMITS, NOON).remainingDay()).isZero();
    }

    @Test
    void theQuestionsOfOneAnswerArePaidTogetherOrNotAtAll(@TempDir Path dir) {
        Path file = dir.resolve("ledger.jsonl");
        List<List<String>> jointlyPaid = new ArrayList<>();
        try (BudgetLedger ledger = BudgetLedger.persistent(file)) {
            // Day 1.0 at ε 0.15: six questions; seven are refused whole.
            List<String> seven = List.of("a", "b", "c", "d", "e", "f", "g");
            assertThatThrownBy(() -> ledger.chargeAll(SHOP, seven, EPS, LIMITS, NOON, jointlyPaid::add))
                    .isInstanceOfSatisfying(BudgetExhaustedException.class,
                            e -> assertThat(e.epsilonNeeded()).isCloseTo(7 * 0.15, org.assertj.core.api.Assertions.within(1e-9)));
            assertThat(jointlyPaid).isEmpty();
            assertThat(ledger.status(SHOP, LIMITS, NOON).remainingDay()).isEqualTo(1.0);

            // The joint payment (the city's ρ) refuses: nothing is paid here either.
            assertThatThrownBy(() -> ledger.chargeAll(SHOP, List.of("a", "b"), EPS, LIMITS, NOON, digests -> {
                throw new IllegalStateException("the city refuses");
            })).hasMessage("the city refuses");
            assertThat(ledger.status(SHOP, LIMITS, NOON).remainingDay()).isEqualTo(1.0);
            assertThat(ledger.paidFor(SHOP, "a", LIMITS.zone(), NOON)).isFalse();

            List<Charge> first = ledger.chargeAll(SHOP, List.of("a", "b", "a"), EPS, LIMITS, NOON, jointlyPaid::add);
            assertThat(first).extracting(Charge::repeated).containsExactly(false, false, true);
            assertThat(jointlyPaid).containsExactly(List.of("a", "b"));
            // Only the new questions are counted and handed to the joint payment: a, b known, four new fit exactly.
            List<Charge> second = ledger.chargeAll(SHOP, List.of("a", "b", "c", "d", "e", "f"), EPS, LIMITS, NOON, jointlyPaid::add);
            assertThat(second).extracting(Charge::repeated).containsExactly(true, true, false, false, false, false);
            assertThat(jointlyPaid.get(1)).containsExactly("c", "d", "e", "f");
            assertThat(ledger.status(SHOP, LIMITS, NOON).remainingDay()).isCloseTo(0.1, org.assertj.core.api.Assertions.within(1e-9));
            // All known: free, and nothing for the joint payment to pay.
            assertThat(ledger.chargeAll(SHOP, List.of("f", "a"), EPS, LIMITS, NOON, jointlyPaid::add))
                    .extracting(Charge::repeated).containsOnly(true);
            assertThat(jointlyPaid).hasSize(2);
        }
        try (BudgetLedger ledger = BudgetLedger.persistent(file)) {
            assertThat(ledger.status(SHOP, LIMITS, NOON).remainingDay()).isCloseTo(0.1, org.assertj.core.api.Assertions.within(1e-9));
        }
    }
}
