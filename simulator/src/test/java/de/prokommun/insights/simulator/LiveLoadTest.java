package de.prokommun.insights.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import de.prokommun.insights.participants.Participant;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.simulator.emit.LiveLoad;
import de.prokommun.insights.simulator.emit.ParticipantsFile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LiveLoad against a real HTTP server on an ephemeral loopback port that authenticates like the ingestion
 * (Bearer key → participant directory) and refuses events sent in someone else's name.
 */
class LiveLoadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Musterstadt city = Musterstadt.load();
    private HttpServer server;
    private Map<String, String> keys;
    private ParticipantDirectory directory;
    private final Set<String> received = ConcurrentHashMap.newKeySet();
    private final AtomicInteger wrongSender = new AtomicInteger();
    private final AtomicInteger stale = new AtomicInteger();
    private volatile String refuse = "";

    @BeforeEach
    void start(@TempDir Path dir) throws IOException {
        keys = ParticipantsFile.write(city.participants().all(), "musterstadt", dir.resolve("p.json"), dir.resolve("k.json"), new SecureRandom());
        directory = ParticipantDirectory.load(dir.resolve("p.json"));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/events", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        Optional<Participant> sender = auth != null && auth.startsWith("Bearer ") ? directory.authenticate(auth.substring(7)) : Optional.empty();
        JsonNode batch = JSON.readTree(ex.getRequestBody().readAllBytes());
        if (sender.isEmpty()) { answer(ex, 401, "{\"error\":\"unknown API key\"}"); return; }
        if (sender.get().id().equals(refuse)) { answer(ex, 403, "{\"accepted\":0,\"error\":\"refused\"}"); return; }
        long now = System.currentTimeMillis();
        for (JsonNode e : batch) {
            if (!e.path("participant").asText().equals(sender.get().id())) wrongSender.incrementAndGet();
            if (Math.abs(Instant.parse(e.path("eventTime").asText()).toEpochMilli() - now) > 60_000) stale.incrementAndGet();
            received.add(e.path("eventId").asText());
        }
        answer(ex, 202, "{\"accepted\":" + batch.size() + "}");
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void sendsEveryEventOnceUnderItsSendersKeyAtTheWallClock() {
        var events = city.events(3, 2000, Instant.parse("2024-03-01T00:00:00Z"), Instant.parse("2024-06-01T00:00:00Z"));
        LiveLoad.Options options = LiveLoad.Options.of(baseUrl(), 4000, null).withMaxEvents(3000).withBatchSize(50).withConnections(3);
        LiveLoad.Report report = LiveLoad.run(events, keys, options);

        assertThat(report.sentEvents()).isEqualTo(3000);
        assertThat(report.acceptedEvents()).isEqualTo(3000);
        assertThat(report.rejectedEvents()).isZero();
        assertThat(report.failedEvents()).isZero();
        assertThat(received).hasSize(3000);
        assertThat(wrongSender.get()).isZero();
        assertThat(stale.get()).isZero();
        assertThat(report.requests()).isGreaterThanOrEqualTo(3000 / 50);
        assertThat(report.p50Micros()).isPositive().isLessThanOrEqualTo(report.p99Micros());
        assertThat(report.statusCounts()).containsOnlyKeys(202);
        assertThat(report.describe()).contains("accepted 3000");
    }

    @Test
    void countsRejectedBatchesAndReportsTheServersAnswer() {
        refuse = "portal";
        var events = city.events(4, 2000, Instant.parse("2024-03-01T00:00:00Z"), Instant.parse("2024-06-01T00:00:00Z"));
        LiveLoad.Report report = LiveLoad.run(events, keys,
                LiveLoad.Options.of(baseUrl(), 5000, null).withMaxEvents(2000).withBatchSize(25).withConnections(2));

        assertThat(report.sentEvents()).isEqualTo(2000);
        assertThat(report.rejectedEvents()).isPositive();
        assertThat(report.acceptedEvents() + report.rejectedEvents()).isEqualTo(2000);
        assertThat(report.acceptedEvents()).isEqualTo(received.size());
        assertThat(report.statusCounts()).containsKeys(202, 403);
        assertThat(report.sampleErrors()).anySatisfy(e -> assertThat(e).startsWith("403"));
    }
}
