package de.prokommun.insights.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.bench.harness.Stats;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * Where the jobs' checkpoints spend their time ({@code bench/run soak --checkpoint-anatomy=true}). The health report
 * shows one figure per sample, the longest latest checkpoint; this reads every completed checkpoint from Flink's REST
 * history (polled every few seconds: the history keeps ten, five seconds at 500 ms) and, for the slow ones and every
 * tenth, each task's slowest subtask: start delay (trigger to first barrier), alignment, synchronous and asynchronous
 * part, in-flight data stored. Those parts say what to change: alignment is records queued in front of a barrier,
 * sync and async are the state backend.
 */
final class CheckpointAnatomy implements AutoCloseable {
    /** A checkpoint is read task by task when it took at least this long. */
    static final long DETAIL_FROM_MILLIS = 900;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofSeconds(3);

    record TaskPart(String task, long endToEndMillis, long startDelayMillis, long alignmentMillis, long syncMillis,
                    long asyncMillis, long persistedBytes) {}

    record Checkpoint(double atSeconds, String phase, String job, long id, long endToEndMillis, long persistedBytes,
                      List<TaskPart> tasks) {}

    private record Job(String name, Map<String, String> taskNames) {}

    private final URI rest;
    private final long start;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Job> jobs = new HashMap<>();
    private final Map<String, Long> lastSeen = new HashMap<>();
    private final List<Checkpoint> seen = new ArrayList<>();
    private final Thread poller;
    private volatile String phase = "start";
    private volatile boolean running = true;
    private long read;

    CheckpointAnatomy(URI rest, long startNanos) {
        this.rest = rest;
        this.start = startNanos;
        this.poller = new Thread(this::pollUntilClosed, "soak-checkpoint-anatomy");
        poller.setDaemon(true);
        poller.start();
    }

    void phase(String name) { phase = name; }

    synchronized List<Checkpoint> checkpoints() { return List.copyOf(seen); }

    private void pollUntilClosed() {
        while (running) {
            try {
                pollOnce();
            } catch (Exception e) {
                System.out.println("[soak] checkpoint history unavailable: " + e);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void pollOnce() throws IOException, InterruptedException {
        for (JsonNode job : get("/jobs").path("jobs")) {
            if (!"RUNNING".equals(job.path("status").asText())) continue;
            String id = job.path("id").asText();
            Job info = jobs.containsKey(id) ? jobs.get(id) : describe(id);
            jobs.put(id, info);
            for (JsonNode h : newlyCompleted(get("/jobs/" + id + "/checkpoints"), lastSeen.getOrDefault(id, 0L))) {
                long cid = h.path("id").asLong();
                lastSeen.put(id, cid);
                long e2e = h.path("end_to_end_duration").asLong();
                List<TaskPart> parts = new ArrayList<>();
                if (e2e >= DETAIL_FROM_MILLIS || ++read % 10 == 0) {
                    for (var task : info.taskNames().entrySet()) {
                        JsonNode summary = get("/jobs/" + id + "/checkpoints/details/" + cid + "/subtasks/" + task.getKey())
                                .path("summary");
                        parts.add(taskPart(task.getValue(), summary));
                    }
                }
                synchronized (this) {
                    seen.add(new Checkpoint((System.nanoTime() - start) / 1e9, phase, info.name(), cid, e2e,
                            h.path("persisted_data").asLong(), parts));
                }
            }
        }
    }

    private Job describe(String jobId) throws IOException, InterruptedException {
        JsonNode job = get("/jobs/" + jobId);
        Map<String, String> tasks = new LinkedHashMap<>();
        job.path("vertices").forEach(v -> tasks.put(v.path("id").asText(), v.path("name").asText()));
        return new Job(job.path("name").asText(), tasks);
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(rest.resolve(path)).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException("GET " + path + ": HTTP " + r.statusCode());
        return JSON.readTree(r.body());
    }

    /** The completed checkpoints of a job's REST history after checkpoint {@code after}, oldest first. */
    static List<JsonNode> newlyCompleted(JsonNode checkpoints, long after) {
        List<JsonNode> out = new ArrayList<>();
        checkpoints.path("history").forEach(h -> {
            if ("COMPLETED".equals(h.path("status").asText()) && h.path("id").asLong() > after) out.add(h);
        });
        out.sort(Comparator.comparingLong(h -> h.path("id").asLong()));
        return out;
    }

    /** A task's slowest subtask in each part, from the summary of its checkpoint details. */
    static TaskPart taskPart(String task, JsonNode summary) {
        return new TaskPart(task, summary.at("/end_to_end_duration/max").asLong(),
                summary.at("/start_delay/max").asLong(), summary.at("/alignment/duration/max").asLong(),
                summary.at("/checkpoint_duration/sync/max").asLong(), summary.at("/checkpoint_duration/async/max").asLong(),
                summary.at("/alignment/persisted/max").asLong());
    }

    /**
     * Per job of the phase: how many checkpoints completed, their median, p99 and longest duration; and for the task
     * that took longest (median over the checkpoints read task by task) the medians of its parts.
     */
    static Map<String, Object> summarise(String phase, List<Checkpoint> all) {
        Map<String, Object> out = new LinkedHashMap<>();
        TreeSet<String> names = new TreeSet<>();
        all.stream().filter(c -> c.phase().equals(phase)).forEach(c -> names.add(c.job()));
        for (String job : names) {
            List<Checkpoint> mine = all.stream().filter(c -> c.phase().equals(phase) && c.job().equals(job)).toList();
            double[] e2e = mine.stream().mapToDouble(Checkpoint::endToEndMillis).toArray();
            String key = phase + ".checkpoints." + job;
            out.put(key + ".count", e2e.length);
            out.put(key + ".median_ms", Stats.percentile(e2e, 0.5));
            out.put(key + ".p99_ms", Stats.percentile(e2e, 0.99));
            out.put(key + ".max_ms", java.util.Arrays.stream(e2e).max().orElse(Double.NaN));
            List<TaskPart> parts = mine.stream().flatMap(c -> c.tasks().stream()).toList();
            if (parts.isEmpty()) continue;
            Map<String, List<TaskPart>> byTask = new LinkedHashMap<>();
            parts.forEach(p -> byTask.computeIfAbsent(p.task(), t -> new ArrayList<>()).add(p));
            var slowest = byTask.entrySet().stream()
                    .max(Comparator.comparingDouble(e -> median(e.getValue(), TaskPart::endToEndMillis))).orElseThrow();
            List<TaskPart> its = slowest.getValue();
            out.put(key + ".slowest_task", slowest.getKey());
            out.put(key + ".slowest_task.read", its.size());
            out.put(key + ".slowest_task.start_delay_median_ms", median(its, TaskPart::startDelayMillis));
            out.put(key + ".slowest_task.alignment_median_ms", median(its, TaskPart::alignmentMillis));
            out.put(key + ".slowest_task.sync_median_ms", median(its, TaskPart::syncMillis));
            out.put(key + ".slowest_task.async_median_ms", median(its, TaskPart::asyncMillis));
        }
        return out;
    }

    private static double median(List<TaskPart> parts, ToLongFunction<TaskPart> f) {
        return Stats.percentile(parts.stream().mapToDouble(p -> f.applyAsLong(p)).toArray(), 0.5);
    }

    /** One row per checkpoint, and one more per task for those read task by task. */
    static void writeCsv(Path file, List<Checkpoint> checkpoints) throws IOException {
        StringBuilder csv = new StringBuilder("seconds,phase,job,id,end_to_end_ms,persisted_bytes,task,task_end_to_end_ms,"
                + "start_delay_ms,alignment_ms,sync_ms,async_ms,task_persisted_bytes\n");
        for (Checkpoint c : checkpoints) {
            String head = String.format(java.util.Locale.ROOT, "%.3f,%s,%s,%d,%d,%d", c.atSeconds(), c.phase(), c.job(),
                    c.id(), c.endToEndMillis(), c.persistedBytes());
            csv.append(head).append(",,,,,,,\n");
            for (TaskPart p : c.tasks()) {
                csv.append(head).append(",\"").append(p.task().replace("\"", "'")).append("\",").append(p.endToEndMillis())
                        .append(',').append(p.startDelayMillis()).append(',').append(p.alignmentMillis()).append(',')
                        .append(p.syncMillis()).append(',').append(p.asyncMillis()).append(',').append(p.persistedBytes())
                        .append('\n');
            }
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, csv, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        poller.interrupt();
        poller.join(Duration.ofSeconds(15).toMillis());
    }
}
