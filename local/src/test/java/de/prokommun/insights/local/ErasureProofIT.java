package de.prokommun.insights.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.prokommun.insights.city.AgeBand;
import de.prokommun.insights.city.City;
import de.prokommun.insights.city.CityFiles;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.query.QueryConfig;
import de.prokommun.insights.resident.ResidentConfig;
import de.prokommun.insights.simulator.Musterstadt;
import de.prokommun.insights.simulator.SimEvent;
import de.prokommun.insights.simulator.city.ProductGroup;
import de.prokommun.insights.simulator.city.SimParticipant;
import de.prokommun.insights.simulator.emit.LiveLoad;
import de.prokommun.insights.simulator.emit.ParticipantsFile;
import de.prokommun.insights.testkit.KafkaTopicsConfig;
import de.prokommun.insights.testkit.PinotClusterConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The erasure proof (issue 6) with real engines: ingestion over HTTP, embedded Kafka, both Flink jobs, Pinot in
 * its own JVM and the resident API, fed with a deterministic synthetic Musterstadt (simulator, fixed seed and
 * period). Every figure read exactly from Pinot (before the privacy layer) is compared with an independent
 * recomputation from the posted events ({@link Oracle}): profile counts by age band and district, purchases per
 * participant, category and month (count, quantity, spend), distinct buyers per category and month, distinct
 * customers per participant and month, registrations per month and the residents' own live records per kind.
 * <p>Then residents are erased and single purchases deleted through the resident API (as the privacy centre
 * does), the figures are compared again, and no live row with the pseudonym of anyone erased, withdrawn or never
 * consenting remains in profiles or person_records. The time from request to effect is printed (not asserted).
 * <p>Order across the anonymiser's two paths (resident / card) is not guaranteed, so the waits for a card link and
 * a registration are long here (everything posted is resolved), and the simulator's purchase retractions are
 * posted after the purchases have been processed: a retraction overtaking its purchase would otherwise be a
 * legitimate "unknown receipt".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ErasureProofIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CITY = Musterstadt.CITY;
    private static final String CITY_SECRET = "erasure-proof-secret-of-musterstadt";
    private static final String JWT_KEY = "erasure-proof-resident-token-key-0123456789abcdef";
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final long SEED = 6_2026L;
    private static final int RESIDENTS = 300;
    private static final Instant FROM = ZonedDateTime.of(2026, 8, 1, 0, 0, 0, 0, BERLIN).toInstant();
    private static final Instant TO = FROM.plus(Duration.ofDays(60));
    private static final Duration EFFECT_WITHIN = Duration.ofSeconds(120);
    /** The upsert tables' segments complete after this here (6 h in the table files) ... */
    private static final Duration UPSERT_FLUSH = Duration.ofSeconds(20);
    /** ... and the purge of old upsert versions runs this often (1 h by default), so the documented time is their sum. */
    private static final Duration PURGE_INTERVAL = Duration.ofSeconds(10);
    /** ... a segment holding an old version of a deletion is rewritten this long after the deletion (6 h by default) ... */
    private static final Duration PURGE_MAX_DELAY = Duration.ofSeconds(5);
    /**
     * The documented time (the larger of flush time and delay, plus the interval) and a margin for a loaded machine (a
     * rewrite waits until Pinot has taken its rows up).
     */
    private static final Duration PURGED_WITHIN = (UPSERT_FLUSH.compareTo(PURGE_MAX_DELAY) > 0 ? UPSERT_FLUSH : PURGE_MAX_DELAY)
            .plus(PURGE_INTERVAL).plus(Duration.ofMinutes(3));
    /** The compacted topics' segments roll after this here (1 h by default) ... */
    private static final Duration KAFKA_SEGMENT_MAX_AGE = Duration.ofSeconds(10);
    /** ... and a superseded version is compacted at the latest this long after it was written (1 h by default). */
    private static final Duration KAFKA_COMPACTION_MAX_LAG = Duration.ofSeconds(10);
    /** Their sum, the log cleaner's 15 s back-off and a margin for a loaded machine. */
    /** The purchase each live resident of the compaction check made last, retracted by the next round. */
    private final Map<String, ObjectNode> rollPurchases = new HashMap<>();
    private static final Duration COMPACTED_WITHIN = KAFKA_SEGMENT_MAX_AGE.plus(KAFKA_COMPACTION_MAX_LAG)
            .plus(Duration.ofSeconds(15)).plus(Duration.ofMinutes(2));

    @TempDir
    static Path dir;

    private LocalSystem system;
    private Musterstadt city;
    private Map<String, String> keys;
    private Oracle oracle;
    private Settings settings;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<SimEvent> heldBackRetractions = new ArrayList<>();
    /** The synthetic city's events as posted in @Order(1) (a shop replays one of them in @Order(3)). */
    private final List<SimEvent> posted = new ArrayList<>();
    /** Generation-0 pseudonyms of the residents erased through the resident API (@Order(2) and (3)). */
    private final List<String> erasedThroughTheApi = new ArrayList<>();
    /** What a shop could match of the residents erased in @Order(2), taken from Pinot and the feed before the erasure. */
    private final List<QuasiIdentifiers> erasedQuasiIdentifiers = new ArrayList<>();

    @BeforeAll
    void startTheSystem() throws Exception {
        Path citiesDir = BehaviourTestSupport.repositoryRoot().resolve("cities");
        city = Musterstadt.load(citiesDir.resolve(CITY));
        Path dataDir = dir.resolve("system");
        Files.createDirectories(dataDir);
        keys = ParticipantsFile.write(city.participants().all(), CITY, LocalSettings.participantsFile(dataDir),
                dataDir.resolve("api-keys.json"), new SecureRandom());
        settings = LocalSettings.forDataDir(Settings.of(Map.ofEntries(
                Map.entry(FlinkJobsConfig.CITY_SECRETS.name(), CITY + ":" + CITY_SECRET),
                Map.entry(FlinkJobsConfig.UNKNOWN_PERSON_WAIT.name(), "30m"),
                Map.entry(QueryConfig.PUBLICATION_ENABLED.name(), "false"),
                // the per-question path at the test policy's ε, which the city-wide cap's ad-hoc share could not pay
                Map.entry(QueryConfig.CITY_BUDGET_ENFORCED.name(), "false"),
                Map.entry(FlinkJobsConfig.UNKNOWN_PERSON_BUFFER.name(), "5000"),
                Map.entry(ResidentConfig.JWT_KEY.name(), JWT_KEY),
                Map.entry(PinotClusterConfig.UPSERT_FLUSH_TIME.name(), UPSERT_FLUSH.toString()),
                // Pinot 0.11 gives a segment that fetched nothing within its time an hour more: the first ones (created
                // before the feed) complete by rows instead
                Map.entry(PinotClusterConfig.UPSERT_FLUSH_ROWS.name(), "200"),
                Map.entry(PinotClusterConfig.PURGE_INTERVAL.name(), PURGE_INTERVAL.toString()),
                Map.entry(PinotClusterConfig.PURGE_MAX_DELAY.name(), PURGE_MAX_DELAY.toString()),
                Map.entry(KafkaTopicsConfig.SEGMENT_MAX_AGE.name(), KAFKA_SEGMENT_MAX_AGE.toString()),
                Map.entry(KafkaTopicsConfig.COMPACTION_MAX_LAG.name(), KAFKA_COMPACTION_MAX_LAG.toString()))),
                dataDir, citiesDir, CITY);
        oracle = new Oracle(CityFiles.find(citiesDir, CITY).orElseThrow(), city);
        system = ItSystems.start(dataDir, settings);
    }

    @AfterAll
    void stopTheSystem() {
        if (system != null) system.close();
    }

    @Test
    @Order(1)
    void everyFigureOfTheSyntheticCityEqualsTheRecomputation() throws Exception {
        CityFeed feed = new CityFeed(city, keys, URI.create(system.ingestion().baseUrl()), SEED, RESIDENTS, dir);
        int mappings = feed.uploadProductGroupMappings();
        System.out.println("[erasure-proof] " + mappings + " product-group mappings uploaded");
        awaitMappingsApplied();

        List<SimEvent> main = new ArrayList<>();
        var events = city.generate(SEED, RESIDENTS, FROM, TO);
        while (events.hasNext()) {
            SimEvent e = events.next();
            if (e.type().equals("purchase.retracted")) heldBackRetractions.add(e);
            else main.add(e);
        }
        System.out.println("[erasure-proof] synthetic city: " + main.size() + " events, " + heldBackRetractions.size()
                + " retractions held back");
        post(main);
        posted.addAll(main);
        for (SimEvent e : main) oracle.accept(JSON.readTree(e.json()));
        assertThat(oracle.liveResidents()).as("live profiled residents").hasSizeGreaterThan(50);
        assertThat(oracle.liveReceipts()).as("live receipts").isGreaterThan(300);
        System.out.println("[erasure-proof] oracle: " + oracle.liveResidents().size() + " profiled residents, "
                + oracle.registeredButNotLive().size() + " registered but erased, withdrawn or without consent, "
                + oracle.liveReceipts() + " live receipts");

        awaitFiguresEqualTheRecomputation("after the feed");
    }

    @Test
    @Order(2)
    void erasuresAndDeletedPurchasesTakeEffectInEveryFigure() throws Exception {
        post(heldBackRetractions);
        for (SimEvent e : heldBackRetractions) oracle.accept(JSON.readTree(e.json()));

        List<Oracle.Person> live = oracle.liveResidents().stream()
                .sorted((a, b) -> a.ref.compareTo(b.ref)).toList();
        List<Oracle.Person> toErase = live.stream().filter(p -> p.receipts.size() >= 2).limit(5).toList();
        List<Oracle.Person> toRetract = live.stream().filter(p -> !toErase.contains(p) && !p.receipts.isEmpty())
                .limit(5).toList();
        assertThat(toErase).hasSize(5);
        assertThat(toRetract).hasSize(5);

        assertThat(system.pinot().queryCount("SELECT COUNT(*) FROM " + PinotTables.PROFILES.name()
                + " WHERE deleted = false AND pseudonym IN (" + inList(toErase) + ")"))
                .as("the residents to erase are live before (so the pseudonyms are the pipeline's)").isEqualTo(toErase.size());
        Map<String, String> retracted = new LinkedHashMap<>(); // pseudonym → record id of the deleted purchase
        for (Oracle.Person p : toRetract) {
            String receipt = p.receipts.keySet().iterator().next();
            retracted.put(pseudonym(p.ref), "purchase:" + p.receipts.get(receipt).participant() + ":" + receipt);
        }

        toErase.forEach(p -> erasedThroughTheApi.add(pseudonym(p.ref)));
        for (Oracle.Person p : toErase) erasedQuasiIdentifiers.add(quasiIdentifiersOf(p));
        assertThat(allVersions(PinotTables.PROFILES.name(), erasedThroughTheApi))
                .as("profile versions of the residents to erase, with skipUpsert (what the purge must remove)").isPositive();
        assertThat(allVersions(PinotTables.PERSON_RECORDS.name(), erasedThroughTheApi))
                .as("record versions of the residents to erase, with skipUpsert").isPositive();

        GoneQueries gone = new GoneQueries(toErase, retracted);
        assertThat(system.pinot().queryCount(gone.records())).as("records to delete exist under the computed keys")
                .isGreaterThan(retracted.size());

        long startNanos = System.nanoTime();
        Map<String, Long> sentAt = new LinkedHashMap<>();
        Map<String, String> statusUrls = new LinkedHashMap<>();
        for (Oracle.Person p : toErase) {
            String what = "erase " + p.ref;
            sentAt.put(what, System.nanoTime());
            statusUrls.put(what, residentRequest("DELETE", "/api/v1/me", p.ref));
        }
        for (Oracle.Person p : toRetract) {
            String receipt = p.receipts.keySet().iterator().next();
            String what = "delete " + p.ref + " " + receipt;
            sentAt.put(what, System.nanoTime());
            statusUrls.put(what, residentRequest("DELETE", "/api/v1/me/purchases/" + receipt, p.ref));
            oracle.retract(p, receipt);
        }
        long lastSent = System.nanoTime();
        for (Oracle.Person p : toErase) oracle.erase(p);

        double visible = awaitGoneFromPinot(gone, lastSent);
        Map<String, Double> done = awaitRequestsDone(statusUrls, sentAt);
        awaitFiguresEqualTheRecomputation("after the resident API's changes");
        double everyFigure = (System.nanoTime() - lastSent) / 1e9;
        System.out.printf("[erasure-proof] latency of %d resident requests (sent within %.2f s): profiles and records gone"
                        + " from Pinot %.2f s after the last request; each request's status 'done' after %s s (polled"
                        + " one after another); every figure equal to the recomputation %.2f s after the last request%n",
                statusUrls.size(), (lastSent - startNanos) / 1e9, visible,
                done.values().stream().sorted().map(v -> String.format("%.2f", v)).toList(), everyFigure);

        assertNoLiveRowOf(toErase, "erased through the resident API");
        assertNoLiveRowOf(oracle.registeredButNotLive(), "erased, withdrawn or never consenting in the feed");
        long deletedRows = system.pinot().queryCount("SELECT COUNT(*) FROM " + PinotTables.PROFILES.name()
                + " WHERE deleted = true AND pseudonym IN (" + inList(toErase) + ")");
        assertThat(deletedRows).as("the erased residents' profiles are deleted rows under the computed pseudonyms")
                .isEqualTo(toErase.size());
        assertContributionRowsCarryNoTimeOfDayNorProductGroup();
    }

    /**
     * Issue 14, item 8: the erased persons' rows stay in the append-only contributions table beside their negations,
     * so no row may carry what a shop could match against its till — a time of day, or the shop's own product group
     * beside a segment (only the unmapped-groups report's own measure, which has no segment, names groups).
     */
    private void assertContributionRowsCarryNoTimeOfDayNorProductGroup() {
        String inCity = " FROM " + PinotTables.CONTRIBUTIONS.name() + " WHERE city = '" + CITY + "'";
        List<Long> times = new ArrayList<>();
        system.pinot().query("SELECT DISTINCT eventTime" + inCity + " LIMIT 100000").path("resultTable").path("rows")
                .forEach(r -> times.add(r.get(0).asLong()));
        assertThat(times).as("eventTime values of the contribution rows").isNotEmpty()
                .allSatisfy(t -> assertThat(t % 86_400_000L).as("time of day in %s", t).isZero());
        Set<String> rawGroups = new HashSet<>();
        city.participants().all().forEach(p -> p.productGroups().forEach(g -> rawGroups.add(g.name())));
        Set<String> categories = new HashSet<>();
        system.pinot().query("SELECT DISTINCT category" + inCity + " AND measure <> 'submitted_unmapped_line' LIMIT 100000")
                .path("resultTable").path("rows").forEach(r -> categories.add(r.get(0).asText()));
        assertThat(rawGroups).as("the simulator's product groups").isNotEmpty();
        assertThat(categories).as("categories of resident-derived rows").isNotEmpty().doesNotContainAnyElementsOf(rawGroups);
        assertThat(system.pinot().queryCount("SELECT COUNT(*)" + inCity + " AND measure = 'unmapped_line'"))
                .as("rows of the retired unmapped_line").isZero();
    }

    // ---- issue 14, items 6 and 7: erasure is final ----------------------------------------------------------------

    /**
     * A resident is erased through the resident API; within the 30 s after it a shop sends a purchase for them and the
     * old session (token issued before the erasure) tries to change the profile and the consents; the resident registers
     * again; the shop then replays one of the pre-erasure purchases (same event id, same body) and sends a new one. The
     * new profile (next pseudonym generation) holds only what was sent after the re-registration, every figure equals
     * the recomputation that knows nothing of the replay and the purchase in the window, and the old token stays
     * refused (401 erased).
     */
    @Test
    @Order(3)
    void afterAnErasureOnlyWhatWasSentAfterTheReRegistrationAttaches() throws Exception {
        Oracle.Person q = oracle.liveResidents().stream().sorted((a, b) -> a.ref.compareTo(b.ref))
                .filter(p -> residentNamedPurchase(p) != null).findFirst().orElseThrow();
        SimEvent original = residentNamedPurchase(q);
        JsonNode originalLine = JSON.readTree(original.json()).get("data").get("lines").get(0);
        String shop = original.sender();
        String issuedBefore = token(q.ref, Instant.now().minusSeconds(5));
        assertThat(residentCall("GET", "/api/v1/me", issuedBefore, null).statusCode()).isEqualTo(200);

        String erasureStatus = residentRequest("DELETE", "/api/v1/me", q.ref);
        erasedThroughTheApi.add(pseudonym(q.ref));
        oracle.erase(q);
        long erasedAtNanos = System.nanoTime();
        // within the 30 s after the erasure: a purchase for the erased resident and the old session's changes
        postOne(event(shop, "purchase", Instant.now(), q.ref, null, purchaseData("WINDOW-" + q.ref, originalLine)));
        HttpResponse<String> patch = residentCall("PATCH", "/api/v1/me/profile", issuedBefore, "{\"householdType\":\"SINGLE\"}");
        HttpResponse<String> put = residentCall("PUT", "/api/v1/me/consents", issuedBefore,
                "{\"analytics\":true,\"offers\":true,\"newsletter\":true}");
        HttpResponse<String> read = residentCall("GET", "/api/v1/me", issuedBefore, null);
        for (HttpResponse<String> r : List.of(patch, put, read)) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
            assertThat(r.body()).contains("erased");
        }
        assertThat((System.nanoTime() - erasedAtNanos) / 1e9).as("all of it within the 30 s after the erasure").isLessThan(30);

        // the resident registers again, the shop replays a pre-erasure purchase and sends a new one
        Thread.sleep(1_100); // the new session's token must carry an iat after the erasure (whole seconds)
        ObjectNode registration = event("portal", "resident.registered", Instant.now(), q.ref, null, Map.of(
                "birthDate", q.birthYear + "-06-15", "gender", "FEMALE", "postcode", q.postcode, "householdType", "COUPLE",
                "consents", Map.of("analytics", true, "offers", false, "newsletter", false)));
        postOne(registration);
        oracle.accept(registration);
        postOne((ObjectNode) JSON.readTree(original.json()));
        ObjectNode after = event(shop, "purchase", Instant.now().plusSeconds(1), q.ref, null,
                purchaseData("AFTER-" + q.ref, originalLine));
        postOne(after);
        oracle.accept(after);

        String generation1 = generationPseudonym(q.ref, 1);
        String liveProfile = "SELECT COUNT(*) FROM " + PinotTables.PROFILES.name() + " WHERE deleted = false AND pseudonym = '"
                + generation1 + "'";
        String newRecord = "SELECT COUNT(*) FROM " + PinotTables.PERSON_RECORDS.name() + " WHERE deleted = false AND pseudonym = '"
                + generation1 + "' AND recordId = 'purchase:" + shop + ":AFTER-" + q.ref + "'";
        Instant deadline = Instant.now().plus(EFFECT_WITHIN);
        while (system.pinot().queryCount(liveProfile) < 1 || system.pinot().queryCount(newRecord) < 1) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("the re-registration never reached Pinot");
            Thread.sleep(200);
        }
        awaitFiguresEqualTheRecomputation("after erasure, window purchase, old-token changes, re-registration and replay");
        assertThat(system.pinot().queryCount("SELECT COUNT(*) FROM " + PinotTables.PERSON_RECORDS.name()
                + " WHERE deleted = false AND pseudonym = '" + generation1 + "'"))
                .as("the new generation holds only the re-registration's purchase").isEqualTo(1);
        assertNoLiveRowOf(List.of(q), "erased before the re-registration (generation 0)");

        HttpResponse<String> me = residentCall("GET", "/api/v1/me", token(q.ref, Instant.now()), null);
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        JsonNode view = JSON.readTree(me.body());
        assertThat(view.path("profile").path("householdType").asText()).as("the old session's PATCH did not land")
                .isEqualTo("COUPLE");
        assertThat(view.path("consents").path("newsletter").asBoolean()).as("nor its PUT").isFalse();
        List<String> ids = new ArrayList<>();
        view.path("records").forEach(r -> ids.add(r.path("recordId").asText()));
        assertThat(ids).containsExactly("purchase:" + shop + ":AFTER-" + q.ref);
        assertThat(residentCall("GET", "/api/v1/me", issuedBefore, null).statusCode())
                .as("the old token stays refused after the re-registration").isEqualTo(401);
        awaitRequestsDone(Map.of("erase " + q.ref, erasureStatus), Map.of("erase " + q.ref, erasedAtNanos));
    }

    // ---- issue 14, item 8: Pinot's old versions ------------------------------------------------------------------

    /**
     * Pinot 0.11 returns every stored version of an upsert row with {@code skipUpsert=true}. The local mode's purge
     * (pinot-runner's UpsertPurge) rewrites completed segments holding a not-deleted version of a deleted key; a
     * version in the consuming segment is reached once that segment completes, and a segment is rewritten once the
     * deletion is pinot.purge.max-delay old. Documented time: the larger of the upsert flush time and that delay, plus
     * the purge interval (here 20 s + 10 s; by default 6 h + 1 h). After it, no version of an erased
     * person's profile or records with any content is returned, with or without skipUpsert — only the deletion rows
     * (key, deleted = true) remain — and every figure still equals the recomputation (the rewrite changed nothing
     * current).
     */
    @Test
    @Order(4)
    void afterThePurgeNothingOfAnErasedPersonIsReturnedEvenWithSkipUpsert() throws Exception {
        List<String> erased = new ArrayList<>(erasedThroughTheApi);
        oracle.registeredButNotLive().forEach(p -> erased.add(pseudonym(p.ref)));
        assertThat(erasedThroughTheApi).hasSize(6);
        long started = System.nanoTime();
        Instant deadline = Instant.now().plus(PURGED_WITHIN);
        long profiles;
        long records;
        while ((profiles = allVersions(PinotTables.PROFILES.name(), erased)) > 0
                | (records = allVersions(PinotTables.PERSON_RECORDS.name(), erased)) > 0) {
            if (Instant.now().isAfter(deadline)) {
                List<String> purgeLog = Files.readAllLines(system.pinot().logFile()).stream()
                        .filter(l -> l.toLowerCase(java.util.Locale.ROOT).contains("purge")).toList();
                throw new AssertionError("after " + PURGED_WITHIN + " Pinot still returns with skipUpsert " + profiles
                        + " profile versions and " + records + " record versions with content of erased residents;"
                        + " the purge's log: " + purgeLog.subList(Math.max(0, purgeLog.size() - 12), purgeLog.size()));
            }
            Thread.sleep(1_000);
        }
        System.out.printf("[erasure-proof] old upsert versions of %d erased residents purged %.1f s after @Order(4) began%n",
                erased.size(), (System.nanoTime() - started) / 1e9);
        String in = erasedThroughTheApi.stream().map(s -> "'" + s + "'").collect(Collectors.joining(","));
        JsonNode left = system.pinot().query("SELECT deleted, COUNT(*) FROM " + PinotTables.PROFILES.name()
                + " WHERE pseudonym IN (" + in + ") GROUP BY deleted LIMIT 10", "skipUpsert=true").path("resultTable").path("rows");
        assertThat(left).as("what remains of the erased residents' profiles, every version: one deletion row each")
                .hasSize(1);
        assertThat(left.get(0).get(0).asBoolean()).isTrue();
        assertNoQuasiIdentifierOfTheErasedIsReturned();
        awaitSupersededVersionsCompactedInKafka(erased);
        awaitFiguresEqualTheRecomputation("after the purge of old upsert versions");
        assertNoLiveRowOf(oracle.registeredButNotLive(), "erased, withdrawn or never consenting in the feed");
    }

    // ---- issue 14, item 7: an erasure through ingestion refuses earlier tokens too --------------------------------

    /**
     * The portal sends a resident's erasure straight to ingestion (not through the resident API). The anonymise job
     * writes the same mark to the shared erasure register as the resident API would, so the resident API refuses
     * every token issued before the erasure (401 erased) — before, such a token kept answering 200 with an empty
     * profile until it expired. A token issued after the erasure is not refused, and every figure is as without the
     * resident.
     */
    @Test
    @Order(5)
    void anErasureThroughIngestionRefusesTokensIssuedBeforeIt() throws Exception {
        Oracle.Person p = oracle.liveResidents().stream().sorted((a, b) -> a.ref.compareTo(b.ref))
                .filter(x -> !x.receipts.isEmpty()).findFirst().orElseThrow();
        String issuedBefore = token(p.ref, Instant.now().minusSeconds(5));
        assertThat(residentCall("GET", "/api/v1/me", issuedBefore, null).statusCode()).isEqualTo(200);

        ObjectNode erasure = event("portal", "erasure.requested", Instant.now(), p.ref, null, Map.of());
        postOne(erasure);
        oracle.erase(p);
        long sent = System.nanoTime();
        Instant deadline = Instant.now().plus(EFFECT_WITHIN);
        HttpResponse<String> read;
        while ((read = residentCall("GET", "/api/v1/me", issuedBefore, null)).statusCode() != 401) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("a token issued before an erasure through ingestion still answers "
                        + read.statusCode() + " after " + EFFECT_WITHIN + ": " + read.body());
            }
            Thread.sleep(200);
        }
        System.out.printf("[erasure-proof] erasure through ingestion: earlier token refused %.2f s after it was sent%n",
                (System.nanoTime() - sent) / 1e9);
        assertThat(read.body()).contains("erased");
        HttpResponse<String> patch = residentCall("PATCH", "/api/v1/me/profile", issuedBefore, "{\"householdType\":\"SINGLE\"}");
        assertThat(patch.statusCode()).as(patch.body()).isEqualTo(401);
        Thread.sleep(1_100); // a later token's iat (whole seconds) must lie after the erasure
        HttpResponse<String> later = residentCall("GET", "/api/v1/me", token(p.ref, Instant.now()), null);
        assertThat(later.statusCode()).as("a token issued after the erasure: " + later.body()).isEqualTo(200);
        awaitFiguresEqualTheRecomputation("after an erasure through ingestion");
        assertNoLiveRowOf(List.of(p), "erased through ingestion");
    }

    /**
     * What a shop with its till could look for: the receipt (participant and number), its day and the product groups as
     * the shop sent them, and the buyer's age band and district as Pinot showed them before the erasure.
     */
    record QuasiIdentifiers(String pseudonym, String ageBand, String district, List<ErasedReceipt> receipts) {}

    record ErasedReceipt(String participant, String receipt, long day, Set<String> productGroups) {}

    private QuasiIdentifiers quasiIdentifiersOf(Oracle.Person p) {
        String pseudonym = pseudonym(p.ref);
        JsonNode row = system.pinot().query("SELECT ageBand, district FROM " + PinotTables.PROFILES.name()
                + " WHERE deleted = false AND pseudonym = '" + pseudonym + "' LIMIT 1").path("resultTable").path("rows").get(0);
        assertThat(row).as("the live profile of " + p.ref + " before the erasure").isNotNull();
        assertThat(row.get(0).asText()).as("age band of " + p.ref).isNotBlank().isNotEqualTo("null");
        List<ErasedReceipt> receipts = new ArrayList<>();
        p.receipts.forEach((receipt, r) -> receipts.add(new ErasedReceipt(r.participant(), receipt,
                Math.floorDiv(r.eventTime(), Duration.ofDays(1).toMillis()),
                r.lines().stream().map(Oracle.Line::productGroup).collect(Collectors.toSet()))));
        return new QuasiIdentifiers(pseudonym, row.get(0).asText(), row.get(1).asText(), receipts);
    }

    /**
     * Issue 14, item 8, as a shop with direct access to Pinot would try it: every version (skipUpsert) of each erased
     * receipt, looked up by participant and receipt number, is a deletion row without lines, amounts or categories (the
     * product groups as sent are gone), and every version of the profile it points to is a deletion row without age
     * band and district. So neither the combination age band + district + day + category nor any part of a purchase's
     * content is returned for the erased residents after the stated time.
     */
    private void assertNoQuasiIdentifierOfTheErasedIsReturned() {
        assertThat(erasedQuasiIdentifiers).hasSize(5);
        for (QuasiIdentifiers q : erasedQuasiIdentifiers) {
            assertThat(q.receipts()).as("receipts of " + q.pseudonym()).isNotEmpty();
            for (ErasedReceipt r : q.receipts()) {
                JsonNode versions = system.pinot().query("SELECT pseudonym, deleted, details, amountCents, quantity, categories"
                        + " FROM " + PinotTables.PERSON_RECORDS.name() + " WHERE participant = '" + r.participant()
                        + "' AND receipt = '" + r.receipt() + "' LIMIT 1000", "skipUpsert=true").path("resultTable").path("rows");
                for (JsonNode v : versions) {
                    String what = "a stored version of the erased receipt " + r.participant() + "/" + r.receipt() + ": " + v;
                    assertThat(v.get(0).asText()).as(what).isEqualTo(q.pseudonym());
                    assertThat(v.get(1).asBoolean()).as(what + " is a deletion row").isTrue();
                    for (String group : r.productGroups()) assertThat(v.get(2).asText()).as(what).doesNotContain(group);
                    assertThat(v.get(3).asLong()).as(what + ": amount").isZero();
                    assertThat(v.get(4).asLong()).as(what + ": quantity").isZero();
                    v.get(5).forEach(c -> assertThat(c.asText()).as(what + ": categories").isIn("null", ""));
                }
            }
            JsonNode profiles = system.pinot().query("SELECT COUNT(*) FROM " + PinotTables.PROFILES.name()
                    + " WHERE pseudonym = '" + q.pseudonym() + "' AND (deleted = false OR ageBand = '" + q.ageBand()
                    + "' OR district = '" + q.district() + "')", "skipUpsert=true").path("resultTable").path("rows");
            assertThat(profiles.get(0).get(0).asLong()).as("stored profile versions of an erased resident with age band "
                    + q.ageBand() + " or district " + q.district()).isZero();
        }
    }

    /**
     * The compacted topics behind the profiles and the person records keep only the newest row per key once
     * compaction reached it: after the maximum compaction lag (here 10 s, 1 h by default, kafka.compaction.max-lag)
     * and a segment roll (kafka.segment.max-age), no earlier version with content of an erased resident's profile or
     * of any of their records (purchases, vouchers, follows ...) is left in Kafka either — only the deletion rows.
     */
    private void awaitSupersededVersionsCompactedInKafka(List<String> erased) throws Exception {
        Set<String> pseudonyms = new HashSet<>(erased);
        List<String> topics = List.of(de.prokommun.insights.contract.Topics.PROFILES.name(settings),
                de.prokommun.insights.contract.Topics.PERSON_RECORDS.name(settings));
        Instant deadline = Instant.now().plus(COMPACTED_WITHIN);
        long started = System.nanoTime();
        List<Oracle.Person> live = oracle.liveResidents().stream().sorted((a, b) -> a.ref.compareTo(b.ref))
                .filter(p -> residentNamedPurchase(p) != null).limit(8).toList();
        assertThat(live).as("live residents who can buy again (the writes that roll the segments)").hasSizeGreaterThan(1);
        int writes = 0;
        List<String> left = versionsWithContentInKafka(topics, pseudonyms);
        // what the check starts from, per topic (compaction may already have run, so it is reported, not required)
        Map<String, Long> atStart = left.stream().collect(Collectors.groupingBy(v -> v.substring(0, v.lastIndexOf('-', v.indexOf('@'))),
                TreeMap::new, Collectors.counting()));
        for (; !left.isEmpty(); left = versionsWithContentInKafka(topics, pseudonyms)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("after " + COMPACTED_WITHIN + " the compacted topics still hold " + left.size()
                        + " earlier versions with content of erased residents: " + left.subList(0, Math.min(5, left.size())));
            }
            // Kafka rolls a segment (compaction never touches the active one) at the first write after segment.ms; the
            // running pipeline writes all along, this quiet test writes on both partitions of both topics itself: a
            // profile change of a live resident (the household type, which no compared figure reads), and a purchase
            // of theirs that the next round retracts again
            for (int i = 0; i < 2; i++) {
                Oracle.Person p = live.get(writes++ % live.size());
                ObjectNode change = event("portal", "profile.changed", Instant.now(), p.ref, null,
                        Map.of("householdType", writes % 2 == 0 ? "SINGLE" : "COUPLE"));
                postOne(change);
                oracle.accept(change);
                rollPersonRecords(p, writes);
            }
            Thread.sleep(2_000);
        }
        System.out.printf("[erasure-proof] earlier profile and record versions of %d erased residents (at the start %s)"
                + " compacted away in Kafka %.1f s after the Pinot purge%n", pseudonyms.size(), atStart,
                (System.nanoTime() - started) / 1e9);
        for (Oracle.Person p : live) retractRollPurchase(p);
    }

    /** A write to the person's records: the purchase of this round (the round before's is retracted first). */
    private void rollPersonRecords(Oracle.Person p, int round) throws Exception {
        retractRollPurchase(p);
        SimEvent original = residentNamedPurchase(p);
        JsonNode line = JSON.readTree(original.json()).get("data").get("lines").get(0);
        ObjectNode purchase = event(original.sender(), "purchase", Instant.now(), p.ref, null,
                purchaseData("ROLL-" + round + "-" + p.ref, line));
        postOne(purchase);
        oracle.accept(purchase);
        rollPurchases.put(p.ref, purchase);
    }

    private void retractRollPurchase(Oracle.Person p) throws Exception {
        ObjectNode before = rollPurchases.remove(p.ref);
        if (before == null) return;
        ObjectNode retraction = event(before.get("participant").asText(), "purchase.retracted", Instant.now(), p.ref, null,
                Map.of("receipt", before.get("data").get("receipt").asText()));
        postOne(retraction);
        oracle.accept(retraction);
    }

    /** Values in the topics (read_committed, from the beginning) of these pseudonyms that are not deletion rows. */
    private List<String> versionsWithContentInKafka(List<String> topics, Set<String> pseudonyms) throws Exception {
        List<String> left = new ArrayList<>();
        for (String topic : topics) left.addAll(versionsWithContentInKafka(topic, pseudonyms));
        return left;
    }

    /** Values in the topic (read_committed, from the beginning) of these pseudonyms that are not deletion rows. */
    private List<String> versionsWithContentInKafka(String topic, Set<String> pseudonyms) throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", system.kafka().bootstrapServers());
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        List<String> left = new ArrayList<>();
        // the newest row of each key of these pseudonyms: a version with content that is the newest of its key would
        // never be compacted away (a leak), one that is not only waits for compaction — the failure tells which
        Map<String, String> newest = new HashMap<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(p,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (Instant.now().isAfter(deadline)) throw new AssertionError("cannot read " + topic + " to its end");
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() == null) continue;
                    JsonNode row = JSON.readTree(r.value());
                    if (!pseudonyms.contains(row.path("pseudonym").asText())) continue;
                    String key = new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
                    newest.put(key, "@" + r.offset() + " deleted=" + row.path("deleted").asBoolean() + " version="
                            + row.path("version").asLong());
                    if (!row.path("deleted").asBoolean()) {
                        left.add(r.topic() + "-" + r.partition() + "@" + r.offset() + " key " + key + " version "
                                + row.path("version").asLong() + " kind " + row.path("kind").asText() + "|");
                    }
                }
            }
        }
        return left.stream().map(l -> l.replace("|", ", newest of its key " + newest.get(l.substring(l.indexOf(" key ") + 5,
                l.indexOf(" version "))))).toList();
    }

    /** Versions with content (deleted = false) of these pseudonyms in the table, every stored one (skipUpsert). */
    private long allVersions(String table, List<String> pseudonyms) {
        long n = 0;
        for (int from = 0; from < pseudonyms.size(); from += 200) {
            String in = pseudonyms.subList(from, Math.min(pseudonyms.size(), from + 200)).stream()
                    .map(s -> "'" + s + "'").collect(Collectors.joining(","));
            JsonNode rows = system.pinot().query("SELECT COUNT(*) FROM " + table + " WHERE deleted = false AND pseudonym IN ("
                    + in + ")", "skipUpsert=true").path("resultTable").path("rows");
            n += rows.get(0).get(0).asLong();
        }
        return n;
    }

    /** A live purchase of the person that named the resident (not only a card), as it was posted. */
    private SimEvent residentNamedPurchase(Oracle.Person p) {
        for (SimEvent e : posted) {
            if (!e.type().equals("purchase") || !p.ref.equals(e.resident())) continue;
            try {
                if (p.receipts.containsKey(JSON.readTree(e.json()).get("data").get("receipt").asText())) return e;
            } catch (java.io.IOException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return null;
    }

    private static Map<String, Object> purchaseData(String receipt, JsonNode line) {
        return Map.of("receipt", receipt, "lines", List.of(Map.of("productGroup", line.get("productGroup").asText(),
                "quantity", 1, "amountCents", 1234)));
    }

    private HttpResponse<String> residentCall(String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(system.residentUrl() + path))
                .header("Authorization", "Bearer " + token);
        if (json != null) b.header("Content-Type", "application/json");
        return http.send(b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The pseudonym of a generation after re-registrations, as docs/PRIVACY.md defines it (independent of the code). */
    static String generationPseudonym(String residentRef, int generation) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(CITY_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(("resident-generation:" + pseudonym(residentRef) + ":" + generation)
                    .getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the comparison ------------------------------------------------------------------------------------------

    /** Compares until every figure equals the oracle's; returns the seconds the last round took. */
    private double awaitFiguresEqualTheRecomputation(String when) throws Exception {
        Map<String, Map<String, List<Long>>> expected = oracle.figures();
        Instant deadline = Instant.now().plus(EFFECT_WITHIN);
        String difference = "";
        long started = System.nanoTime();
        while (Instant.now().isBefore(deadline)) {
            long round = System.nanoTime();
            Map<String, Map<String, List<Long>>> actual = pinotFigures();
            difference = difference(expected, actual);
            if (difference.isEmpty()) {
                System.out.printf("[erasure-proof] %s: all %d figures equal the recomputation (%.1f s of waiting)%n",
                        when, expected.values().stream().mapToInt(Map::size).sum(), (System.nanoTime() - started) / 1e9);
                return (System.nanoTime() - round) / 1e9;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(when + ": Pinot's figures differ from the recomputation: " + difference);
    }

    private Map<String, Map<String, List<Long>>> pinotFigures() {
        String contributions = PinotTables.CONTRIBUTIONS.name();
        String inCity = " WHERE city = '" + CITY + "'";
        Map<String, Map<String, List<Long>>> f = new TreeMap<>();
        f.put("profiles by ageBand/district", rows("SELECT ageBand, district, COUNT(*) FROM " + PinotTables.PROFILES.name()
                + inCity + " AND deleted = false GROUP BY ageBand, district LIMIT 100000", 2));
        f.put("purchase by participant/category/month", rows("SELECT participant, category, month, SUM(count),"
                + " SUM(quantity), SUM(amountCents) FROM " + contributions + inCity + " AND measure = 'purchase'"
                + " GROUP BY participant, category, month LIMIT 100000", 3));
        f.put("buyer_month by category/month", rows("SELECT category, month, SUM(count) FROM " + contributions + inCity
                + " AND measure = 'buyer_month' GROUP BY category, month LIMIT 100000", 2));
        f.put("customer_month by participant/month", rows("SELECT participant, month, SUM(count) FROM " + contributions
                + inCity + " AND measure = 'customer_month' GROUP BY participant, month LIMIT 100000", 2));
        f.put("registration by month", rows("SELECT month, SUM(count) FROM " + contributions + inCity
                + " AND measure = 'registration' GROUP BY month LIMIT 100000", 1));
        f.put("active_resident by day", rows("SELECT day, SUM(count) FROM " + contributions + inCity
                + " AND measure = 'active_resident' GROUP BY day LIMIT 100000", 1));
        f.put("voucher_redemption by participant/category/month", rows("SELECT participant, category, month, SUM(count),"
                + " SUM(amountCents) FROM " + contributions + inCity + " AND measure = 'voucher_redemption'"
                + " GROUP BY participant, category, month LIMIT 100000", 3));
        f.put("person_records by kind", rows("SELECT kind, COUNT(*) FROM " + PinotTables.PERSON_RECORDS.name() + inCity
                + " AND deleted = false GROUP BY kind LIMIT 100000", 1));
        return f;
    }

    /** Rows keyed by their first {@code dims} columns joined with '|', values rounded to long; all-zero rows dropped. */
    private Map<String, List<Long>> rows(String sql, int dims) {
        Map<String, List<Long>> out = new TreeMap<>();
        for (JsonNode row : system.pinot().query(sql).path("resultTable").path("rows")) {
            List<String> key = new ArrayList<>();
            for (int i = 0; i < dims; i++) key.add(row.get(i).asText());
            List<Long> values = new ArrayList<>();
            for (int i = dims; i < row.size(); i++) values.add(Math.round(row.get(i).asDouble()));
            if (values.stream().anyMatch(v -> v != 0)) out.put(String.join("|", key), values);
        }
        return out;
    }

    private static String difference(Map<String, Map<String, List<Long>>> expected, Map<String, Map<String, List<Long>>> actual) {
        for (String figure : expected.keySet()) {
            Map<String, List<Long>> e = expected.get(figure);
            Map<String, List<Long>> a = actual.getOrDefault(figure, Map.of());
            if (e.equals(a)) continue;
            Set<String> keys = new java.util.TreeSet<>(e.keySet());
            keys.addAll(a.keySet());
            List<String> diffs = keys.stream().filter(k -> !java.util.Objects.equals(e.get(k), a.get(k)))
                    .limit(5).map(k -> k + " expected " + e.get(k) + " but Pinot " + a.get(k)).toList();
            return figure + ": " + diffs;
        }
        return "";
    }

    private void assertNoLiveRowOf(List<Oracle.Person> people, String who) {
        if (people.isEmpty()) return;
        for (int from = 0; from < people.size(); from += 200) {
            String in = inList(people.subList(from, Math.min(people.size(), from + 200)));
            assertThat(system.pinot().queryCount("SELECT COUNT(*) FROM " + PinotTables.PROFILES.name()
                    + " WHERE deleted = false AND pseudonym IN (" + in + ")")).as("live profiles of residents " + who).isZero();
            assertThat(system.pinot().queryCount("SELECT COUNT(*) FROM " + PinotTables.PERSON_RECORDS.name()
                    + " WHERE deleted = false AND pseudonym IN (" + in + ")")).as("live records of residents " + who).isZero();
        }
    }

    private static String inList(List<Oracle.Person> people) {
        return people.stream().map(p -> "'" + pseudonym(p.ref) + "'").collect(Collectors.joining(","));
    }

    /** The resident pseudonym exactly as the anonymiser computes it (HMAC-SHA256 under the city's secret). */
    static String pseudonym(String residentRef) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(CITY_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(("resident:" + residentRef).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- product-group mappings must be in the job before purchases count ---------------------------------------

    /**
     * A mapping applies to purchases processed after it arrived. Probe residents buy at a few shops until their
     * purchase records show mapped categories; the probes are then erased (the oracle sees all of it).
     */
    private void awaitMappingsApplied() throws Exception {
        List<SimParticipant> shops = city.participants().businesses().stream()
                .filter(p -> !p.productGroups().isEmpty() && keys.containsKey(p.id())).limit(6).toList();
        Instant t = FROM.plus(Duration.ofHours(8));
        for (int probe = 1; probe <= 20; probe++) {
            String ref = "PROBE-" + probe;
            List<ObjectNode> posted = new ArrayList<>();
            posted.add(event("portal", "resident.registered", t, ref, null, Map.of("birthDate", "1980-05-05",
                    "gender", "FEMALE", "postcode", "45468", "householdType", "SINGLE",
                    "consents", Map.of("analytics", true, "offers", false, "newsletter", false))));
            for (SimParticipant shop : shops) {
                ProductGroup g = shop.productGroups().get(0);
                posted.add(event(shop.id(), "purchase", t.plusSeconds(60), ref, null, Map.of("receipt", ref + "-" + shop.id(),
                        "lines", List.of(Map.of("productGroup", g.name(), "quantity", 1, "amountCents", 100)))));
            }
            for (ObjectNode e : posted) postOne(e);
            String pseudonym = pseudonym(ref);
            String records = "SELECT COUNT(*) FROM " + PinotTables.PERSON_RECORDS.name() + " WHERE pseudonym = '"
                    + pseudonym + "' AND kind = 'purchase' AND deleted = false";
            Instant deadline = Instant.now().plus(EFFECT_WITHIN);
            while (system.pinot().queryCount(records) < shops.size()) {
                if (Instant.now().isAfter(deadline)) throw new AssertionError("the probe's purchases never reached Pinot");
                Thread.sleep(300);
            }
            long unmapped = system.pinot().queryCount(records + " AND categories = 'unmapped'");
            ObjectNode erasure = event("portal", "erasure.requested", t.plusSeconds(120), ref, null, Map.of());
            postOne(erasure);
            posted.add(erasure);
            for (ObjectNode e : posted) oracle.accept(e);
            if (unmapped == 0) return;
            Thread.sleep(1000);
        }
        throw new AssertionError("the product-group mappings never reached the profile job");
    }

    // ---- posting -------------------------------------------------------------------------------------------------

    private void post(List<SimEvent> events) {
        if (events.isEmpty()) return;
        LiveLoad.Options options = LiveLoad.Options.of(URI.create(system.ingestion().baseUrl()), 5_000,
                Duration.ofMinutes(5)).withBatchSize(200).withRestamp(false);
        LiveLoad.Report report = LiveLoad.run(events.iterator(), keys, options);
        System.out.println("[erasure-proof] posted: " + report.describe());
        assertThat(report.acceptedEvents()).as(report.describe()).isEqualTo(events.size());
    }

    private int eventSeq;

    private ObjectNode event(String sender, String type, Instant time, String resident, String card, Map<String, Object> data) {
        ObjectNode e = BehaviourTestSupport.event("erasure-proof-" + (++eventSeq), type, time.toString(), resident, card, data);
        e.put("participant", sender);
        return e;
    }

    private void postOne(ObjectNode event) throws Exception {
        ArrayNode batch = JSON.createArrayNode().add(event);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(system.ingestion().baseUrl() + "/api/v1/events"))
                .header("Authorization", "Bearer " + keys.get(event.get("participant").asText()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(batch.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    // ---- the resident API ----------------------------------------------------------------------------------------

    /** Sends the request with the resident's token; returns the status URL of the accepted change. */
    private String residentRequest(String method, String path, String ref) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(system.residentUrl() + path))
                .header("Authorization", "Bearer " + token(ref)).method(method, HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(202);
        return response.headers().firstValue("Location").orElseThrow() + "#" + ref;
    }

    /**
     * Polls Pinot (every 50 ms, one query per table) until no erased resident has a live profile or record and no
     * deleted purchase is live; returns the seconds since {@code sinceNanos}.
     */
    private double awaitGoneFromPinot(GoneQueries gone, long sinceNanos) throws Exception {
        Instant deadline = Instant.now().plus(EFFECT_WITHIN);
        while (system.pinot().queryCount(gone.profiles()) > 0 || system.pinot().queryCount(gone.records()) > 0) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("erasures / deletions never became visible in Pinot");
            Thread.sleep(50);
        }
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    /** Live rows that must disappear: the erased residents' profiles, their records and the deleted purchases. */
    private record GoneQueries(String profiles, String records) {
        GoneQueries(List<Oracle.Person> erased, Map<String, String> retracted) {
            this("SELECT COUNT(*) FROM " + PinotTables.PROFILES.name() + " WHERE deleted = false AND pseudonym IN ("
                            + inList(erased) + ")",
                    "SELECT COUNT(*) FROM " + PinotTables.PERSON_RECORDS.name() + " WHERE deleted = false AND"
                            + " (pseudonym IN (" + inList(erased) + ") OR " + retracted.entrySet().stream()
                            .map(e -> "(pseudonym = '" + e.getKey() + "' AND recordId = '" + e.getValue() + "')")
                            .collect(Collectors.joining(" OR ")) + ")");
        }
    }

    /** Polls every request's status until it is done; returns seconds from the request to done, per request. */
    private Map<String, Double> awaitRequestsDone(Map<String, String> statusUrls, Map<String, Long> sentAt) throws Exception {
        Map<String, Double> done = new LinkedHashMap<>();
        Instant deadline = Instant.now().plus(EFFECT_WITHIN);
        while (done.size() < statusUrls.size()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("requests never took effect: " + statusUrls.keySet().stream()
                        .filter(k -> !done.containsKey(k)).toList());
            }
            for (Map.Entry<String, String> r : statusUrls.entrySet()) {
                if (done.containsKey(r.getKey())) continue;
                String[] urlAndRef = r.getValue().split("#", 2);
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(system.residentUrl() + urlAndRef[0]))
                        .header("Authorization", "Bearer " + token(urlAndRef[1])).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                if (JSON.readTree(response.body()).path("status").asText().equals("done")) {
                    done.put(r.getKey(), (System.nanoTime() - sentAt.get(r.getKey())) / 1e9);
                }
            }
            Thread.sleep(100);
        }
        return done;
    }

    /** An HS256 token as the portal issues it (claims: sub, city, iss, exp). */
    private static String token(String ref) {
        return token(ref, null);
    }

    /** An HS256 token as the portal issues it, with {@code iat} when given. */
    private static String token(String ref, Instant issuedAt) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        ObjectNode claims = JSON.createObjectNode().put("sub", ref).put("city", CITY)
                .put("iss", ResidentConfig.JWT_ISSUER.defaultValue())
                .put("exp", Instant.now().plus(Duration.ofMinutes(10)).getEpochSecond());
        if (issuedAt != null) claims.put("iat", issuedAt.getEpochSecond());
        String payload = b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(JWT_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] signature = mac.doFinal((header + "." + payload).getBytes(StandardCharsets.UTF_8));
            return header + "." + payload + "." + b64.encodeToString(signature);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the oracle ----------------------------------------------------------------------------------------------

    /**
     * The figures recomputed from the posted events in plain Java, without any pipeline code. A resident counts
     * when registered with analytics consent and neither withdrawn nor erased since; then every event reported for
     * the resident (directly or through a card linked to them, before or after the registration) counts.
     */
    static final class Oracle {
        static final Set<String> RECORD_KINDS = Set.of("purchase", "card.linked", "bonus.earned", "bonus.redeemed",
                "gift_voucher.sold", "gift_voucher.redeemed", "employer_voucher.credited", "employer_voucher.redeemed",
                "newsletter.subscribed", "newsletter.unsubscribed", "participant.followed", "participant.unfollowed",
                "event.checked_in");

        record Line(String productGroup, long quantity, long amountCents) {}

        record Receipt(String participant, long eventTime, List<Line> lines) {}

        static final class Person {
            final String ref;
            boolean registered;
            boolean live;
            int birthYear;
            String postcode;
            long registeredAt;
            final Map<String, Receipt> receipts = new LinkedHashMap<>();
            final Map<String, Integer> otherRecords = new HashMap<>();
            /** Days of the person's events other than purchases and retractions (activity until erasure). */
            final Set<Long> activeDays = new HashSet<>();
            /** Voucher redemptions: participant|gift_voucher or employer_voucher|month → [count, amount]. */
            final List<String[]> redemptions = new ArrayList<>();

            Person(String ref) { this.ref = ref; }
        }

        private final Map<String, String> districtOf;
        private final List<AgeBand> ageBands;
        private final Map<String, String> categoryOf = new HashMap<>();
        private final Map<String, Person> people = new LinkedHashMap<>();
        private final Map<String, String> cardOwner = new HashMap<>();
        /** Events by card before the card's link is known: attributed once it is. */
        private final List<JsonNode> unattributed = new ArrayList<>();

        /** The districts and age bands as the city module reads city.json (no second parser), the rest as simulated. */
        Oracle(City files, Musterstadt city) {
            districtOf = files.districts();
            ageBands = files.ageBands();
            for (SimParticipant p : city.participants().businesses()) {
                for (ProductGroup g : p.productGroups()) categoryOf.put(p.id() + "|" + g.name(), g.category());
            }
        }

        void accept(JsonNode e) {
            String type = e.get("type").asText();
            JsonNode data = e.get("data");
            String resident = e.hasNonNull("resident") ? e.get("resident").asText() : null;
            String card = e.hasNonNull("card") ? e.get("card").asText() : null;
            if (type.equals("card.linked")) {
                cardOwner.put(data.get("card").asText(), resident);
                retryUnattributed();
            }
            if (resident == null && card != null) resident = cardOwner.get(card);
            if (resident == null) {
                if (card != null) unattributed.add(e);
                return;
            }
            apply(person(resident), type, e, data);
        }

        private void retryUnattributed() {
            List<JsonNode> waiting = new ArrayList<>(unattributed);
            unattributed.clear();
            for (JsonNode e : waiting) accept(e);
        }

        private Person person(String ref) {
            return people.computeIfAbsent(ref, Person::new);
        }

        private void apply(Person p, String type, JsonNode e, JsonNode data) {
            long time = Instant.parse(e.get("eventTime").asText()).toEpochMilli();
            switch (type) {
                case "resident.registered" -> {
                    p.registered = true;
                    p.live = data.get("consents").get("analytics").asBoolean();
                    p.birthYear = Integer.parseInt(data.get("birthDate").asText().substring(0, 4));
                    p.postcode = data.get("postcode").asText();
                    p.registeredAt = time;
                }
                case "profile.changed" -> {
                    if (data.hasNonNull("postcode")) p.postcode = data.get("postcode").asText();
                }
                case "consent.changed" -> {
                    if (data.has("analytics") && !data.get("analytics").asBoolean()) wipe(p);
                }
                case "erasure.requested" -> wipe(p);
                case "purchase" -> {
                    List<Line> lines = new ArrayList<>();
                    data.get("lines").forEach(l -> lines.add(new Line(l.get("productGroup").asText(),
                            l.get("quantity").asLong(), l.get("amountCents").asLong())));
                    p.receipts.put(data.get("receipt").asText(), new Receipt(e.get("participant").asText(), time, lines));
                }
                case "purchase.retracted" -> p.receipts.remove(data.get("receipt").asText());
                case "gift_voucher.redeemed", "employer_voucher.redeemed" -> p.redemptions.add(new String[] {
                        e.get("participant").asText() + "|" + (type.startsWith("gift") ? "gift_voucher" : "employer_voucher")
                                + "|" + month(time), data.get("amountCents").asText()});
                default -> { }
            }
            boolean withdraws = type.equals("consent.changed") && data.has("analytics") && !data.get("analytics").asBoolean();
            if (!type.equals("purchase") && !type.equals("purchase.retracted") && !type.equals("erasure.requested")
                    && !withdraws) {
                p.activeDays.add(day(time));
            }
            if (RECORD_KINDS.contains(type) && !type.equals("purchase")) p.otherRecords.merge(type, 1, Integer::sum);
        }

        /** Withdrawal or erasure: nothing of the person counts, now or later (a consent alone cannot rebuild it). */
        private static void wipe(Person p) {
            p.live = false;
            p.receipts.clear();
            p.otherRecords.clear();
            p.activeDays.clear();
            p.redemptions.clear();
        }

        void retract(Person p, String receipt) {
            p.receipts.remove(receipt);
        }

        void erase(Person p) {
            wipe(p);
        }

        List<Person> liveResidents() {
            return people.values().stream().filter(p -> p.registered && p.live).toList();
        }

        List<Person> registeredButNotLive() {
            return people.values().stream().filter(p -> p.registered && !p.live).toList();
        }

        long liveReceipts() {
            return liveResidents().stream().mapToLong(p -> p.receipts.size()).sum();
        }

        Map<String, Map<String, List<Long>>> figures() {
            Map<String, List<Long>> profiles = new TreeMap<>();
            Map<String, List<Long>> purchases = new TreeMap<>();
            Map<String, Set<String>> buyers = new TreeMap<>();
            Map<String, Set<String>> customers = new TreeMap<>();
            Map<String, List<Long>> registrations = new TreeMap<>();
            Map<String, List<Long>> records = new TreeMap<>();
            Map<String, List<Long>> activeResidents = new TreeMap<>();
            Map<String, List<Long>> redemptions = new TreeMap<>();
            for (Person p : liveResidents()) {
                Set<Long> days = new HashSet<>(p.activeDays);
                p.receipts.values().forEach(r -> days.add(day(r.eventTime())));
                days.forEach(d -> add(activeResidents, String.valueOf(d), 1));
                p.redemptions.forEach(r -> add(redemptions, r[0], 1, Long.parseLong(r[1])));
                add(profiles, bandOf(2026 - p.birthYear) + "|" + districtOf.getOrDefault(p.postcode, CityFiles.UNKNOWN_DISTRICT), 1);
                add(registrations, String.valueOf(month(p.registeredAt)), 1);
                for (Map.Entry<String, Receipt> r : p.receipts.entrySet()) {
                    Receipt receipt = r.getValue();
                    int month = month(receipt.eventTime());
                    Map<String, long[]> byCategory = new TreeMap<>();
                    for (Line l : receipt.lines()) {
                        String category = categoryOf.getOrDefault(receipt.participant() + "|" + l.productGroup(), "unmapped");
                        long[] s = byCategory.computeIfAbsent(category, c -> new long[2]);
                        s[0] += l.quantity();
                        s[1] += l.amountCents();
                    }
                    byCategory.forEach((category, s) -> {
                        add(purchases, receipt.participant() + "|" + category + "|" + month, 1, s[0], s[1]);
                        buyers.computeIfAbsent(category + "|" + month, k -> new HashSet<>()).add(p.ref);
                    });
                    customers.computeIfAbsent(receipt.participant() + "|" + month, k -> new HashSet<>()).add(p.ref);
                    add(records, "purchase", 1);
                }
                p.otherRecords.forEach((kind, n) -> add(records, kind, n));
            }
            Map<String, Map<String, List<Long>>> f = new TreeMap<>();
            f.put("profiles by ageBand/district", profiles);
            f.put("purchase by participant/category/month", purchases);
            f.put("buyer_month by category/month", counts(buyers));
            f.put("customer_month by participant/month", counts(customers));
            f.put("registration by month", registrations);
            f.put("person_records by kind", records);
            f.put("active_resident by day", activeResidents);
            f.put("voucher_redemption by participant/category/month", redemptions);
            return f;
        }

        private static Map<String, List<Long>> counts(Map<String, Set<String>> distinct) {
            Map<String, List<Long>> out = new TreeMap<>();
            distinct.forEach((k, v) -> out.put(k, List.of((long) v.size())));
            return out;
        }

        private static void add(Map<String, List<Long>> m, String key, long... values) {
            m.merge(key, java.util.Arrays.stream(values).boxed().toList(), (a, b) -> {
                List<Long> sum = new ArrayList<>();
                for (int i = 0; i < a.size(); i++) sum.add(a.get(i) + b.get(i));
                return sum;
            });
        }

        private String bandOf(int age) {
            for (AgeBand b : ageBands) {
                if (age >= b.from() && age <= b.to()) return b.band();
            }
            return "null";
        }

        private static long day(long epochMillis) {
            return Instant.ofEpochMilli(epochMillis).atZone(BERLIN).toLocalDate().toEpochDay();
        }

        private static int month(long epochMillis) {
            ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(BERLIN);
            return t.getYear() * 100 + t.getMonthValue();
        }
    }
}
