package de.prokommun.insights.local;

import de.prokommun.insights.local.demo.DemoResidents;
import de.prokommun.insights.simulator.SimCity;
import de.prokommun.insights.simulator.emit.LiveLoad;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the synthetic city (Musterstadt, Jena: {@code --city}) through the HTTP ingestion like real participants: at the first start the recent
 * history of the city (registrations, cards, purchases, vouchers ...) as fast as the system takes it, then
 * a live stream at a constant rate. A marker file remembers that the history was fed, so a restart
 * does not send it again.
 */
public final class CityFeed {

    private static final Logger LOG = LoggerFactory.getLogger(CityFeed.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Duration HISTORY = Duration.ofDays(60);
    private static final double HISTORY_RATE = 20_000;
    /**
     * How far the live feed simulates the city at once. At the default rate the city lives about 2.7 years an hour,
     * so a century lasts a day and a half of wall time; the next century starts with a pause while the simulator
     * catches up from the city's first day.
     */
    static final Duration LIFE_WINDOW = Duration.ofDays(36_525);

    private final SimCity city;
    private final Map<String, String> apiKeys;
    private final URI ingestion;
    private final long seed;
    private final int residents;
    private final Path marker;
    private final LiveProgress liveProgress;

    public CityFeed(SimCity city, Map<String, String> apiKeys, URI ingestion, long seed, int residents, Path dataDir) {
        this.city = city;
        this.apiKeys = apiKeys;
        this.ingestion = ingestion;
        this.seed = seed;
        this.residents = residents;
        this.marker = dataDir.resolve("history-fed");
        this.liveProgress = new LiveProgress(dataDir);
    }

    boolean historyFed() {
        return Files.exists(marker);
    }

    /**
     * Every shop maps its own product groups onto the city's taxonomy through the mapping API, as a real
     * participant would once; the ledger then files their purchases under the common categories.
     */
    public int uploadProductGroupMappings() {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        int mapped = 0;
        for (var participant : city.participants().businesses()) {
            if (participant.productGroups().isEmpty() || !apiKeys.containsKey(participant.id())) continue;
            ObjectNode body = JSON.createObjectNode();
            ArrayNode mappings = body.putArray("mappings");
            for (var group : participant.productGroups()) {
                mappings.addObject().put("productGroup", group.name()).put("category", group.category());
                mapped++;
            }
            send(http, participant.id(), body.toString());
        }
        return mapped;
    }

    private void send(java.net.http.HttpClient http, String participant, String body) {
        try {
            var response = http.send(java.net.http.HttpRequest.newBuilder(ingestion.resolve("/api/v1/product-groups/mapping"))
                            .header("Authorization", "Bearer " + apiKeys.get(participant))
                            .header("Content-Type", "application/json")
                            .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("mapping of " + participant + " refused: " + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends the last {@link #HISTORY} of the city with their original event times. */
    public LiveLoad.Report feedHistory(Instant now) {
        return feedHistory(now, new DemoResidents());
    }

    /** Sends the history, with {@code demo} watching it for residents a newcomer can sign in as. */
    public LiveLoad.Report feedHistory(Instant now, DemoResidents demo) {
        Instant from = now.minus(HISTORY).truncatedTo(ChronoUnit.DAYS);
        LiveLoad.Options options = LiveLoad.Options.of(ingestion, HISTORY_RATE, Duration.ofDays(1))
                .withBatchSize(500).withRestamp(false);
        LiveLoad.Report report = LiveLoad.run(demo.watch(city.events(seed, residents, from, now)), apiKeys, options);
        try {
            // First line: the city's first simulated day; the live stream must continue the same city.
            Files.writeString(marker, from + "\n" + now + "\n" + report.describe() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return report;
    }

    /**
     * Sends the city's life from now on at {@code rate} events/s, stamped with the wall clock; event ids
     * carry the start time so that a later run never collides with this one's ids. The city's own timeline
     * continues where an earlier live feed left it ({@link LiveProgress}), so no voucher or receipt is sent twice.
     */
    public LiveLoad.Report feedLive(Instant now, double rate, Duration duration) {
        Instant started = now.truncatedTo(ChronoUnit.SECONDS);
        Instant from = liveProgress.resumeAt(started);
        LiveLoad.Options options = LiveLoad.Options.of(ingestion, rate, duration).withBatchSize(50);
        String idPrefix = "live" + started.getEpochSecond();
        // The live stream continues the city after its history: same seed and first day, so the same residents.
        Instant first = cityStart();
        var life = new CityLife((to, prefix) -> city.generate(seed, residents, first, to, prefix), from, LIFE_WINDOW, idPrefix);
        LOG.info("live feed at {} events/s, the city's life from {}", rate, from);
        return LiveLoad.run(liveProgress.tracking(life), apiKeys, options);
    }

    private Instant cityStart() {
        try {
            return Instant.parse(Files.readAllLines(marker).get(0).trim());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the city's first day from " + marker, e);
        }
    }
}
