package de.prokommun.insights.privacy;

import static de.prokommun.insights.privacy.TestPolicies.BAKERY;
import static de.prokommun.insights.privacy.TestPolicies.CITY;
import static de.prokommun.insights.privacy.TestPolicies.KEY;
import static de.prokommun.insights.privacy.TestPolicies.laplace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.privacy.audit.AuditLog;
import de.prokommun.insights.privacy.budget.BudgetLedger;
import de.prokommun.insights.privacy.city.AdHocCharge;
import de.prokommun.insights.privacy.city.CityBudget;
import de.prokommun.insights.privacy.city.CityBudgetExhaustedException;
import de.prokommun.insights.privacy.city.CityBudgetPolicy;
import de.prokommun.insights.privacy.city.CityBudgetStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ad-hoc share split between accounts and paced over the month: portion p of N releases p/N of each account's
 * part and of the share; a refusal by the pacing names the next portion; over a whole month of 60 accounts asking
 * as fast as allowed every day, no day's spending exceeds what was released and the month never the share, and an
 * independent recomputation of the granted charges agrees.
 */
class AdHocPacingTest {

    private static final BigDecimal EPS = new BigDecimal("4");
    private static final BigDecimal DELTA = new BigDecimal("1e-9");
    /** Musterstadt's split: a quarter ad hoc, eight allowances, four portions. */
    private static final CityBudgetPolicy PACED = new CityBudgetPolicy(EPS, DELTA, new BigDecimal("0.25"), 8, 4);
    private static final double RHO = 0.0002181;

    @Test
    void theMonthIsCutIntoPortionsOfWholeDays() {
        // 31 days: 1-8, 9-16, 17-24, 25-31; 30 days: 1-8, 9-15, 16-23, 24-30; February 2026: 1-7, 8-14, 15-21, 22-28.
        assertThat(List.of(1, 8, 9, 16, 17, 24, 25, 31).stream().map(d -> PACED.portionOf(LocalDate.of(2026, 12, d))))
                .containsExactly(1, 1, 2, 2, 3, 3, 4, 4);
        assertThat(List.of(8, 9, 15, 16, 23, 24).stream().map(d -> PACED.portionOf(LocalDate.of(2026, 6, d))))
                .containsExactly(1, 2, 2, 3, 3, 4);
        assertThat(List.of(7, 8, 21, 22).stream().map(d -> PACED.portionOf(LocalDate.of(2026, 2, d))))
                .containsExactly(1, 2, 3, 4);
        assertThat(PACED.nextPortionStart(LocalDate.of(2026, 12, 3))).isEqualTo(LocalDate.of(2026, 12, 9));
        assertThat(PACED.nextPortionStart(LocalDate.of(2026, 12, 25))).isNull();
        BigDecimal share = new BigDecimal("0.04");
        assertThat(PACED.paced(share, LocalDate.of(2026, 12, 1))).isEqualByComparingTo("0.01");
        assertThat(PACED.paced(share, LocalDate.of(2026, 12, 20))).isEqualByComparingTo("0.03");
        assertThat(PACED.paced(share, LocalDate.of(2026, 12, 31))).isEqualByComparingTo("0.04");
        assertThat(PACED.paced(share, null)).isEqualByComparingTo("0.04");
        assertThatThrownBy(() -> new CityBudgetPolicy(EPS, DELTA, BigDecimal.ONE, 1, 0)).hasMessageContaining("cityBudget.portions");
        assertThat(PrivacyDefaults.cityBudget().portions()).isEqualTo(4);
    }

    @Test
    void anAccountCannotSpendItsMonthInOneMorning() {
        CityBudget budget = CityBudget.inMemory();
        YearMonth december = YearMonth.of(2026, 12);
        LocalDate first = LocalDate.of(2026, 12, 1);
        int answered = 0;
        CityBudgetExhaustedException refusal = null;
        while (refusal == null) {
            try {
                budget.chargeAdHocAll(CITY, december, first, "participant/baeckerei", List.of(new AdHocCharge("q" + answered, RHO)), PACED);
                answered++;
            } catch (CityBudgetExhaustedException e) {
                refusal = e;
            }
        }
        // A quarter of the account's month on day 1; the refusal is the pacing's and names 9 December.
        int month = (int) Math.floor(PACED.adHocRhoPerAccount() / RHO);
        assertThat(answered).isBetween(month / 4 - 1, month / 4);
        assertThat(refusal.share()).isEqualTo(CityBudgetExhaustedException.Share.AD_HOC_ACCOUNT);
        assertThat(refusal.nextPortion()).isEqualTo(LocalDate.of(2026, 12, 9));
        CityBudgetStatus status = budget.status(CITY, december, first, "participant/baeckerei", PACED);
        assertThat(status.accountReleasedRho()).isEqualTo(PACED.adHocRhoPerAccount() / 4, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(status.accountAvailableRho()).isLessThan(RHO);
        assertThat(status.accountLeftRho()).isGreaterThan(0.7 * PACED.adHocRhoPerAccount());
        assertThat(status.nextPortion()).isEqualTo(LocalDate.of(2026, 12, 9));
        // On the 9th the next quarter; in the last portion the whole part, and then the month's refusal.
        budget.chargeAdHocAll(CITY, december, LocalDate.of(2026, 12, 9), "participant/baeckerei", List.of(new AdHocCharge("next", RHO)), PACED);
        LocalDate last = LocalDate.of(2026, 12, 28);
        int more = 0;
        try {
            while (true) {
                budget.chargeAdHocAll(CITY, december, last, "participant/baeckerei", List.of(new AdHocCharge("m" + more, RHO)), PACED);
                more++;
            }
        } catch (CityBudgetExhaustedException e) {
            assertThat(e.nextPortion()).isNull();
            assertThat(e.share()).isEqualTo(CityBudgetExhaustedException.Share.AD_HOC_ACCOUNT);
        }
        assertThat(answered + 1 + more).isEqualTo(month);
    }

    @Test
    void aMonthOfSixtyAccountsAskingAsFastAsAllowedEveryDayStaysWithinWhatThePacingReleased() {
        CityBudget budget = CityBudget.inMemory();
        YearMonth month = YearMonth.of(2026, 12);
        double[] spentByAccount = new double[60];
        double total = 0;
        int[] perPortion = new int[5];
        for (int day = 1; day <= 31; day++) {
            LocalDate date = month.atDay(day);
            for (int round = 0; round < 40; round++) {
                for (int a = 0; a < 60; a++) {
                    try {
                        budget.chargeAdHocAll(CITY, month, date, "participant/a" + a,
                                List.of(new AdHocCharge("d" + day + "r" + round, RHO)), PACED);
                        spentByAccount[a] += RHO;
                        total += RHO;
                        perPortion[PACED.portionOf(date)]++;
                    } catch (CityBudgetExhaustedException e) {
                        // refused: the account tries again tomorrow
                    }
                }
            }
            // Independent check: never more than the released part of the share, nor of any account's part.
            double released = PACED.adHocRho() * PACED.portionOf(date) / 4.0;
            assertThat(total).as("day %d", day).isLessThanOrEqualTo(released * (1 + 1e-12));
            for (double s : spentByAccount) {
                assertThat(s).isLessThanOrEqualTo(PACED.adHocRhoPerAccount() * PACED.portionOf(date) / 4.0 * (1 + 1e-12));
            }
            assertThat(budget.status(CITY, month, date, null, PACED).adHocSpentRho()).isEqualTo(total,
                    org.assertj.core.data.Offset.offset(1e-12));
        }
        // Every portion got its share: late askers in the month still find some.
        for (int p = 1; p <= 4; p++) assertThat(perPortion[p]).as("portion %d", p).isGreaterThan(0);
        assertThat(total).isLessThanOrEqualTo(PACED.adHocRho()).isGreaterThan(PACED.adHocRho() - RHO);
        // The whole month within the cap per resident: publications' share plus everything ad hoc.
        assertThat(PACED.publicationRho() + total).isLessThanOrEqualTo(PACED.rhoCap());
    }

    @Test
    void theRefusalOfThePacingRenewsWithTheNextPortionNotTheNextMonth() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T09:00:00Z"));
        CityBudgetPolicy allAdHoc = new CityBudgetPolicy(EPS, DELTA, BigDecimal.ONE, 2, 4);
        RoleRules rules = laplace("0.15", 10, "3", "15", true);
        PrivacyPolicy policy = PrivacyPolicy.of(new CityPolicy(CITY, PrivacyDefaults.TIME_ZONE,
                Map.of(AskerRole.PARTICIPANT, rules, AskerRole.OPERATOR, rules), allAdHoc));
        DisclosureControl dc = new DisclosureControl(policy, BudgetLedger.inMemory(), CityBudget.inMemory(),
                AuditLog.inMemory(), KEY, clock);
        BudgetExhaustedException refusal = null;
        int answered = 0;
        for (int i = 0; i < 20 && refusal == null; i++) {
            try {
                dc.releaseCounts(BAKERY, CanonicalQuestion.of("audience.size").anyOf("district", List.of("d" + i)).build(),
                        "v1", List.of(new TrueCell("", 900)));
                answered++;
            } catch (BudgetExhaustedException e) {
                refusal = e;
            }
        }
        assertThat(refusal).isNotNull();
        // ρ ≈ 0.088 per account a month, 0.01125 per question: 7 a month, 1 in the first quarter.
        assertThat(answered).isEqualTo(1);
        assertThat(refusal.period()).isEqualTo(BudgetExhaustedException.Period.PORTION);
        assertThat(refusal.scope()).isEqualTo(BudgetExhaustedException.Scope.CITY_AD_HOC_ACCOUNT);
        assertThat(refusal.renewsAt()).isEqualTo(Instant.parse("2026-12-08T23:00:00Z")); // 9 December, Berlin
        assertThat(refusal.getMessage()).contains("paced").contains("published statistics stay free");
        assertThat(dc.budget(BAKERY).city().accountReleasedRho()).isEqualTo(allAdHoc.adHocRhoPerAccount() / 4,
                org.assertj.core.data.Offset.offset(1e-15));
    }
}
