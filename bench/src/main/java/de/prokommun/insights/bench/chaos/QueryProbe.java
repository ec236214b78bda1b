package de.prokommun.insights.bench.chaos;

import de.prokommun.insights.local.demo.PortalTokens;
import de.prokommun.insights.resident.ResidentConfig;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Reads while faults happen, once a second each: the operator's audience (from the publication in the query
 * service's memory, or ad hoc from Pinot before the first publication) and a probe resident's own data through the
 * resident API (Pinot's profiles and person records). Counts per fault window how many were answered with 200.
 */
final class QueryProbe {

    private final URI audience;
    private final URI me;
    private final String operatorKey;
    private final PortalTokens tokens;
    private final String resident;
    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** "window read" → [asked, answered]. */
    private final Map<String, AtomicLongArray> windows = new ConcurrentHashMap<>();
    private volatile String window;
    private final AtomicBoolean running = new AtomicBoolean();
    private Thread thread;

    QueryProbe(String queryUrl, String operatorKey, String residentUrl, String jwtKey, String city, String resident) {
        this.audience = URI.create(queryUrl + "/api/v1/audiences/size");
        this.me = URI.create(residentUrl + "/api/v1/me");
        this.operatorKey = operatorKey;
        this.tokens = new PortalTokens(vertx, jwtKey, city, ResidentConfig.JWT_ISSUER.defaultValue(), Duration.ofMinutes(10),
                Clock.systemUTC());
        this.resident = resident;
    }

    void start() {
        running.set(true);
        thread = new Thread(() -> {
            while (running.get()) {
                String current = window;
                count(current, "audience", ask(HttpRequest.newBuilder(audience).header("Authorization", "Bearer " + operatorKey)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"filter\": {}}"))));
                count(current, "resident", ask(HttpRequest.newBuilder(me)
                        .header("Authorization", "Bearer " + tokens.tokenFor(resident)).GET()));
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "chaos-queries");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        running.set(false);
        if (thread != null) thread.join(60_000);
        vertx.close();
    }

    /** From now on, answers count for this fault. */
    void window(String fault) {
        window = fault;
    }

    String windowResult(String fault) {
        return read(fault, "audience") + " audience answers, " + read(fault, "resident") + " resident reads";
    }

    double availabilityPercent() {
        long asked = 0, answered = 0;
        for (AtomicLongArray c : windows.values()) {
            asked += c.get(0);
            answered += c.get(1);
        }
        return asked == 0 ? Double.NaN : 100.0 * answered / asked;
    }

    String describe() {
        Map<String, String> sorted = new TreeMap<>();
        windows.forEach((w, c) -> sorted.put(w, c.get(1) + "/" + c.get(0)));
        return sorted.toString();
    }

    private String read(String fault, String what) {
        AtomicLongArray c = windows.get(fault + " " + what);
        return c == null ? "0 of 0" : c.get(1) + " of " + c.get(0);
    }

    private void count(String current, String what, boolean ok) {
        if (current == null) return;
        AtomicLongArray counts = windows.computeIfAbsent(current + " " + what, w -> new AtomicLongArray(2));
        counts.incrementAndGet(0);
        if (ok) counts.incrementAndGet(1);
    }

    private boolean ask(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode() == 200;
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return false;
        }
    }
}
