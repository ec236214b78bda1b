package de.prokommun.insights.simulator.emit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.simulator.SimEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Live mode: posts events to {@code POST {baseUrl}/api/v1/events} like real participants do — each batch
 * under the API key of the participant that sends it — at a constant target rate, over several keep-alive
 * HTTP/1.1 connections, and reports what it achieved (rate, accepted/rejected events, request latency).
 *
 * <p>The pacer releases events on an absolute schedule (start + i / rate); events are grouped per sender
 * into batches that leave when full or after {@code maxBatchDelay}. When every connection is busy the pacer
 * waits and then catches up as fast as the connections allow; if the server cannot keep up, the achieved
 * rate falls below the target, and the report says so.
 */
public final class LiveLoad {

    public record Options(URI baseUrl, double eventsPerSecond, int batchSize, int connections, Duration duration,
                          long maxEvents, Duration maxBatchDelay, boolean restampToNow, Duration requestTimeout) {
        public Options {
            if (eventsPerSecond <= 0) throw new IllegalArgumentException("rate: must be > 0 events/s, got " + eventsPerSecond);
            if (batchSize < 1 || batchSize > 1000) throw new IllegalArgumentException("batchSize: must be 1..1000, got " + batchSize);
            if (connections < 1) throw new IllegalArgumentException("connections: must be >= 1, got " + connections);
        }

        /** Batches of 100, 4 connections, a batch leaves after 200 ms at the latest, times restamped to now. */
        public static Options of(URI baseUrl, double eventsPerSecond, Duration duration) {
            return new Options(baseUrl, eventsPerSecond, 100, 4, duration, 0, Duration.ofMillis(200), true, Duration.ofSeconds(30));
        }

        public Options withBatchSize(int n) { return new Options(baseUrl, eventsPerSecond, n, connections, duration, maxEvents, maxBatchDelay, restampToNow, requestTimeout); }
        public Options withConnections(int n) { return new Options(baseUrl, eventsPerSecond, batchSize, n, duration, maxEvents, maxBatchDelay, restampToNow, requestTimeout); }
        public Options withMaxEvents(long n) { return new Options(baseUrl, eventsPerSecond, batchSize, connections, duration, n, maxBatchDelay, restampToNow, requestTimeout); }
        public Options withRestamp(boolean b) { return new Options(baseUrl, eventsPerSecond, batchSize, connections, duration, maxEvents, maxBatchDelay, b, requestTimeout); }
    }

    /** What a run achieved. Latencies are per HTTP request, in microseconds. */
    public record Report(double targetEventsPerSecond, double achievedEventsPerSecond, double seconds, long sentEvents,
                         long acceptedEvents, long rejectedEvents, long failedEvents, long requests,
                         long p50Micros, long p99Micros, long maxMicros, Map<Integer, Long> statusCounts,
                         List<String> sampleErrors) {
        public String describe() {
            return String.format("target %.0f events/s, achieved %.0f events/s over %.1f s: sent %d, accepted %d, rejected %d,"
                            + " failed %d, %d requests, latency p50 %.1f ms, p99 %.1f ms, max %.1f ms, status %s%s",
                    targetEventsPerSecond, achievedEventsPerSecond, seconds, sentEvents, acceptedEvents, rejectedEvents,
                    failedEvents, requests, p50Micros / 1000.0, p99Micros / 1000.0, maxMicros / 1000.0, statusCounts,
                    sampleErrors.isEmpty() ? "" : ", first errors " + sampleErrors);
        }
    }

    private record Batch(String sender, List<SimEvent> events) {}
    private static final Batch END = new Batch(null, List.of());
    private static final ObjectMapper JSON = new ObjectMapper();

    private LiveLoad() {}

    public static Report run(Iterator<SimEvent> events, Map<String, String> apiKeys, Options options) {
        if (options.duration() == null && options.maxEvents() <= 0) {
            throw new IllegalArgumentException("duration or maxEvents: one of them must bound the run");
        }
        URI endpoint = options.baseUrl().resolve("/api/v1/events");
        BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(options.connections() * 2);
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < options.connections(); i++) {
            Worker w = new Worker(endpoint, apiKeys, queue, options.requestTimeout());
            workers.add(w);
            w.thread.start();
        }
        long start = System.nanoTime();
        long sent = pace(events, queue, options, start, apiKeys);
        try {
            for (int i = 0; i < workers.size(); i++) queue.put(END);
            for (Worker w : workers) w.thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while finishing the live load", e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return report(options, sent, seconds, workers);
    }

    private static long pace(Iterator<SimEvent> events, BlockingQueue<Batch> queue, Options o, long start,
                             Map<String, String> apiKeys) {
        Map<String, List<SimEvent>> buffers = new LinkedHashMap<>();
        Map<String, Long> firstBuffered = new LinkedHashMap<>();
        long end = o.duration() == null ? Long.MAX_VALUE : start + o.duration().toNanos();
        long limit = o.maxEvents() > 0 ? o.maxEvents() : Long.MAX_VALUE;
        long delay = o.maxBatchDelay().toNanos();
        long released = 0;
        try {
            while (released < limit && events.hasNext()) {
                long now = System.nanoTime();
                if (now >= end) break;
                long due = Math.min(limit, (long) ((now - start) / 1e9 * o.eventsPerSecond()) + 1);
                long wallMillis = System.currentTimeMillis();
                while (released < due && events.hasNext()) {
                    SimEvent e = events.next();
                    if (!apiKeys.containsKey(e.sender())) {
                        throw new IllegalArgumentException("apiKeys: no key for participant '" + e.sender() + "' (event " + e.eventId() + ")");
                    }
                    if (o.restampToNow()) e = e.restamped(wallMillis);
                    List<SimEvent> buffer = buffers.computeIfAbsent(e.sender(), s -> new ArrayList<>(o.batchSize()));
                    if (buffer.isEmpty()) firstBuffered.put(e.sender(), now);
                    buffer.add(e);
                    released++;
                    if (buffer.size() >= o.batchSize()) queue.put(new Batch(e.sender(), List.copyOf(buffers.remove(e.sender()))));
                }
                for (var it = buffers.entrySet().iterator(); it.hasNext(); ) {
                    var b = it.next();
                    if (!b.getValue().isEmpty() && now - firstBuffered.get(b.getKey()) >= delay) {
                        queue.put(new Batch(b.getKey(), List.copyOf(b.getValue())));
                        it.remove();
                    }
                }
                long nextDue = start + (long) ((released) / o.eventsPerSecond() * 1e9);
                long sleep = Math.min(nextDue - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(1));
                if (sleep > 0) LockSupport.parkNanos(sleep);
            }
            for (var b : buffers.entrySet()) if (!b.getValue().isEmpty()) queue.put(new Batch(b.getKey(), List.copyOf(b.getValue())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pacing the live load", e);
        }
        return released;
    }

    private static Report report(Options o, long sent, double seconds, List<Worker> workers) {
        long accepted = 0, rejected = 0, failed = 0, requests = 0;
        Map<Integer, Long> status = new TreeMap<>();
        List<String> errors = new ArrayList<>();
        long[] all = new long[0];
        for (Worker w : workers) {
            accepted += w.accepted;
            rejected += w.rejected;
            failed += w.failed;
            requests += w.latencyCount;
            w.status.forEach((k, v) -> status.merge(k, v, Long::sum));
            for (String e : w.errors) if (errors.size() < 5) errors.add(e);
            int from = all.length;
            all = Arrays.copyOf(all, from + w.latencyCount);
            System.arraycopy(w.latencies, 0, all, from, w.latencyCount);
        }
        Arrays.sort(all);
        return new Report(o.eventsPerSecond(), sent / Math.max(seconds, 1e-9), seconds, sent, accepted, rejected, failed,
                requests, percentile(all, 0.50), percentile(all, 0.99), all.length == 0 ? 0 : all[all.length - 1],
                status, errors);
    }

    static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** One connection: its own client, so requests of a worker reuse one keep-alive connection. */
    private static final class Worker implements Runnable {
        final Thread thread = new Thread(this, "live-load");
        final HttpClient client;
        final URI endpoint;
        final Map<String, String> apiKeys;
        final BlockingQueue<Batch> queue;
        final Duration timeout;
        long accepted, rejected, failed;
        long[] latencies = new long[1024];
        int latencyCount;
        final Map<Integer, Long> status = new TreeMap<>();
        final List<String> errors = new ArrayList<>();

        Worker(URI endpoint, Map<String, String> apiKeys, BlockingQueue<Batch> queue, Duration timeout) {
            this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
            this.endpoint = endpoint;
            this.apiKeys = apiKeys;
            this.queue = queue;
            this.timeout = timeout;
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                for (Batch b = queue.take(); b != END; b = queue.take()) send(b);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void send(Batch b) {
            StringBuilder body = new StringBuilder(b.events().size() * 400).append('[');
            for (int i = 0; i < b.events().size(); i++) {
                if (i > 0) body.append(',');
                body.append(b.events().get(i).json());
            }
            body.append(']');
            HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                    .header("Authorization", "Bearer " + apiKeys.get(b.sender()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                record((System.nanoTime() - t0) / 1000);
                status.merge(response.statusCode(), 1L, Long::sum);
                int n = b.events().size();
                if (response.statusCode() / 100 == 2) {
                    long acc = acceptedCount(response.body(), n);
                    accepted += acc;
                    rejected += n - acc;
                } else {
                    rejected += n;
                    if (errors.size() < 5) errors.add(response.statusCode() + " " + abbreviate(response.body()));
                }
            } catch (IOException e) {
                record((System.nanoTime() - t0) / 1000);
                failed += b.events().size();
                if (errors.size() < 5) errors.add(e.getClass().getSimpleName() + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed += b.events().size();
            }
        }

        private void record(long micros) {
            if (latencyCount == latencies.length) latencies = Arrays.copyOf(latencies, latencyCount * 2);
            latencies[latencyCount++] = micros;
        }

        /** The ingestion answers {"accepted": n, ...}; a 2xx without that field means all were taken. */
        private static long acceptedCount(String body, int sent) {
            try {
                JsonNode n = JSON.readTree(body).path("accepted");
                return n.canConvertToLong() ? Math.min(sent, n.asLong()) : sent;
            } catch (IOException | RuntimeException e) {
                return sent;
            }
        }

        private static String abbreviate(String s) {
            return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
        }
    }
}
