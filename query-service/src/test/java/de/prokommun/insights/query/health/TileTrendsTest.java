package de.prokommun.insights.query.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TileTrendsTest {

    private static Tile lag(Double value) {
        return new Tile("kafka.lag", Tile.Status.OK, value, "records", null, Map.of());
    }

    @Test
    void keepsOnePointPerResolutionWithinTheWindowOldestFirst() {
        TileTrends trends = new TileTrends(Duration.ofMinutes(15), Duration.ofSeconds(10));
        Map<String, List<TileTrends.Point>> last = Map.of();
        for (int second = 0; second <= 20 * 60; second += 2) {
            last = trends.record(second * 1000L, List.of(lag((double) second)));
        }
        List<TileTrends.Point> points = last.get("kafka.lag");
        assertThat(points).as("15 minutes at one point per 10 s").hasSize(91);
        assertThat(points.get(0).atMillis()).isEqualTo(5 * 60 * 1000L);
        assertThat(points.get(points.size() - 1).value()).isEqualTo(1200.0);
        assertThat(points).isSortedAccordingTo(java.util.Comparator.comparingLong(TileTrends.Point::atMillis));
    }

    @Test
    void anUnknownValueIsKeptAsAGapAndATileThatDisappearsIsForgotten() {
        TileTrends trends = new TileTrends(Duration.ofSeconds(30), Duration.ofSeconds(10));
        trends.record(0, List.of(lag(1.0)));
        Map<String, List<TileTrends.Point>> gap = trends.record(10_000, List.of(lag(null)));
        assertThat(gap.get("kafka.lag")).extracting(TileTrends.Point::value).containsExactly(1.0, null);
        Map<String, List<TileTrends.Point>> later = trends.record(100_000, List.of());
        assertThat(later).doesNotContainKey("kafka.lag");
    }

    @Test
    void theReportCarriesEachTilesTrend() {
        TileTrends trends = new TileTrends(Duration.ofMinutes(15), Duration.ofSeconds(10));
        trends.record(0, List.of(lag(3.0)));
        StreamingHealthReport report = new StreamingHealthReport(java.time.Instant.EPOCH, List.of(lag(4.0)),
                trends.record(10_000, List.of(lag(4.0))));
        assertThat(report.toJson().getJsonArray("tiles").getJsonObject(0).getJsonArray("trend").encode())
                .isEqualTo("[[0,3.0],[10000,4.0]]");
    }
}
