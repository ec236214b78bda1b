package de.prokommun.insights.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IngestionMetricsTest {

    private final IngestionMetrics metrics = new IngestionMetrics();

    @Test
    void countsAcceptedAndRejectedByReason() {
        metrics.accepted(3);
        metrics.accepted(2);
        metrics.rejected(RejectionReason.INVALID_EVENTS, 4);
        metrics.rejected(RejectionReason.UNAUTHORIZED, 0);

        assertThat(metrics.acceptedEvents()).isEqualTo(5);
        assertThat(metrics.acceptedRequests()).isEqualTo(2);
        assertThat(metrics.rejectedRequests(RejectionReason.INVALID_EVENTS)).isEqualTo(1);
        assertThat(metrics.rejectedEvents(RejectionReason.INVALID_EVENTS)).isEqualTo(4);
        assertThat(metrics.rejectedRequestsTotal()).isEqualTo(2);
        String text = metrics.prometheusText();
        assertThat(text).contains("prokommun_ingestion_accepted_events_total 5\n")
                .contains("prokommun_ingestion_rejected_requests_total{reason=\"invalid_events\"} 1\n")
                .contains("prokommun_ingestion_rejected_events_total{reason=\"invalid_events\"} 4\n")
                .contains("prokommun_ingestion_rejected_requests_total{reason=\"kafka_unavailable\"} 0\n");
    }

    @Test
    void latencyHistogramIsCumulativeInSeconds() {
        metrics.requestCompleted(TimeUnit.MICROSECONDS.toNanos(800));   // 0.8 ms
        metrics.requestCompleted(TimeUnit.MILLISECONDS.toNanos(40));
        metrics.requestCompleted(TimeUnit.SECONDS.toNanos(60));          // beyond the last bucket

        String text = metrics.prometheusText();
        assertThat(text).contains("prokommun_ingestion_request_duration_seconds_bucket{le=\"0.001\"} 1\n")
                .contains("prokommun_ingestion_request_duration_seconds_bucket{le=\"0.025\"} 1\n")
                .contains("prokommun_ingestion_request_duration_seconds_bucket{le=\"0.05\"} 2\n")
                .contains("prokommun_ingestion_request_duration_seconds_bucket{le=\"30.0\"} 2\n")
                .contains("prokommun_ingestion_request_duration_seconds_bucket{le=\"+Inf\"} 3\n")
                .contains("prokommun_ingestion_request_duration_seconds_sum 60.0408\n")
                .contains("prokommun_ingestion_request_duration_seconds_count 3\n");
        assertThat(metrics.requests()).isEqualTo(3);
    }
}
