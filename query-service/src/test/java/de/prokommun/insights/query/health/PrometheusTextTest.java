package de.prokommun.insights.query.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private static final String INGESTION = """
            # HELP prokommun_ingestion_accepted_events_total Events acknowledged
            # TYPE prokommun_ingestion_accepted_events_total counter
            prokommun_ingestion_accepted_events_total 1200
            prokommun_ingestion_rejected_requests_total{reason="malformed_json"} 3
            prokommun_ingestion_rejected_requests_total{reason="unauthorized"} 2
            prokommun_ingestion_request_seconds_bucket{le="+Inf"} 7
            not a sample line
            """;

    @Test
    void readsSamplesWithLabelsAndSkipsCommentsAndGarbage() {
        List<PrometheusText.Sample> samples = PrometheusText.parse(INGESTION);
        assertThat(samples).hasSize(4);
        assertThat(PrometheusText.total(samples, "prokommun_ingestion_accepted_events_total")).isEqualTo(1200);
        assertThat(PrometheusText.total(samples, "prokommun_ingestion_rejected_requests_total")).isEqualTo(5);
        assertThat(PrometheusText.byLabel(samples, "prokommun_ingestion_rejected_requests_total", "reason"))
                .isEqualTo(Map.of("malformed_json", 3.0, "unauthorized", 2.0));
        assertThat(samples.get(3).labels()).containsEntry("le", "+Inf");
    }

    @Test
    void ratesAreTheDifferenceToThePreviousScrapePerSecond() {
        IngestionProbe probe = new IngestionProbe(null, null);
        StreamingFigures.Ingestion first = probe.next(PrometheusText.parse(INGESTION), 10_000);
        assertThat(first.acceptedPerSecond()).isZero();
        assertThat(first.acceptedTotal()).isEqualTo(1200);
        String later = INGESTION.replace("total 1200", "total 1600").replace("\"unauthorized\"} 2", "\"unauthorized\"} 6");
        StreamingFigures.Ingestion second = probe.next(PrometheusText.parse(later), 12_000);
        assertThat(second.acceptedPerSecond()).isEqualTo(200.0);
        assertThat(second.rejectedPerSecond()).isEqualTo(2.0);
        assertThat(second.rejectedTotalByReason()).containsEntry("unauthorized", 6L);
    }
}
