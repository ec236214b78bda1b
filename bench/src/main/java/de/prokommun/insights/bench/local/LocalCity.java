package de.prokommun.insights.bench.local;

import de.prokommun.insights.bench.harness.BenchContext;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.ingestion.IngestionConfig;
import de.prokommun.insights.local.LocalSystem;
import de.prokommun.insights.query.QueryConfig;
import de.prokommun.insights.query.audience.AudienceFilter;
import de.prokommun.insights.query.audience.AudienceQuery;
import de.prokommun.insights.simulator.Musterstadt;
import de.prokommun.insights.simulator.city.SimParticipant;
import de.prokommun.insights.simulator.emit.ParticipantsFile;
import de.prokommun.insights.testkit.PinotClusterConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The local mode ({@link LocalSystem}: Kafka, Pinot child JVM, both Flink jobs, ingestion, query service)
 * with Musterstadt's participants and their API keys, plus what the local-mode benchmarks do with it:
 * send events over HTTP as a participant and count an audience with the query service's own SQL.
 */
public final class LocalCity implements AutoCloseable {

    final Musterstadt city;
    final LocalSystem system;
    final Map<String, String> keys;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private LocalCity(Musterstadt city, LocalSystem system, Map<String, String> keys) {
        this.city = city;
        this.system = system;
        this.keys = keys;
    }

    public static LocalCity start(BenchContext ctx, Path dataDir, int partitions) throws Exception {
        Musterstadt city = Musterstadt.load(ctx.citiesDir().resolve(Musterstadt.CITY));
        Path participants = dataDir.resolve("participants.json");
        java.nio.file.Files.createDirectories(dataDir);
        Map<String, String> keys = ParticipantsFile.write(city.participants().all(), Musterstadt.CITY, participants,
                dataDir.resolve("keys.json"), new SecureRandom());
        Path cities = ctx.citiesDir();
        Map<String, String> values = new java.util.HashMap<>();
        values.put(IngestionConfig.PARTICIPANTS_FILE.name(), participants.toString());
        values.put(QueryConfig.PARTICIPANTS_FILE.name(), participants.toString());
        values.put(FlinkJobsConfig.CITIES_DIR.name(), cities.toString());
        values.put(QueryConfig.CITIES_DIR.name(), cities.toString());
        values.put(QueryConfig.PRIVACY_POLICY_FILE.name(), cities.resolve(Musterstadt.CITY).resolve("privacy.json").toString());
        values.put(QueryConfig.AUDIT_LOG.name(), dataDir.resolve("privacy/audit.jsonl").toString());
        values.put(QueryConfig.BUDGET_LEDGER.name(), dataDir.resolve("privacy/budget-ledger.jsonl").toString());
        values.put(PinotClusterConfig.HEAP.name(), ctx.option("pinot.heap", "1g"));
        // --setting.KEY=VALUE sets any declared configuration key of the local mode (an A/B of a setting)
        ctx.options().forEach((k, v) -> { if (k.startsWith("setting.")) values.put(k.substring("setting.".length()), v); });
        Settings settings = Settings.of(values);
        LocalSystem system = LocalSystem.start(dataDir, settings, partitions);
        return new LocalCity(city, system, keys);
    }

    String portal() { return city.participants().portal().id(); }

    public Musterstadt city() { return city; }

    public LocalSystem system() { return system; }

    public Map<String, String> keys() { return keys; }

    /** POSTs one event or a batch as {@code sender}; returns the HTTP status. */
    int post(String sender, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(system.ingestion().baseUrl() + "/api/v1/events"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + keys.get(sender))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("ingestion answered " + response.statusCode() + ": " + response.body());
        }
        return response.statusCode();
    }

    /** The true count of live profiles with this interest, by the SQL the query service sends for it. */
    long countWithInterest(String interest) {
        TreeSet<String> interests = new TreeSet<>();
        interests.add(interest);
        String sql = new AudienceQuery(PinotTables.PROFILES.name(), Musterstadt.CITY,
                new AudienceFilter(null, null, new TreeSet<>(), new TreeSet<>(), interests, new TreeSet<>(),
                        new TreeSet<>(), false), Optional.empty()).countSql();
        return system.pinot().queryCount(sql);
    }

    /** A resident registration of the portal with analytics consent (so the resident is profiled). */
    String registration(String eventId, String resident, String... interests) {
        StringBuilder list = new StringBuilder();
        for (String i : interests) list.append(list.length() == 0 ? "" : ",").append('"').append(i).append('"');
        String postcode = city.city().districts().get(0).postcode();
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"resident.registered\",\"eventTime\":\"" + Instant.now()
                + "\",\"resident\":\"" + resident + "\",\"city\":\"" + Musterstadt.CITY + "\",\"participant\":\"" + portal()
                + "\",\"data\":{\"birthDate\":\"1984-05-17\",\"gender\":\"FEMALE\",\"postcode\":\"" + postcode
                + "\",\"householdType\":\"COUPLE\",\"interests\":[" + list + "],"
                + "\"consents\":{\"analytics\":true,\"offers\":true,\"newsletter\":false}}}";
    }

    /** A shop with goods: the seller of the benchmarks' probe purchases. */
    SimParticipant aShop() {
        return city.participants().businesses().stream().filter(b -> b.sellsGoods()).findFirst().orElseThrow();
    }

    /** One purchase of one line of the shop's first product group, by the resident, at {@code time}. */
    String purchase(String eventId, String resident, SimParticipant shop,
                    String receipt, Instant time) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"purchase\",\"eventTime\":\"" + time + "\",\"resident\":\""
                + resident + "\",\"city\":\"" + Musterstadt.CITY + "\",\"participant\":\"" + shop.id()
                + "\",\"data\":{\"receipt\":\"" + receipt + "\",\"lines\":[{\"productGroup\":\""
                + shop.productGroups().get(0).name() + "\",\"quantity\":1,\"amountCents\":1234}]}}";
    }

    /** The shop takes back its receipt (a single-purchase deletion). */
    String retraction(String eventId, String resident, SimParticipant shop,
                      String receipt) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"purchase.retracted\",\"eventTime\":\"" + Instant.now()
                + "\",\"resident\":\"" + resident + "\",\"city\":\"" + Musterstadt.CITY + "\",\"participant\":\""
                + shop.id() + "\",\"data\":{\"receipt\":\"" + receipt + "\"}}";
    }

    /** The exact sum of the shop's purchases on a city-local day in the contributions table (all segments). */
    long purchasesOn(String participant, LocalDate day) {
        return system.pinot().queryCount("SELECT SUM(\"count\") FROM " + PinotTables.CONTRIBUTIONS.name()
                + " WHERE city = '" + Musterstadt.CITY + "' AND measure = 'purchase' AND participant = '" + participant
                + "' AND \"day\" = " + day.toEpochDay());
    }

    String erasure(String eventId, String resident) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"erasure.requested\",\"eventTime\":\"" + Instant.now()
                + "\",\"resident\":\"" + resident + "\",\"city\":\"" + Musterstadt.CITY + "\",\"participant\":\"" + portal()
                + "\",\"data\":{}}";
    }

    @Override
    public void close() {
        system.close();
    }
}
