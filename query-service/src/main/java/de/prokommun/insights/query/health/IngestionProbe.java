package de.prokommun.insights.query.health;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Scrapes ingestion's /metrics; rates are the difference to the previous scrape. */
final class IngestionProbe {
    static final String ACCEPTED = "prokommun_ingestion_accepted_events_total";
    static final String REJECTED = "prokommun_ingestion_rejected_requests_total";

    private final URI metricsUrl;
    private final RestJson http;
    private double lastAccepted = Double.NaN;
    private double lastRejected = Double.NaN;
    private long lastAtMillis;

    IngestionProbe(URI metricsUrl, RestJson http) {
        this.metricsUrl = metricsUrl;
        this.http = http;
    }

    Reading<StreamingFigures.Ingestion> read(long nowMillis) {
        if (metricsUrl == null) return Reading.notConfigured("ingestion metrics URL");
        List<PrometheusText.Sample> samples;
        try {
            samples = PrometheusText.parse(http.text(metricsUrl));
        } catch (IOException e) {
            return Reading.failed("ingestion metrics unreachable: " + e.getMessage());
        }
        return Reading.of(next(samples, nowMillis));
    }

    StreamingFigures.Ingestion next(List<PrometheusText.Sample> samples, long nowMillis) {
        double accepted = PrometheusText.total(samples, ACCEPTED);
        double rejected = PrometheusText.total(samples, REJECTED);
        double seconds = (nowMillis - lastAtMillis) / 1000.0;
        boolean first = Double.isNaN(lastAccepted) || seconds <= 0;
        double acceptedRate = first ? 0 : Math.max(0, accepted - lastAccepted) / seconds;
        double rejectedRate = first ? 0 : Math.max(0, rejected - lastRejected) / seconds;
        lastAccepted = accepted;
        lastRejected = rejected;
        lastAtMillis = nowMillis;
        Map<String, Long> byReason = new LinkedHashMap<>();
        PrometheusText.byLabel(samples, REJECTED, "reason").forEach((k, v) -> byReason.put(k, v.longValue()));
        return new StreamingFigures.Ingestion(acceptedRate, rejectedRate, (long) accepted, byReason);
    }
}
