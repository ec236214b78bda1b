package de.prokommun.insights.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.prokommun.insights.city.CityFiles;
import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.privacy.CanonicalQuestion;
import de.prokommun.insights.privacy.DisclosureControl;
import de.prokommun.insights.privacy.PrivacyPolicy;
import de.prokommun.insights.privacy.Question;
import de.prokommun.insights.privacy.ReleasedCell;
import de.prokommun.insights.privacy.TrueCell;
import de.prokommun.insights.privacy.audit.AuditLog;
import de.prokommun.insights.privacy.budget.BudgetLedger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline end to end with real engines: events posted over HTTP to ingestion, embedded Kafka,
 * both Flink jobs on a MiniCluster at parallelism 2, Pinot in its own JVM, and audience counts read over
 * HTTP from the query service. Every released count must equal what the disclosure-control layer
 * releases for the count computed directly from the posted events (same key and policy, so the noise
 * is the same): an off-by-one anywhere in the pipeline changes the released value.
 *
 * <p>The story runs in December 2025 (event time) so that the age-band rollover on 1 January 2026 can be
 * driven by one later event.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineEndToEndIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CITY = "musterstadt";
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(120);
    private static final Map<String, String> DISTRICT_OF = Map.of("45468", "Altstadt", "45470", "Heißen",
            "45472", "Dümpten", "45481", "Saarn");

    @TempDir
    static Path dir;

    private LocalSystem system;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, String> keys = new LinkedHashMap<>();
    private final Map<String, Resident> residents = new LinkedHashMap<>();
    private final Asker merchant = new Asker(CITY, "baeckerei", AskerRole.PARTICIPANT);
    private PrivacyPolicy policy;
    private byte[] prfKey;
    private int referenceYear = 2025;
    private int eventSeq;

    /** What the test posted about one resident: the oracle the pipeline's counts are compared with. */
    private static final class Resident extends CitySegments.Resident {
        /** Registered with consent and not withdrawn since. */
        boolean profiled;
        String card;
        final List<String> voucherEventIds = new ArrayList<>();

        Resident(String ref, int birthYear, String gender, String postcode, String household, boolean consent) {
            super(ref, birthYear, gender, postcode, household, consent);
            this.profiled = consent;
        }

        int age(int year) { return year - birthYear; }

        boolean voucherUser() { return voucherEventIds.stream().distinct().count() >= 2; }
    }

    @BeforeAll
    void startTheSystem() throws Exception {
        BehaviourTestSupport.StartedSystem started = BehaviourTestSupport.startSystem(dir, CITY, "end-to-end-test-secret-of-musterstadt",
                BehaviourTestSupport.portalMerchantOperator(), 1000, Map.of());
        system = started.system();
        keys.putAll(started.keys());
        policy = started.policy();
        prfKey = started.prfKey();
    }

    @AfterAll
    void stopTheSystem() {
        if (system != null) system.close();
    }

    @Test
    @Order(1)
    void registeredResidentsWithConsentAreCountedAndOthersAreNot() throws Exception {
        register(new Resident("R-001", 1990, "FEMALE", "45468", "FAMILY", true));
        register(new Resident("R-002", 1985, "MALE", "45468", "FAMILY", true));
        register(new Resident("R-003", 1970, "FEMALE", "45470", "COUPLE", true));
        register(new Resident("R-004", 1955, "MALE", "45470", "COUPLE", true));
        register(new Resident("R-005", 2001, "FEMALE", "45472", "SINGLE", true));
        register(new Resident("R-006", 1999, "DIVERSE", "45472", "SHARED", true));
        register(new Resident("R-007", 1948, "FEMALE", "45481", "SINGLE", true));
        register(new Resident("R-008", 1962, "MALE", "45481", "SINGLE_PARENT", true));
        register(new Resident("R-009", 1993, "FEMALE", "45481", "FAMILY", true));
        register(new Resident("R-010", 1980, "MALE", "45468", "SINGLE", true));
        register(new Resident("R-011", 2008, "FEMALE", "45470", "FAMILY", true));
        register(new Resident("R-012", 2008, "MALE", "45472", "FAMILY", true));
        register(new Resident("R-013", 1975, "FEMALE", "45468", "COUPLE", false));
        register(new Resident("R-014", 1992, "MALE", "45481", "SINGLE", false));

        awaitReleased(everyone(), r -> true);
        awaitReleased(question().anyOf("genders", List.of("FEMALE")).range("age", 30, 120),
                body(Map.of("genders", List.of("FEMALE"), "ageFrom", 30)),
                r -> r.gender.equals("FEMALE") && r.age(referenceYear) >= 30);
        awaitReleasedBreakdownByDistrict();
    }

    @Test
    @Order(2)
    void aCardPurchaseIsAttributedThroughTheCardLinkAndADuplicateCountsOnce() throws Exception {
        // used their cards three days before linking them: those events wait for the link.
        for (String ref : List.of("R-001", "R-003")) {
            Resident r = residents.get(ref);
            r.card = cardOf(r);
            String threeDaysBeforeTheLink = Instant.parse(december(eventSeq + 10)).minus(Duration.ofDays(3)).toString();
            redeemByCard(r, nextId("v"), threeDaysBeforeTheLink);
            redeemByCard(r, nextId("v"), threeDaysBeforeTheLink);
        }
        // A card event is keyed by its card and a link by its resident, so they may travel on different partitions
        // and the link may overtake them; only linking once the resolver holds all four makes them wait for it.
        awaitCardCounter("cardEventsHeld", 4);
        for (String ref : List.of("R-001", "R-003", "R-005", "R-007", "R-009")) linkCard(residents.get(ref));
        // Two distinct voucher redemptions by card make a resident a voucher user ...
        for (String ref : List.of("R-005")) {
            redeemByCard(residents.get(ref), nextId("v"));
            redeemByCard(residents.get(ref), nextId("v"));
        }
        // ... one redemption sent twice (the identical event: same id and body) does not.
        for (String ref : List.of("R-007", "R-009")) {
            String id = nextId("v");
            String at = december(eventSeq);
            redeemByCard(residents.get(ref), id, at);
            redeemByCard(residents.get(ref), id, at);
        }
        awaitReleased(question().anyOf("personas", List.of("voucher_user")),
                body(Map.of("personas", List.of("voucher_user"))), Resident::voucherUser);
    }

    @Test
    @Order(3)
    void withdrawingAnalyticsConsentRemovesThePersonFromEveryCount() throws Exception {
        withdrawConsent(residents.get("R-002"));
        withdrawConsent(residents.get("R-003"));
        awaitReleased(everyone(), r -> true);
        awaitReleased(question().anyOf("personas", List.of("voucher_user")),
                body(Map.of("personas", List.of("voucher_user"))), Resident::voucherUser);
        awaitReleasedBreakdownByDistrict();
    }

    @Test
    @Order(4)
    void theAgeBandRollsOverOnTheFirstOfJanuary() throws Exception {
        Supplier<CanonicalQuestion> teens = () -> question().range("age", 14, 17);
        String teensBody = body(Map.of("ageFrom", 14, "ageTo", 17));
        Supplier<CanonicalQuestion> youngAdults = () -> question().range("age", 18, 24);
        String youngAdultsBody = body(Map.of("ageFrom", 18, "ageTo", 24));
        awaitReleased(teens, teensBody, r -> r.age(referenceYear) >= 14 && r.age(referenceYear) <= 17);

        // Any event after 1 January 2026 moves the stream clock past the boundary.
        referenceYear = 2026;
        post(keys.get("portal"), event("newsletter.subscribed", "2026-01-02T12:00:00Z", "R-010", null,
                Map.of("newsletter", "stadtnachrichten")));
        awaitReleased(teens, teensBody, r -> r.age(referenceYear) >= 14 && r.age(referenceYear) <= 17);
        awaitReleased(youngAdults, youngAdultsBody, r -> r.age(referenceYear) >= 18 && r.age(referenceYear) <= 24);
        assertThat(residents.values().stream().filter(r -> r.profiled && r.birthYear == 2008)).hasSize(2);
    }

    // ---- posting events -----------------------------------------------------------------------------

    /**
     * The health monitor measures freshness from acceptance, stage by stage (raw → anonymise job's committed offsets,
     * anonymous → profile job's, profile topic → Pinot): the tile names the three stages, its value is their sum, and
     * once nothing is in flight every stage is back at zero (a stage that reads the wrong consumer group would keep
     * growing), and so is every job's count of records its sources have not read yet.
     */
    @Test
    @Order(5)
    void theHealthMonitorMeasuresFreshnessFromAcceptanceStageByStage() throws Exception {
        List<String> stages = List.of("accepted → anonymised (s)", "anonymised → profiled (s)",
                "profiled → visible in Pinot (s)");
        Instant deadline = Instant.now().plus(VISIBLE_WITHIN);
        JsonNode tile = null;
        JsonNode deadLetters = null;
        JsonNode cardsWaiting = null;
        JsonNode unread = null;
        while (Instant.now().isBefore(deadline)) {
            Map<String, JsonNode> tiles = healthTiles();
            tile = tiles.get("pinot.freshness");
            deadLetters = tiles.get("deadletters");
            cardsWaiting = tiles.get("cards.waiting");
            assertThat(tile).as("the freshness tile in " + tiles).isNotNull();
            JsonNode detail = tile.path("detail");
            double sum = 0;
            for (String stage : stages) {
                assertThat(detail.has(stage)).as(stage + " in " + tile).isTrue();
                assertThat(detail.get(stage).asDouble()).as(stage).isGreaterThanOrEqualTo(0);
                sum += detail.get(stage).asDouble();
            }
            assertThat(tile.path("value").asDouble()).as("the headline is the sum of the stages: " + tile)
                    .isCloseTo(sum, org.assertj.core.data.Offset.offset(0.002));
            // Flink's REST API serves operator metrics fetched every few seconds: the card counters may trail the
            // freshness tile, so they are polled like it rather than read once.
            boolean attributed = cardsWaiting != null
                    && cardsWaiting.path("detail").path("cardEventsAttributedLate").asLong() >= 4;
            unread = tiles.get("flink.unread");
            // the jobs' Kafka sources report what they have not read yet: nothing, once the pipeline is quiet
            boolean allRead = unread != null && unread.path("status").asText().equals("OK") && unread.path("value").asDouble() == 0
                    && unread.path("detail").size() >= 2;
            if (tile.path("value").asDouble() == 0 && tile.path("status").asText().equals("OK") && attributed && allRead) {
                // card events that waited for their link (test 2) are not dead letters
                assertThat(deadLetters.path("status").asText()).as("the dead-letter tile: " + deadLetters).isEqualTo("OK");
                assertThat(deadLetters.path("value").asDouble()).as("dead letters: " + deadLetters).isZero();
                // they have a tile of their own: the four that waited were attributed once the cards were linked
                assertThat(cardsWaiting.path("status").asText()).as("card tile: " + cardsWaiting).isEqualTo("OK");
                assertThat(cardsWaiting.path("value").asDouble()).as("none still waiting: " + cardsWaiting).isZero();
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("the pipeline is quiet but the freshness tile never came back to 0, the four held "
                + "card events were never attributed or the jobs' sources never reported all read: " + tile + " / "
                + cardsWaiting + " / " + unread);
    }

    /**
     * Nothing of the running local system is reachable from the machine's network (issue 15): every listening
     * socket of this JVM and of Pinot's is on loopback, Pinot 0.11's server query port included (the runner's own
     * QueryServer binds the configured address instead of the wildcard address). No exceptions.
     */
    @Test
    @Order(6)
    void everyListenerOfTheLocalSystemIsOnLoopback() {
        List<ListeningSockets.Listener> listeners = ListeningSockets.ofThisProcessTree();
        assertThat(listeners).as("listeners of the local system").hasSizeGreaterThan(8);
        assertThat(listeners).filteredOn(l -> !l.loopback())
                .extracting(ListeningSockets.Listener::readable).isEmpty();
        assertThat(listeners).filteredOn(l -> l.port() == system.pinot().ports().serverNetty())
                .as("Pinot's server query port").isNotEmpty().allMatch(ListeningSockets.Listener::loopback);
        assertThat(listeners).filteredOn(l -> l.port() == system.pinot().ports().zookeeper())
                .isNotEmpty().allMatch(ListeningSockets.Listener::loopback);
        assertThat(listeners).noneMatch(l -> l.port() == system.pinot().ports().serverGrpc());
    }

    private void register(Resident r) throws Exception {
        residents.put(r.ref, r);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("birthDate", r.birthYear + "-06-15");
        data.put("gender", r.gender);
        data.put("postcode", r.postcode);
        data.put("householdType", r.household);
        data.put("interests", List.of());
        data.put("consents", Map.of("analytics", r.profiled, "offers", true, "newsletter", false));
        ObjectNode registration = event("resident.registered", december(eventSeq), r.ref, null, data);
        post(keys.get("portal"), registration);
        post(keys.get("portal"), registration); // a participant's retry: the same event again
    }

    /** Polls the health monitor until one of the card resolver's counters reaches the given value. */
    private void awaitCardCounter(String counter, long atLeast) throws Exception {
        Instant deadline = Instant.now().plus(VISIBLE_WITHIN);
        JsonNode cards = null;
        while (Instant.now().isBefore(deadline)) {
            cards = healthTiles().get("cards.waiting");
            if (cards != null && cards.path("detail").path(counter).asLong() >= atLeast) return;
            Thread.sleep(1000);
        }
        throw new AssertionError(counter + " never reached " + atLeast + ": " + cards);
    }

    /** The streaming health monitor's tiles by id, as the city's operator sees them. */
    private Map<String, JsonNode> healthTiles() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(system.queryUrl() + "/api/v1/health/streaming"))
                .header("Authorization", "Bearer " + keys.get("stadtmarketing")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, JsonNode> tiles = new java.util.LinkedHashMap<>();
        for (JsonNode t : JSON.readTree(r.body()).path("tiles")) tiles.put(t.path("id").asText(), t);
        return tiles;
    }

    private void linkCard(Resident r) throws Exception {
        r.card = cardOf(r);
        post(keys.get("portal"), event("card.linked", december(eventSeq), r.ref, null, Map.of("card", r.card)));
    }

    private static String cardOf(Resident r) {
        return "C-" + r.ref.substring(2);
    }

    private void redeemByCard(Resident r, String eventId) throws Exception {
        redeemByCard(r, eventId, december(eventSeq));
    }

    private void redeemByCard(Resident r, String eventId, String time) throws Exception {
        ObjectNode e = event("employer_voucher.redeemed", time, null, r.card, Map.of("amountCents", 1500));
        e.put("eventId", eventId);
        post(keys.get("baeckerei"), e);
        if (r.profiled) r.voucherEventIds.add(eventId);
    }

    private void withdrawConsent(Resident r) throws Exception {
        post(keys.get("portal"), event("consent.changed", december(eventSeq), r.ref, null, Map.of("analytics", false)));
        r.profiled = false;
        r.voucherEventIds.clear();
    }

    private ObjectNode event(String type, String time, String resident, String card, Map<String, Object> data) {
        return BehaviourTestSupport.event(nextId("e"), type, time, resident, card, data);
    }

    private String nextId(String prefix) {
        return prefix + "-" + (++eventSeq);
    }

    private static String december(int seq) {
        return Instant.parse("2025-12-01T08:00:00Z").plus(Duration.ofMinutes(seq)).toString();
    }

    private void post(String apiKey, ObjectNode event) throws Exception {
        ArrayNode batch = JSON.createArrayNode().add(event);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(system.ingestion().baseUrl() + "/api/v1/events"))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(batch.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    // ---- asking and comparing -----------------------------------------------------------------------

    private Supplier<CanonicalQuestion> everyone() {
        return this::question;
    }

    private CanonicalQuestion question() {
        return CanonicalQuestion.of("audience.size");
    }

    private void awaitReleased(Supplier<CanonicalQuestion> question, Predicate<Resident> matches) throws Exception {
        awaitReleased(question, "{\"filter\":{}}", matches);
    }

    private void awaitReleased(CanonicalQuestion question, String body, Predicate<Resident> matches) throws Exception {
        awaitReleased(() -> question, body, matches);
    }

    /**
     * Asks until the released value equals what the disclosure-control layer releases for the directly
     * computed count (the pipeline needs a moment: checkpoints, Pinot consumption); fails with both.
     */
    private void awaitReleased(Supplier<CanonicalQuestion> question, String body, Predicate<Resident> matches) throws Exception {
        long truth = residents.values().stream().filter(r -> r.profiled).filter(matches).count();
        Question q = question.get().build();
        Instant deadline = Instant.now().plus(VISIBLE_WITHIN);
        JsonNode answer = null;
        ReleasedCell expected = null;
        while (Instant.now().isBefore(deadline)) {
            answer = ask(body);
            expected = disclosure().releaseCounts(merchant, q, answer.get("dataVersion").asText(),
                    List.of(new TrueCell("", truth))).cells().get(0);
            if (sameCell(answer.get("count"), expected)) {
                assertThat(answer.get("question").asText()).isEqualTo(q.canonicalForm());
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("released " + answer.get("count") + " for " + q.canonicalForm()
                + " but the posted events give " + truth + " → " + expected);
    }

    private void awaitReleasedBreakdownByDistrict() throws Exception {
        Question q = question().param("breakdown", "district").build();
        Instant deadline = Instant.now().plus(VISIBLE_WITHIN);
        List<TrueCell> truth = new ArrayList<>();
        for (String district : districtsInFileOrder()) {
            truth.add(new TrueCell(district, residents.values().stream()
                    .filter(r -> r.profiled && DISTRICT_OF.get(r.postcode).equals(district)).count()));
        }
        truth.add(new TrueCell("other", 0));
        String lastSeen = "";
        while (Instant.now().isBefore(deadline)) {
            JsonNode answer = ask("{\"filter\":{},\"breakdown\":\"district\"}");
            List<ReleasedCell> expected = disclosure().releaseCounts(merchant, q, answer.get("dataVersion").asText(), truth).cells();
            if (sameCells(answer.get("cells"), expected)) return;
            lastSeen = answer.get("cells") + " expected " + expected;
            Thread.sleep(1000);
        }
        throw new AssertionError("district breakdown never matched: " + lastSeen);
    }

    private List<String> districtsInFileOrder() throws Exception {
        return CityFiles.find(BehaviourTestSupport.repositoryRoot().resolve("cities"), CITY).orElseThrow().districtNames();
    }

    private boolean sameCells(JsonNode actual, List<ReleasedCell> expected) {
        Map<String, JsonNode> byLabel = new LinkedHashMap<>();
        actual.forEach(c -> byLabel.put(c.get("label").asText(), c));
        if (byLabel.size() != expected.size()) return false;
        return expected.stream().allMatch(e -> byLabel.containsKey(e.label()) && sameCell(byLabel.get(e.label()), e));
    }

    private static boolean sameCell(JsonNode actual, ReleasedCell expected) {
        boolean suppressed = actual.get("suppressed").asBoolean();
        Long value = actual.get("value") == null || actual.get("value").isNull() ? null : actual.get("value").asLong();
        return suppressed == expected.suppressed() && java.util.Objects.equals(value, expected.value());
    }

    private JsonNode ask(String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(system.queryUrl() + "/api/v1/audiences/size"))
                .header("Authorization", "Bearer " + keys.get("baeckerei")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertNoPseudonymIn(response.body());
        return answer;
    }

    private static void assertNoPseudonymIn(String body) {
        // Pseudonyms are 43-character base64url HMACs; no response to a participant may carry one.
        assertThat(body).doesNotContainPattern("[A-Za-z0-9_-]{43}");
    }

    private DisclosureControl disclosure() {
        return new DisclosureControl(policy, BudgetLedger.inMemory(), AuditLog.inMemory(), prfKey, Clock.systemUTC());
    }

    private static String body(Map<String, Object> filter) throws Exception {
        return JSON.writeValueAsString(Map.of("filter", filter));
    }
}
