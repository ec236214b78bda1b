package de.prokommun.insights.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Sends events through {@code POST /api/v1/events} in batches (at most {@code batchSize} events and
 * {@code maxBatchBytes} bytes). The API takes a batch as a whole or not at all, so after a 400/403 naming bad
 * events (400/403, 409 for a re-used event id, 422 for a purchase outside the city's retention) those are
 * recorded as rejected with the API's status, field and reason and the rest is sent again; a 413
 * halves the batch; a 503, 5xx or broken connection is retried (Retry-After, else backing off) and, when the
 * API stays unavailable, the import stops with what is not sent marked as such. A 202 means durable in Kafka.
 */
public final class EventSender implements EventSink {

    /** An event to send, with what the caller needs back (its receipt). */
    public record Outgoing<T>(String eventId, byte[] json, T source) {}

    /** What happened to each event. */
    public interface Outcome<T> {
        void accepted(T source);

        void rejected(T source, String reason);
    }

    /** The API stayed unavailable; the import cannot go on. */
    public static final class Unavailable extends Exception {
        public Unavailable(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final IngestionClient client;
    private final int batchSize;
    private final long maxBatchBytes;
    private final int maxAttempts;
    private final long firstBackoffMillis;

    public EventSender(IngestionClient client, int batchSize, long maxBatchBytes, int maxAttempts, long firstBackoffMillis) {
        if (batchSize < 1 || batchSize > 1000) throw new IllegalArgumentException("batch size must be 1..1000, got " + batchSize);
        this.client = client;
        this.batchSize = batchSize;
        this.maxBatchBytes = maxBatchBytes;
        this.maxAttempts = maxAttempts;
        this.firstBackoffMillis = firstBackoffMillis;
    }

    /** Sends every event with the participant's key; {@code sent} is told how many events were settled. */
    public <T> void send(String apiKey, List<Outgoing<T>> events, Outcome<T> outcome, LongConsumer settled)
            throws Unavailable, InterruptedException {
        Deque<List<Outgoing<T>>> batches = new ArrayDeque<>(split(events));
        while (!batches.isEmpty()) {
            List<Outgoing<T>> batch = batches.pollFirst();
            IngestionClient.Answer answer;
            try {
                answer = postWithRetries(apiKey, batch);
            } catch (Unavailable e) {
                batches.addFirst(batch);
                for (List<Outgoing<T>> b : batches) {
                    for (Outgoing<T> o : b) outcome.rejected(o.source(), "not sent: " + e.getMessage());
                }
                throw e;
            }
            switch (answer.status()) {
                case 202 -> {
                    batch.forEach(o -> outcome.accepted(o.source()));
                    settled.accept(batch.size());
                }
                case 413 -> {
                    if (batch.size() == 1) {
                        outcome.rejected(batch.get(0).source(), "ingestion 413: " + message(answer));
                        settled.accept(1);
                    } else {
                        batches.addFirst(batch.subList(batch.size() / 2, batch.size()));
                        batches.addFirst(batch.subList(0, batch.size() / 2));
                    }
                }
                // 409: an event id re-used with another body; 422: a purchase before the city's retention
                case 400, 403, 409, 422 -> {
                    Map<Integer, String> bad = badEvents(answer);
                    if (bad.isEmpty()) {
                        // the request as a whole was refused (operator key, malformed body): every event shares the reason
                        batch.forEach(o -> outcome.rejected(o.source(), "ingestion " + answer.status() + ": " + message(answer)));
                        settled.accept(batch.size());
                        break;
                    }
                    List<Outgoing<T>> rest = new ArrayList<>();
                    for (int i = 0; i < batch.size(); i++) {
                        String reason = bad.get(i);
                        if (reason == null) rest.add(batch.get(i));
                        else outcome.rejected(batch.get(i).source(), reason);
                    }
                    settled.accept(bad.size());
                    if (!rest.isEmpty()) batches.addFirst(rest);
                }
                default -> {
                    batch.forEach(o -> outcome.rejected(o.source(), "ingestion " + answer.status() + ": " + message(answer)));
                    settled.accept(batch.size());
                }
            }
        }
    }

    private <T> List<List<Outgoing<T>>> split(List<Outgoing<T>> events) {
        List<List<Outgoing<T>>> out = new ArrayList<>();
        List<Outgoing<T>> current = new ArrayList<>();
        long bytes = 2;
        for (Outgoing<T> e : events) {
            if (!current.isEmpty() && (current.size() >= batchSize || bytes + e.json().length + 1 > maxBatchBytes)) {
                out.add(current);
                current = new ArrayList<>();
                bytes = 2;
            }
            current.add(e);
            bytes += e.json().length + 1;
        }
        if (!current.isEmpty()) out.add(current);
        return out;
    }

    private <T> IngestionClient.Answer postWithRetries(String apiKey, List<Outgoing<T>> batch)
            throws Unavailable, InterruptedException {
        byte[] body = body(batch);
        String last = "";
        long backoff = firstBackoffMillis;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                IngestionClient.Answer answer = client.postEvents(apiKey, body);
                boolean retry = answer.status() == 503 || answer.status() == 429 || answer.status() >= 500;
                if (!retry) return answer;
                last = "HTTP " + answer.status() + " " + message(answer);
                if (attempt < maxAttempts) Thread.sleep(answer.retryAfterSeconds() > 0 ? answer.retryAfterSeconds() * 1000 : backoff);
            } catch (IOException e) {
                last = e.toString();
                if (attempt < maxAttempts) Thread.sleep(backoff);
            }
            backoff = Math.min(backoff * 2, 30_000);
        }
        throw new Unavailable("ingestion unavailable after " + maxAttempts + " attempts (" + last + ")");
    }

    private static <T> byte[] body(List<Outgoing<T>> batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('[');
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) out.write(',');
            out.writeBytes(batch.get(i).json());
        }
        out.write(']');
        return out.toByteArray();
    }

    /** index → "field: reason[; field: reason]" from a 400/403 body; array indices in fields become []. */
    static Map<Integer, String> badEvents(IngestionClient.Answer answer) {
        Map<Integer, String> out = new LinkedHashMap<>();
        try {
            JsonNode errors = JSON.readTree(answer.body()).path("error").path("problems"); // the one error shape
            for (JsonNode e : errors) {
                if (!e.has("index")) continue;
                out.merge(e.path("index").asInt(), reasonOf(answer.status(), e.path("field").asText(), e.path("reason").asText()),
                        EventSender::mergeReasons);
            }
        } catch (IOException e) {
            return Map.of();
        }
        return out;
    }

    /** "ingestion 400: data.lines[].quantity: must be positive": array indices become [], as in the report. */
    static String reasonOf(int status, String field, String reason) {
        return "ingestion " + status + ": " + field.replaceAll("\\[\\d+]", "[]") + ": " + reason;
    }

    /** The same problem on several lines of one receipt is one reason. */
    static String mergeReasons(String a, String b) {
        String more = b.substring(b.indexOf(": ") + 2);
        return (a + "; ").contains(": " + more + ";") ? a : a + "; " + more;
    }

    static String message(IngestionClient.Answer answer) {
        try {
            JsonNode body = JSON.readTree(answer.body());
            String error = body.path("error").path("code").asText("");
            String message = body.path("error").path("message").asText("");
            return (error + " " + message).trim();
        } catch (IOException | RuntimeException e) {
            String b = answer.body() == null ? "" : answer.body();
            return b.length() > 200 ? b.substring(0, 200) : b;
        }
    }
}
