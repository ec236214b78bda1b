package de.prokommun.insights.query.journey;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.privacy.SumClamps;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sensitivity of each journey release: the most one person can add to all of its cells together. */
class JourneyClampsTest {

    private static final SumClamps MUSTERSTADT = SumClamps.ofCity(Path.of("..", "cities"), "musterstadt");

    @Test
    void aMatrixCoversEveryCellOnePersonCanReach() {
        assertThat(JourneyClamps.pairs(8, false)).isEqualTo(56);
        assertThat(JourneyClamps.pairs(8, true)).isEqualTo(7);
        assertThat(JourneyClamps.pairs(2, false)).isEqualTo(2);
        assertThat(JourneyClamps.flows(3, false, 1)).isEqualTo(6);
        assertThat(JourneyClamps.flows(3, true, 1)).isEqualTo(4);
        assertThat(JourneyClamps.flows(8, false, 12)).isEqualTo(56 * 12);
        assertThat(JourneyClamps.customers(5)).isEqualTo(5);
    }

    @Test
    void aPersonWhoShopsEverywhereReachesThePairClampAndNoMore() {
        List<String> nodes = List.of("a", "b", "c", "d");
        // a person who bought at all four participants is counted once in every ordered pair
        assertThat(JourneyService.pairs(nodes, null, false)).hasSize((int) JourneyClamps.pairs(4, false));
        assertThat(JourneyService.pairs(nodes, "b", false)).hasSize((int) JourneyClamps.pairs(4, true));
        assertThat(JourneyService.pairs(nodes, "b", true)).hasSize((int) JourneyClamps.flows(4, true, 1));
    }

    @Test
    void amountsAreTheMonthlyCutTimesTheMonths() {
        assertThat(JourneyClamps.visits(MUSTERSTADT, 12)).isEqualTo(20 * 12);
        assertThat(JourneyClamps.spendCents(MUSTERSTADT, 1)).isEqualTo(50_000);
        assertThat(JourneyClamps.voucherCents(MUSTERSTADT, 12)).isEqualTo(20_000 * 12);
        assertThat(JourneyClamps.bonusPoints(MUSTERSTADT, 1)).isEqualTo(5_000);
        // at most 20,000 / 500 = 40 rows of at least 5 EUR per person and month, each at most 366 days
        assertThat(JourneyClamps.voucherCount(MUSTERSTADT, 1)).isEqualTo(40);
        assertThat(JourneyClamps.voucherLagDays(MUSTERSTADT, 12)).isEqualTo(40L * 12 * 366);
        assertThat(JourneyClamps.voucherCount(new SumClamps(1, 1, 1, 100, 1), 2)).isEqualTo(2);
    }

    @Test
    void everyRouteFitsMusterstadtsDayBudget() {
        // questions per default request (see docs/JOURNEY.md): operator ε 0.25 of 5.0, participant ε 0.15 of 3.0
        int[] operator = {2, 1, 1, 3, 13, 6};
        int[] participant = {2, 1, 1, 3, 10, 6};
        for (int q : operator) assertThat(BigDecimal.valueOf(q).multiply(new BigDecimal("0.25"))).isLessThanOrEqualTo(new BigDecimal("5.0"));
        for (int q : participant) assertThat(BigDecimal.valueOf(q).multiply(new BigDecimal("0.15"))).isLessThanOrEqualTo(new BigDecimal("3.0"));
    }
}
