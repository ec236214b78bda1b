package de.prokommun.insights.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The soak's per-phase figures from its samples: the trends are per hour of wall time. */
class SoakSummaryTest {

    @Test
    void aCheckpointGrowingHalfASecondPerHourHasATrendOfHalfASecondPerHour() {
        List<HealthSample> series = new ArrayList<>();
        for (int at = 0; at <= 7200; at += 10) {
            double checkpoint = 0.2 + 0.5 * at / 3600.0;
            double lag = 500 + 100 * at / 3600.0;
            series.add(new HealthSample(at, "live", lag, lag / 2, lag / 10, 2.0, checkpoint, 0, 0, 0, 200.0 * at));
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        SoakBenchmark.summarise("live", 200, series, figures, new LinkedHashMap<>());

        assertThat(figures.get("soak.live.checkpoint_trend_s_per_h")).isCloseTo(0.5, within(1e-9));
        assertThat(figures.get("soak.live.lag_trend_records_per_h")).isCloseTo(100, within(1e-6));
        assertThat(figures.get("soak.live.pipeline_lag_max_records")).isCloseTo(350, within(1e-9));
        assertThat(figures.get("soak.live.pipeline_unread_max_records")).isCloseTo(70, within(1e-9));
        assertThat(figures.get("soak.live.checkpoint_p99_s")).isGreaterThan(1.1).isLessThanOrEqualTo(1.2);
    }

    @Test
    void thePhasesAchievedRateIsWhatTheIngestionAcceptedPerSecondNotTheTarget() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<HealthSample> series = new ArrayList<>();
        for (int at = 0; at <= 600; at += 10) {
            long accepted = 1_000_000L + 1_700L * at; // a feed that aimed at 2,000/s and reached 1,700/s
            series.add(HealthSample.of(at, "burst", json.readTree("{\"tiles\": [{\"id\": \"ingestion.accepted\", \"value\": 1700,"
                    + " \"detail\": {\"acceptedTotal\": " + accepted + "}}]}")));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        SoakBenchmark.summarise("burst", 2000, series, new LinkedHashMap<>(), details);

        assertThat(series.get(0).acceptedTotal()).isEqualTo(1_000_000);
        assertThat((Double) details.get("burst.acceptedPerSecond")).isCloseTo(1700, within(1e-6));
        assertThat(series.get(0).csv()).endsWith(",1000000.000");
    }

    @Test
    void theProfilePipelinesLagIsTheLargerOfItsTwoGroupsNotTheCampaignJobs() throws Exception {
        var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                {"tiles": [{"id": "kafka.lag", "value": 589, "detail": {"prokommun-anonymise": 66,
                  "prokommun-campaign": 589, "prokommun-profile": 248, "prokommun-query-refusal-audit": 0}},
                  {"id": "flink.unread", "value": 300, "detail": {"anonymise": 3, "profile": 17, "campaign": 300}}]}""");
        HealthSample sample = HealthSample.of(10, "live", report);
        assertThat(sample.lagRecords()).isEqualTo(589);
        assertThat(sample.pipelineLagRecords()).isEqualTo(248);
        assertThat(sample.pipelineUnreadRecords()).isEqualTo(17);
        assertThat(sample.freshnessSeconds()).isNaN();
    }
}
