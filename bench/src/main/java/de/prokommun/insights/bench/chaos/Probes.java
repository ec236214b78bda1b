package de.prokommun.insights.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.contract.Measures;
import de.prokommun.insights.local.cluster.ClusterSystem;
import de.prokommun.insights.local.cluster.NodeProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chaos benchmark's oracle: registrations of residents of a city without other traffic, sent as a careful
 * sender would — retried until answered 202, through the other ingestion instance when one does not answer — and
 * the city's registration count in Pinot, which must reach exactly the number of residents accepted.
 */
final class Probes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration EVERY = Duration.ofMillis(250);
    /** The first probe's reference: registered before any fault, read back by the query probe. */
    static final String FIRST_RESIDENT = "CHAOS-1";

    private final ClusterSystem cluster;
    private final String key;
    private final String city;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Instant> retries = new ConcurrentLinkedQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong overCounts = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();
    private Thread thread;

    Probes(ClusterSystem cluster, String key, String city) {
        this.cluster = cluster;
        this.key = key;
        this.city = city;
    }

    void start() {
        running.set(true);
        thread = new Thread(() -> {
            while (running.get()) {
                try {
                    send(JSON.createArrayNode().add(registration()));
                    Thread.sleep(EVERY.toMillis());
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    System.out.println("[bench chaos] probe gave up: " + e);
                }
            }
        }, "chaos-probes");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        running.set(false);
        if (thread != null) thread.join(Duration.ofMinutes(3).toMillis());
    }

    long accepted() {
        return accepted.size();
    }

    long overCounts() {
        return overCounts.get();
    }

    long retriesSince(Instant from) {
        return retries.stream().filter(t -> !t.isBefore(from)).count();
    }

    /**
     * Sends a batch of 200 to the node's instance and kills it 30 ms later, while it takes the batch; the sender
     * does not know what was made durable and sends the batch again (through the other instance).
     */
    void batchDuringKill(NodeProcess ingestion) throws Exception {
        ArrayNode batch = JSON.createArrayNode();
        for (int i = 0; i < 200; i++) batch.add(registration());
        String url = cluster.ingestionUrls().get(cluster.nodes().stream().filter(n -> n.role().startsWith("ingestion"))
                .toList().indexOf(ingestion));
        CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(request(url, batch), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(30);
        ingestion.kill();
        try {
            HttpResponse<String> r = inFlight.get(60, TimeUnit.SECONDS);
            System.out.println("[bench chaos] the batch was answered " + r.statusCode() + " before the kill");
        } catch (java.util.concurrent.ExecutionException lost) {
            System.out.println("[bench chaos] connection lost mid-batch: " + lost.getCause());
        }
        send(batch);
    }

    /** Waits until every accepted probe is counted (supervising the nodes meanwhile); returns the count. */
    long awaitCounted(Duration timeout, ClusterSystem supervised) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        long counted = -1;
        while (Instant.now().isBefore(deadline)) {
            supervised.restartEnded();
            counted = counted();
            if (counted == accepted.size()) return counted;
            Thread.sleep(1000);
        }
        return counted;
    }

    /** The moment at least {@code n} probes are counted, or null after the timeout. */
    Instant awaitCountedAtLeast(long n, Duration timeout, ClusterSystem supervised) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            supervised.restartEnded();
            if (counted() >= n) return Instant.now();
            Thread.sleep(500);
        }
        return null;
    }

    /** Jena's registrations in Pinot; more than were accepted is remembered as an exactly-once violation. */
    private long counted() {
        String sql = "SELECT SUM(\"count\") FROM contributions WHERE measure = '" + Measures.REGISTRATION.name()
                + "' AND city = '" + city + "'";
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://"
                            + cluster.settings().get(CommonConfig.PINOT_BROKER) + "/query/sql"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("sql", sql).toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode rows = JSON.readTree(r.body()).path("resultTable").path("rows");
            long counted = rows.isEmpty() ? 0 : (long) rows.get(0).get(0).asDouble();
            if (counted > accepted.size()) overCounts.incrementAndGet();
            return counted;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Posts until a 202, switching instance after a failure; only then are the residents accepted. */
    private void send(ArrayNode events) throws InterruptedException {
        List<String> instances = cluster.ingestionUrls();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        int attempt = 0;
        while (Instant.now().isBefore(deadline)) {
            String url = instances.get(attempt % instances.size());
            try {
                HttpResponse<String> r = http.send(request(url, events), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 202) {
                    events.forEach(e -> accepted.add(e.get("resident").asText()));
                    return;
                }
                if (r.statusCode() != 503) {
                    throw new IllegalStateException("probe refused " + r.statusCode() + ": " + r.body());
                }
            } catch (IOException unreachable) {
                // the instance is down: the next attempt goes to the other one
            }
            retries.add(Instant.now());
            attempt++;
            Thread.sleep(EVERY.toMillis());
        }
        throw new IllegalStateException("no ingestion instance accepted " + events.size() + " probes within 5 minutes");
    }

    private HttpRequest request(String ingestion, ArrayNode events) {
        return HttpRequest.newBuilder(URI.create(ingestion + "/api/v1/events"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(events.toString())).build();
    }

    private ObjectNode registration() {
        long n = sequence.incrementAndGet();
        ObjectNode data = JSON.createObjectNode().put("birthDate", (1950 + n % 50) + "-06-15")
                .put("gender", n % 2 == 0 ? "FEMALE" : "MALE").put("postcode", "07743").put("householdType", "SINGLE");
        data.putArray("interests");
        data.putObject("consents").put("analytics", true).put("offers", false).put("newsletter", false);
        ObjectNode e = JSON.createObjectNode().put("eventId", "chaos-reg-" + n).put("type", "resident.registered")
                .put("eventTime", Instant.now().minusSeconds(5).toString()).put("resident", "CHAOS-" + n);
        e.set("data", data);
        return e;
    }
}
