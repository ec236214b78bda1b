package de.prokommun.insights.privacy.city;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CityBudgetTest {

    private static final String CITY = "musterstadt";
    private static final YearMonth MAY = YearMonth.of(2024, 5);
    private static final CityBudgetPolicy DEFAULT = new CityBudgetPolicy(new BigDecimal("4"), new BigDecimal("1e-9"),
            new BigDecimal("0.25"), 60);

    @Test
    void aPublicationIsPaidOnceAndRefusedBeyondItsShare() {
        CityBudget budget = CityBudget.inMemory();
        double half = DEFAULT.publicationRho() / 2;
        CityCharge first = budget.chargePublication(CITY, MAY, "stadtstatistik-2024-05", half, DEFAULT);
        assertThat(first.repeated()).isFalse();
        assertThat(first.rho()).isEqualTo(half);
        CityCharge again = budget.chargePublication(CITY, MAY, "stadtstatistik-2024-05", half, DEFAULT);
        assertThat(again.repeated()).isTrue();
        assertThat(again.rho()).isZero();
        assertThat(again.status().publicationSpentRho()).isEqualTo(half);

        budget.chargePublication(CITY, MAY, "pulse-2024-05", half, DEFAULT);
        assertThatThrownBy(() -> budget.chargePublication(CITY, MAY, "one-more", 1e-6, DEFAULT))
                .isInstanceOfSatisfying(CityBudgetExhaustedException.class, e -> {
                    assertThat(e.share()).isEqualTo(CityBudgetExhaustedException.Share.PUBLICATIONS);
                    assertThat(e.renewsWith()).isEqualTo(YearMonth.of(2024, 6));
                    assertThat(e.getMessage()).contains("publication share", "musterstadt", "2024-06");
                });
        // The ad-hoc share is untouched by publications, and June starts afresh.
        assertThat(budget.status(CITY, MAY, null, DEFAULT).adHocLeftRho()).isEqualTo(DEFAULT.adHocRho());
        assertThat(budget.chargePublication(CITY, YearMonth.of(2024, 6), "one-more", 1e-6, DEFAULT).repeated()).isFalse();
        // The month is the city's: 31 May 23:30 UTC is already June in Berlin.
        assertThat(CityBudget.monthOf(java.time.Instant.parse("2024-05-31T22:30:00Z"), java.time.ZoneId.of("Europe/Berlin")))
                .isEqualTo(YearMonth.of(2024, 6));
        // Another city has its own cap.
        assertThat(budget.chargePublication("andere-stadt", MAY, "one-more", 1e-6, DEFAULT).repeated()).isFalse();
    }

    @Test
    void anAccountSpendsOnlyItsPartOfTheAdHocShareAndARepeatedQuestionIsFree() {
        CityBudget budget = CityBudget.inMemory();
        double part = DEFAULT.adHocRhoPerAccount();
        double question = part / 4; // exact in binary, so four questions are exactly the part
        for (int i = 0; i < 4; i++) budget.chargeAdHoc(CITY, MAY, "baeckerei", "q" + i, question, DEFAULT);
        assertThat(budget.chargeAdHoc(CITY, MAY, "baeckerei", "q1", question, DEFAULT).repeated()).isTrue();
        assertThatThrownBy(() -> budget.chargeAdHoc(CITY, MAY, "baeckerei", "q4", question, DEFAULT))
                .isInstanceOfSatisfying(CityBudgetExhaustedException.class,
                        e -> assertThat(e.share()).isEqualTo(CityBudgetExhaustedException.Share.AD_HOC_ACCOUNT));
        // Another account's question with the same digest is its own question and its own money.
        assertThat(budget.chargeAdHoc(CITY, MAY, "metzgerei", "q4", question, DEFAULT).repeated()).isFalse();
        CityBudgetStatus status = budget.status(CITY, MAY, "baeckerei", DEFAULT);
        assertThat(status.accountSpentRho()).isEqualTo(part);
        assertThat(status.adHocSpentRho()).isEqualTo(5 * question);
        assertThat(status.accountLeftRho()).isZero();
        assertThat(status.spentEpsilon()).isEqualTo(CityBudgetPolicy.epsilonOf(status.spentRho(), 1e-9));
        assertThat(status.leftEpsilon()).isCloseTo(4 - status.spentEpsilon(), within(1e-12));
    }

    @Test
    void chargingTheSameIdWithAnotherRhoIsAnError() {
        CityBudget budget = CityBudget.inMemory();
        budget.chargeAdHoc(CITY, MAY, "baeckerei", "q", 1e-5, DEFAULT);
        assertThatThrownBy(() -> budget.chargeAdHoc(CITY, MAY, "baeckerei", "q", 2e-5, DEFAULT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> budget.chargePublication(CITY, MAY, "r", 0, DEFAULT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> budget.chargePublication(CITY, MAY, "r", Double.NaN, DEFAULT)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void moreAccountsThanPlannedStillCannotExceedTheAdHocShare() {
        CityBudget budget = CityBudget.inMemory();
        int granted = 0;
        for (int a = 0; a < 200; a++) {
            try {
                budget.chargeAdHoc(CITY, MAY, "account-" + a, "q", DEFAULT.adHocRhoPerAccount(), DEFAULT);
                granted++;
            } catch (CityBudgetExhaustedException e) {
                assertThat(e.share()).isEqualTo(CityBudgetExhaustedException.Share.AD_HOC);
            }
        }
        assertThat(granted).isEqualTo(60);
        assertThat(new BigDecimal(budget.status(CITY, MAY, null, DEFAULT).adHocSpentRho()))
                .isLessThanOrEqualTo(new BigDecimal(DEFAULT.adHocRho()));
    }

    /**
     * A month of use: 60 accounts ask ad-hoc questions of random cost as fast as the accountant allows, from 8
     * threads at once, while publications are charged on every day; repeats are mixed in. Afterwards the total
     * is recomputed from the granted charges alone (exact decimal sums) and checked against the cap, each
     * account against its part, and the accountant's own status against the recomputation.
     */
    @Test
    void aMonthOfSixtyAccountsChargingAsFastAsAllowedNeverExceedsTheCap() throws Exception {
        CityBudget budget = CityBudget.inMemory();
        List<String[]> granted = Collections.synchronizedList(new ArrayList<>()); // {account or "", rho}
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> work = new ArrayList<>();
        for (int a = 0; a < 60; a++) {
            String account = "account-" + a;
            long seed = a;
            work.add(pool.submit(() -> {
                Random random = new Random(seed);
                Map<String, Double> paid = new HashMap<>();
                int refusals = 0;
                for (int q = 0; refusals < 20; q++) {
                    if (q % 5 == 4 && paid.containsKey("q" + (q - 1))) {
                        // Every fifth question repeats the one before: free when that one was paid.
                        CityCharge c = budget.chargeAdHoc(CITY, MAY, account, "q" + (q - 1), paid.get("q" + (q - 1)), DEFAULT);
                        assertThat(c.repeated()).isTrue();
                        continue;
                    }
                    // Costs between 1/50 and 1/2 of the account's part.
                    double rho = DEFAULT.adHocRhoPerAccount() * (0.02 + 0.48 * random.nextDouble());
                    try {
                        CityCharge c = budget.chargeAdHoc(CITY, MAY, account, "q" + q, rho, DEFAULT);
                        assertThat(c.repeated()).isFalse();
                        paid.put("q" + q, rho);
                        granted.add(new String[] {account, Double.toString(c.rho())});
                    } catch (CityBudgetExhaustedException e) {
                        refusals++;
                    }
                }
                return null;
            }));
        }
        work.add(pool.submit(() -> {
            Random random = new Random(99);
            for (int day = 1; day <= 31; day++) {
                for (int refresh = 0; refresh < 10; refresh++) {
                    String id = "day-" + day + "-" + refresh;
                    double rho = DEFAULT.publicationRho() / 250 * (0.5 + random.nextDouble());
                    try {
                        CityCharge c = budget.chargePublication(CITY, MAY, id, rho, DEFAULT);
                        if (!c.repeated()) granted.add(new String[] {"", Double.toString(c.rho())});
                        assertThat(budget.chargePublication(CITY, MAY, id, rho, DEFAULT).repeated()).isTrue();
                    } catch (CityBudgetExhaustedException e) {
                        assertThat(e.share()).isEqualTo(CityBudgetExhaustedException.Share.PUBLICATIONS);
                    }
                }
            }
            return null;
        }));
        for (Future<?> f : work) f.get();
        pool.shutdown();

        BigDecimal total = BigDecimal.ZERO, publications = BigDecimal.ZERO, adHoc = BigDecimal.ZERO;
        Map<String, BigDecimal> perAccount = new HashMap<>();
        for (String[] g : granted) {
            BigDecimal rho = new BigDecimal(Double.parseDouble(g[1]));
            total = total.add(rho);
            if (g[0].isEmpty()) publications = publications.add(rho);
            else {
                adHoc = adHoc.add(rho);
                perAccount.merge(g[0], rho, BigDecimal::add);
            }
        }
        assertThat(total).isLessThanOrEqualTo(new BigDecimal(DEFAULT.rhoCap()));
        assertThat(CityBudgetPolicy.epsilonOf(total.doubleValue(), 1e-9)).isLessThanOrEqualTo(4.0);
        assertThat(perAccount).hasSize(60);
        for (BigDecimal spent : perAccount.values())
            assertThat(spent).isLessThanOrEqualTo(new BigDecimal(DEFAULT.adHocRhoPerAccount()));
        // The accountant did not starve anyone: each account got at least half its part (every question costs at
        // most half), and the publications used most of theirs.
        for (BigDecimal spent : perAccount.values())
            assertThat(spent.doubleValue()).isGreaterThan(DEFAULT.adHocRhoPerAccount() / 2);
        assertThat(publications.doubleValue()).isGreaterThan(0.9 * DEFAULT.publicationRho());
        CityBudgetStatus status = budget.status(CITY, MAY, "account-7", DEFAULT);
        assertThat(status.spentRho()).isEqualTo(total.doubleValue());
        assertThat(status.publicationSpentRho()).isEqualTo(publications.doubleValue());
        assertThat(status.adHocSpentRho()).isEqualTo(adHoc.doubleValue());
        assertThat(status.accountSpentRho()).isEqualTo(perAccount.get("account-7").doubleValue());
    }

    @Test
    void aPersistentBudgetSurvivesARestartAndIgnoresOnlyATornLastLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("budget/city.jsonl");
        double part = DEFAULT.adHocRhoPerAccount();
        try (CityBudget budget = CityBudget.persistent(file)) {
            budget.chargePublication(CITY, MAY, "stadtstatistik", 0.1, DEFAULT);
            budget.chargeAdHoc(CITY, MAY, "baeckerei", "q1", part * 0.7, DEFAULT);
        }
        Files.writeString(file, "{\"city\":\"musterstadt\",\"month\":\"2024-05\",\"kind\":\"ad-", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        try (CityBudget budget = CityBudget.persistent(file)) {
            CityBudgetStatus status = budget.status(CITY, MAY, "baeckerei", DEFAULT);
            assertThat(status.publicationSpentRho()).isEqualTo(0.1);
            assertThat(status.accountSpentRho()).isEqualTo(part * 0.7);
            assertThat(budget.chargeAdHoc(CITY, MAY, "baeckerei", "q1", part * 0.7, DEFAULT).repeated()).isTrue();
            assertThatThrownBy(() -> budget.chargeAdHoc(CITY, MAY, "baeckerei", "q2", part * 0.7, DEFAULT))
                    .isInstanceOf(CityBudgetExhaustedException.class);
        }
        // The torn line was cut off before appending: a charge after the restart starts its own line, and a
        // third start still reads everything.
        try (CityBudget budget = CityBudget.persistent(file)) {
            budget.chargeAdHoc(CITY, MAY, "metzgerei", "q1", part * 0.5, DEFAULT);
        }
        try (CityBudget budget = CityBudget.persistent(file)) {
            assertThat(budget.status(CITY, MAY, "metzgerei", DEFAULT).accountSpentRho()).isEqualTo(part * 0.5);
            assertThat(budget.status(CITY, MAY, null, DEFAULT).spentRho()).isEqualTo(new BigDecimal(0.1)
                    .add(new BigDecimal(part * 0.7)).add(new BigDecimal(part * 0.5)).doubleValue()); // exact sum
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(3);
        lines.add(1, "not json");
        Files.write(file, lines, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> CityBudget.persistent(file)).hasMessageContaining("line 2 is corrupt");
    }

    @Test
    void theReleasesOfOneAnswerAreChargedTogetherOrNotAtAll(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("city-budget.jsonl");
        double perAccount = DEFAULT.adHocRhoPerAccount();
        double rho = perAccount / 5.5; // the part pays five
        try (CityBudget budget = CityBudget.persistent(file)) {
            List<AdHocCharge> six = new ArrayList<>();
            for (int i = 0; i < 6; i++) six.add(new AdHocCharge("q" + i, rho));
            assertThatThrownBy(() -> budget.chargeAdHocAll(CITY, MAY, "participant/shop", six, DEFAULT))
                    .isInstanceOfSatisfying(CityBudgetExhaustedException.class, e -> {
                        assertThat(e.share()).isEqualTo(CityBudgetExhaustedException.Share.AD_HOC_ACCOUNT);
                        assertThat(e.rhoNeeded()).isCloseTo(6 * rho, within(1e-15));
                        assertThat(e.spentRho()).isZero();
                    });
            assertThat(budget.status(CITY, MAY, "participant/shop", DEFAULT).accountSpentRho()).isZero();
            assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).isEmpty();

            // Three of five, then five of which three were paid: the two new ones are charged, the rest is free.
            List<CityCharge> first = budget.chargeAdHocAll(CITY, MAY, "participant/shop", six.subList(0, 3), DEFAULT);
            assertThat(first).extracting(CityCharge::repeated).containsOnly(false);
            List<CityCharge> second = budget.chargeAdHocAll(CITY, MAY, "participant/shop", six.subList(0, 5), DEFAULT);
            assertThat(second).extracting(CityCharge::repeated).containsExactly(true, true, true, false, false);
            assertThat(second).extracting(CityCharge::rho).containsExactly(0.0, 0.0, 0.0, rho, rho);
            assertThat(second.get(4).status().accountSpentRho()).isCloseTo(5 * rho, within(1e-15));
            // A digest twice in one answer is one release.
            List<CityCharge> twice = budget.chargeAdHocAll(CITY, MAY, "participant/other",
                    List.of(new AdHocCharge("x", rho), new AdHocCharge("x", rho)), DEFAULT);
            assertThat(twice).extracting(CityCharge::repeated).containsExactly(false, true);
            assertThatThrownBy(() -> budget.chargeAdHocAll(CITY, MAY, "participant/other",
                    List.of(new AdHocCharge("y", rho), new AdHocCharge("y", 2 * rho)), DEFAULT))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(budget.status(CITY, MAY, "participant/other", DEFAULT).accountSpentRho()).isEqualTo(rho);
        }
        // The journal holds exactly the charges granted, and a restart knows them.
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).hasSize(6);
        try (CityBudget budget = CityBudget.persistent(file)) {
            assertThat(budget.status(CITY, MAY, "participant/shop", DEFAULT).accountSpentRho()).isCloseTo(5 * rho, within(1e-15));
            assertThat(budget.chargeAdHoc(CITY, MAY, "participant/shop", "q4", rho, DEFAULT).repeated()).isTrue();
        }
    }
}
