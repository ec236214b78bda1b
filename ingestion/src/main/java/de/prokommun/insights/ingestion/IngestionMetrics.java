package de.prokommun.insights.ingestion;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the ingestion endpoint, read by {@code GET /metrics} (Prometheus text) and the health monitor.
 * Thread-safe; counts only, never anything about a person.
 */
public final class IngestionMetrics {

    /** Upper bounds of the request latency histogram in milliseconds. */
    static final double[] LATENCY_BUCKETS_MS = {1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000};

    private final LongAdder acceptedEvents = new LongAdder();
    private final LongAdder acceptedRequests = new LongAdder();
    private final Map<RejectionReason, LongAdder> rejectedRequests = new EnumMap<>(RejectionReason.class);
    private final Map<RejectionReason, LongAdder> rejectedEvents = new EnumMap<>(RejectionReason.class);
    private final LongAdder[] latencyBuckets = new LongAdder[LATENCY_BUCKETS_MS.length];
    private final LongAdder latencyCount = new LongAdder();
    private final LongAdder latencySumMicros = new LongAdder();

    public IngestionMetrics() {
        for (RejectionReason r : RejectionReason.values()) {
            rejectedRequests.put(r, new LongAdder());
            rejectedEvents.put(r, new LongAdder());
        }
        for (int i = 0; i < latencyBuckets.length; i++) latencyBuckets[i] = new LongAdder();
    }

    public void accepted(int events) {
        acceptedRequests.increment();
        acceptedEvents.add(events);
    }

    /** A rejected request; {@code events} is how many events it carried (0 if unknown). */
    public void rejected(RejectionReason reason, int events) {
        rejectedRequests.get(reason).increment();
        rejectedEvents.get(reason).add(events);
    }

    public void requestCompleted(long nanos) {
        double millis = nanos / 1_000_000.0;
        for (int i = 0; i < LATENCY_BUCKETS_MS.length; i++) {
            if (millis <= LATENCY_BUCKETS_MS[i]) {
                latencyBuckets[i].increment();
                break;
            }
        }
        latencyCount.increment();
        latencySumMicros.add(TimeUnit.NANOSECONDS.toMicros(nanos));
    }

    public long acceptedEvents() { return acceptedEvents.sum(); }

    public long acceptedRequests() { return acceptedRequests.sum(); }

    public long rejectedRequests(RejectionReason reason) { return rejectedRequests.get(reason).sum(); }

    public long rejectedEvents(RejectionReason reason) { return rejectedEvents.get(reason).sum(); }

    public long rejectedRequestsTotal() {
        return rejectedRequests.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long requests() { return latencyCount.sum(); }

    /** Prometheus text exposition format 0.0.4. */
    public String prometheusText() {
        StringBuilder out = new StringBuilder();
        counter(out, "prokommun_ingestion_accepted_events_total", "Events acknowledged by Kafka and answered 202",
                acceptedEvents.sum());
        counter(out, "prokommun_ingestion_accepted_requests_total", "Requests answered 202", acceptedRequests.sum());
        labelled(out, "prokommun_ingestion_rejected_requests_total", "Requests turned away, by reason", rejectedRequests);
        labelled(out, "prokommun_ingestion_rejected_events_total",
                "Events in requests turned away, by reason (0 where the body was not read)", rejectedEvents);
        histogram(out);
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void labelled(StringBuilder out, String name, String help, Map<RejectionReason, LongAdder> values) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        values.forEach((reason, v) -> out.append(name).append("{reason=\"").append(reason.code()).append("\"} ")
                .append(v.sum()).append('\n'));
    }

    private void histogram(StringBuilder out) {
        String name = "prokommun_ingestion_request_duration_seconds";
        out.append("# HELP ").append(name).append(" Time from request arrival to the end of the response\n");
        out.append("# TYPE ").append(name).append(" histogram\n");
        long cumulative = 0;
        for (int i = 0; i < LATENCY_BUCKETS_MS.length; i++) {
            cumulative += latencyBuckets[i].sum();
            out.append(name).append("_bucket{le=\"").append(seconds(LATENCY_BUCKETS_MS[i] / 1000.0)).append("\"} ")
                    .append(cumulative).append('\n');
        }
        long count = latencyCount.sum();
        out.append(name).append("_bucket{le=\"+Inf\"} ").append(count).append('\n');
        out.append(name).append("_sum ").append(seconds(latencySumMicros.sum() / 1_000_000.0)).append('\n');
        out.append(name).append("_count ").append(count).append('\n');
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%.6f", value).replaceAll("0+$", "").replaceAll("\\.$", ".0");
    }
}
