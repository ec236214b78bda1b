package de.prokommun.insights.bench.accuracy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ErrorStatsTest {

    @Test
    void relativeErrorsPerSizeClassWithMedianAndNearestRankP95() {
        ErrorStats s = new ErrorStats();
        // 20 large audiences of 10,000 with errors 1..20 (0.01 % .. 0.2 %).
        for (int i = 1; i <= 20; i++) s.add(10_000, 10_000L + (i % 2 == 0 ? i : -i));
        s.add(1_000, 900L);   // medium, 10 %
        s.add(1_000, null);   // medium, refused: counted apart, not as an error
        s.add(10, 1_000L);    // below every class: ignored
        ErrorStats.Summary large = s.summary(SizeClass.LARGE);
        assertThat(large.answered()).isEqualTo(20);
        assertThat(large.medianPercent()).isCloseTo(0.105, within(1e-9)); // (10 + 11) / 2 / 10,000
        assertThat(large.p95Percent()).isCloseTo(0.19, within(1e-9));     // rank ceil(0.95·20) = 19
        ErrorStats.Summary medium = s.summary(SizeClass.MEDIUM);
        assertThat(medium.answered()).isEqualTo(1);
        assertThat(medium.unanswered()).isEqualTo(1);
        assertThat(medium.p95Percent()).isCloseTo(10.0, within(1e-9));
        assertThat(s.summary(SizeClass.SMALL).medianPercent()).isNaN();
    }

    @Test
    void sizeClassesAreDisjointAtTheirBounds() {
        assertThat(SizeClass.of(4_999)).contains(SizeClass.MEDIUM);
        assertThat(SizeClass.of(5_000)).contains(SizeClass.LARGE);
        assertThat(SizeClass.of(500)).contains(SizeClass.MEDIUM);
        assertThat(SizeClass.of(499)).contains(SizeClass.SMALL);
        assertThat(SizeClass.of(49)).isEmpty();
    }

    @Test
    void aTradeoffMeetsTheGoalsOnlyWhenEveryClassWithAGoalIsWithinIt() {
        var ok = new Tradeoff(4, 4, 46, java.util.Map.of(SizeClass.LARGE, 2.9, SizeClass.MEDIUM, 9.9, SizeClass.SMALL, 80.0),
                java.util.Map.of());
        var missed = new Tradeoff(4, 8, 65, java.util.Map.of(SizeClass.LARGE, 3.1, SizeClass.MEDIUM, 9.9), java.util.Map.of());
        assertThat(AccuracyReport.meetsP95Goals(ok)).isTrue();
        assertThat(AccuracyReport.meetsP95Goals(missed)).isFalse();
    }
}
