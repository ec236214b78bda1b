package de.prokommun.insights.query.health;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the Flink REST API: {@code /jobs/overview} (state), {@code /jobs/<id>/checkpoints} (latest completed),
 * {@code /jobs/<id>/metrics?get=numRestarts}, per vertex {@code /jobs/<id>/vertices/<vid>/backpressure}, and the
 * sources' unread records and the card resolver's counters summed over subtasks
 * ({@code /jobs/<id>/vertices/<vid>/subtasks/metrics}).
 * Jobs that ended are listed by their last state, so a cancelled job turns the tile red.
 */
final class FlinkProbe {
    private final URI base;
    private final RestJson http;

    FlinkProbe(URI base, RestJson http) {
        this.base = base;
        this.http = http;
    }

    Reading<List<StreamingFigures.Job>> read(long nowMillis) {
        if (base == null) return Reading.notConfigured("Flink REST URL");
        try {
            List<StreamingFigures.Job> jobs = new ArrayList<>();
            for (JsonNode job : latestPerName(http.json(base.resolve("/jobs/overview")).path("jobs"))) {
                jobs.add(job(job, nowMillis));
            }
            return Reading.of(jobs);
        } catch (IOException e) {
            return Reading.failed("Flink REST API unreachable: " + e.getMessage());
        }
    }

    /** A resubmitted job keeps its name: only the newest run of each name counts. */
    private static List<JsonNode> latestPerName(JsonNode jobs) {
        java.util.Map<String, JsonNode> newest = new java.util.TreeMap<>();
        jobs.forEach(j -> newest.merge(j.path("name").asText(), j,
                (a, b) -> a.path("start-time").asLong() >= b.path("start-time").asLong() ? a : b));
        return List.copyOf(newest.values());
    }

    private StreamingFigures.Job job(JsonNode overview, long nowMillis) throws IOException {
        String id = overview.path("jid").asText();
        String state = overview.path("state").asText("UNKNOWN");
        JsonNode completed = http.json(base.resolve("/jobs/" + id + "/checkpoints")).path("latest").path("completed");
        Long age = null;
        Long duration = null;
        if (completed.isObject()) {
            age = Math.max(0, nowMillis - completed.path("latest_ack_timestamp").asLong());
            duration = completed.path("end_to_end_duration").asLong();
        }
        long restarts = 0;
        double backpressure = 0;
        Long unread = null;
        if (state.equals("RUNNING") || state.equals("RESTARTING")) {
            restarts = restarts(id);
            backpressure = backpressure(id);
        }
        if (state.equals("RUNNING")) unread = sumsOverSubtasks(id, FlinkProbe::unreadOf).get(PENDING_RECORDS);
        return new StreamingFigures.Job(overview.path("name").asText(), state, age, duration, restarts, backpressure, unread);
    }

    /**
     * Flink's standard source metric: records on the topic after the reader's position. Unlike a consumer group's
     * committed offsets, which an exactly-once job moves only when a checkpoint completes, it says whether the job
     * keeps up with what arrives.
     */
    private static final String PENDING_RECORDS = "pendingRecords";

    static String unreadOf(String metricId) {
        return metricId.equals(PENDING_RECORDS) || metricId.endsWith("." + PENDING_RECORDS) ? PENDING_RECORDS : null;
    }

    /** The card resolver's counters (see CardWaits), summed over the subtasks of every running job's vertices. */
    Reading<java.util.Map<String, Long>> cardEvents() {
        if (base == null) return Reading.notConfigured("Flink REST URL");
        try {
            java.util.Map<String, Long> sums = new java.util.TreeMap<>();
            for (JsonNode job : latestPerName(http.json(base.resolve("/jobs/overview")).path("jobs"))) {
                if (!job.path("state").asText().equals("RUNNING")) continue;
                sumsOverSubtasks(job.path("jid").asText(), CardWaits::counterOf).forEach((k, v) -> sums.merge(k, v, Long::sum));
            }
            return Reading.of(sums);
        } catch (IOException e) {
            return Reading.failed("Flink REST API unreachable: " + e.getMessage());
        }
    }

    /**
     * The operator metrics of one job that {@code nameOf} recognises (else it returns null), each summed over the
     * subtasks of every vertex. At the vertex they are named "<operator>.<metric>", so they are found by suffix.
     */
    private java.util.Map<String, Long> sumsOverSubtasks(String jobId, java.util.function.UnaryOperator<String> nameOf)
            throws IOException {
        java.util.Map<String, Long> sums = new java.util.TreeMap<>();
        for (JsonNode vertex : http.json(base.resolve("/jobs/" + jobId)).path("vertices")) {
            String metrics = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
            List<String> wanted = new ArrayList<>();
            for (JsonNode m : http.json(base.resolve(metrics))) {
                if (nameOf.apply(m.path("id").asText()) != null) wanted.add(m.path("id").asText());
            }
            if (wanted.isEmpty()) continue;
            String query = java.net.URLEncoder.encode(String.join(",", wanted), java.nio.charset.StandardCharsets.UTF_8);
            for (JsonNode m : http.json(URI.create(base.resolve(metrics) + "?agg=sum&get=" + query))) {
                sums.merge(nameOf.apply(m.path("id").asText()), (long) m.path("sum").asDouble(), Long::sum);
            }
        }
        return sums;
    }

    private long restarts(String id) throws IOException {
        for (JsonNode metric : http.json(base.resolve("/jobs/" + id + "/metrics?get=numRestarts"))) {
            if (metric.path("id").asText().equals("numRestarts")) return (long) metric.path("value").asDouble();
        }
        return 0;
    }

    /** Highest backpressured-time ratio of any subtask (Flink samples it on demand; 0 until sampled). */
    private double backpressure(String id) throws IOException {
        double max = 0;
        for (JsonNode vertex : http.json(base.resolve("/jobs/" + id)).path("vertices")) {
            JsonNode bp = http.json(base.resolve("/jobs/" + id + "/vertices/" + vertex.path("id").asText() + "/backpressure"));
            for (JsonNode sub : bp.path("subtasks")) {
                max = Math.max(max, sub.path("ratio").asDouble(0));
            }
        }
        return max;
    }
}
