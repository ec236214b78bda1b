package de.prokommun.insights.query;

import static de.prokommun.insights.query.ReleasedCells.assertCell;
import static de.prokommun.insights.query.ReleasedCells.assertCells;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.privacy.CanonicalQuestion;
import de.prokommun.insights.privacy.DisclosureControl;
import de.prokommun.insights.privacy.PrivacyPolicy;
import de.prokommun.insights.privacy.Question;
import de.prokommun.insights.privacy.Release;
import de.prokommun.insights.privacy.ReleasedCell;
import de.prokommun.insights.privacy.TrueCell;
import de.prokommun.insights.privacy.audit.AuditLog;
import de.prokommun.insights.privacy.budget.BudgetLedger;
import de.prokommun.insights.query.ProfileFixture.Person;
import de.prokommun.insights.query.api.QueryVerticle;
import de.prokommun.insights.testkit.EmbeddedKafka;
import de.prokommun.insights.testkit.PinotCluster;
import de.prokommun.insights.testkit.RawHttp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query service end to end: real embedded Kafka, real Pinot (child JVM) consuming the profiles topic,
 * the verticle over real HTTP. Questions the city's publication answers are checked exactly against the sums of
 * the published cells as the service wrote them to disk (read and summed here independently), and the
 * publication's true counts (its noise drawn again with the service's key) against the rows written, so a wrong
 * true count (deleted rows, another city) shows. Ad-hoc figures are checked exactly against what a second,
 * independent DisclosureControl (same key and policy, fresh ledger) releases for the true counts computed in
 * Java from the rows written — noise included.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AudienceSizeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SIZE = "/api/v1/audiences/size";
    private static final int MAX_BODY = 4096;
    private static final String OPERATOR_KEY = randomKey();
    private static final String PARTICIPANT_KEY = randomKey();
    private static final String PORTAL_KEY = randomKey();
    private static final String STRANGER_KEY = randomKey();
    private static final Asker OPERATOR = new Asker(ProfileFixture.CITY, "stadtmarketing", AskerRole.OPERATOR);

    @TempDir
    static Path dir;

    private final ProfileFixture fixture = new ProfileFixture(20261129L);
    /** Every response body this test saw: none may contain a pseudonym. */
    private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());

    private EmbeddedKafka kafka;
    private PinotCluster pinot;
    private QueryServiceTestBed bed;
    private WebClient http;
    private QueryVerticle verticle;
    private Settings settings;
    private byte[] prfKey;
    private PrivacyPolicy policy;
    private PublishedCells published;

    @BeforeAll
    void startEverything() throws Exception {
        bed = QueryServiceTestBed.start(dir);
        kafka = bed.kafka();
        pinot = bed.pinot();
        writeProfiles(bed.base());

        bed.city(ProfileFixture.CITY, "city.json", "personas.json");
        Path policyFile = Files.writeString(dir.resolve("privacy-it.json"), testPolicy());
        Path participants = Files.writeString(dir.resolve("participants.json"), participants());
        prfKey = bed.prfKey();
        policy = PrivacyPolicy.of(PrivacyPolicy.load(policyFile));
        http = bed.serve(policyFile, participants, Clock.systemUTC(), true, new io.vertx.core.http.PoolOptions(),
                Map.of(QueryConfig.MAX_BODY_BYTES.name(), Integer.toString(MAX_BODY),
                        // the campaign routes (issue 18) are served where Kafka holds the campaigns
                        de.prokommun.insights.config.CommonConfig.KAFKA_BOOTSTRAP.name(), kafka.bootstrapServers()));
        settings = bed.settings();
        verticle = bed.verticle();
        published = new PublishedCells(bed.awaitPublication(ProfileFixture.CITY));
    }

    @AfterAll
    void stopEverything() {
        if (bed != null) bed.close();
    }

    // ---- published answers equal the sums of the published cells; ad-hoc ones what DisclosureControl releases --

    @Test
    @Order(1)
    void aPlainFilterIsAnsweredFromThePublication() {
        JsonObject answer = ok(OPERATOR_KEY, "{\"filter\": {\"ageFrom\": 18, \"ageTo\": 64, \"genders\": [\"FEMALE\", \"DIVERSE\"]}}");
        Question q = CanonicalQuestion.of("audience.size").range("age", 18, 64)
                .anyOf("genders", List.of("FEMALE", "DIVERSE")).build();
        assertThat(answer.getString("question")).isEqualTo(q.canonicalForm());
        Set<String> bands = Set.of("18-24", "25-34", "35-49", "50-64");
        assertPublished(answer.getJsonObject("count"), published.sum("all",
                c -> bands.contains(c.ageBand()) && Set.of("FEMALE", "DIVERSE").contains(c.gender())));
        assertThat(answer.getJsonArray("cells")).isEmpty();
        assertThat(answer.getJsonObject("source").getString("kind")).isEqualTo("publication");
        assertThat(answer.getJsonObject("source").getString("publicationId")).isEqualTo(published.id);
        assertThat(answer.getString("dataVersion")).isEqualTo(published.id);
        assertThat(answer.getJsonObject("privacy").getDouble("epsilonSpent")).isZero();
    }

    @Test
    @Order(2)
    void aMultiValuePersonaFilterMatchesAnyOfThePersonas() {
        JsonObject answer = ok(OPERATOR_KEY, "{\"filter\": {\"personas\": [\"senior\", \"family\"], \"consentOffers\": true}}");
        Question q = CanonicalQuestion.of("audience.size").anyOf("personas", List.of("family", "senior"))
                .flag("consentOffers", true).build();
        assertReleasedCount(answer, q, p -> p.consentOffers()
                && (p.personas().contains("family") || p.personas().contains("senior")));
        // Two personas and a consent are not a sum of published cells: released for the question, and paid.
        assertThat(answer.getJsonObject("source").getString("kind")).isEqualTo("ad-hoc");
        assertThat(answer.getJsonObject("source").getJsonObject("cost").getDouble("epsilon")).isEqualTo(5.0);
    }

    @Test
    @Order(3)
    void deletedRowsAndOtherCitiesAreNotCounted() {
        JsonObject answer = ok(OPERATOR_KEY, "{\"filter\": {\"districts\": [\"Saarn\", \"Styrum\"]}}");
        Predicate<Person> matches = p -> "Saarn".equals(p.district()) || "Styrum".equals(p.district());
        Question q = CanonicalQuestion.of("audience.size").anyOf("districts", List.of("Saarn", "Styrum")).build();
        assertThat(answer.getString("question")).isEqualTo(q.canonicalForm());
        Predicate<PublishedCells.Cell> cells = c -> Set.of("Saarn", "Styrum").contains(c.district());
        assertPublished(answer.getJsonObject("count"), published.sum("all", cells));
        long live = fixture.count(matches);
        long withDeletedAndStrangers = fixture.countIncludingDeletedAndOtherCities(matches);
        assertThat(withDeletedAndStrangers - live).isGreaterThan(60);
        // Beneath its noise (drawn again with the service's key) the publication counted exactly the live rows.
        long counted = published.trueCounts("all", prfKey).entrySet().stream()
                .filter(e -> Set.of("Saarn", "Styrum").contains(e.getKey().get(2))).mapToLong(Map.Entry::getValue).sum();
        assertThat(counted).isEqualTo(live);
    }

    @Test
    @Order(4)
    void aBreakdownShowsEveryDistrictAndTheSameCountAsWithoutIt() {
        JsonObject plain = ok(OPERATOR_KEY, "{\"filter\": {\"ageFrom\": 25}}");
        JsonObject answer = ok(OPERATOR_KEY, "{\"filter\": {\"ageFrom\": 25}, \"breakdown\": \"district\"}");
        assertThat(answer.getJsonObject("count")).isEqualTo(plain.getJsonObject("count"));
        assertThat(answer.getString("question")).isEqualTo("audience.size?age=25..120&breakdown=district");
        Set<String> bands = Set.of("25-34", "35-49", "50-64", "65-79", "80+");
        assertPublished(answer.getJsonObject("count"), published.sum("all", c -> bands.contains(c.ageBand())));
        JsonArray cells = answer.getJsonArray("cells");
        List<String> labels = new ArrayList<>(ProfileFixture.DISTRICTS);
        labels.add("other");
        assertThat(cells.stream().map(c -> ((JsonObject) c).getString("label"))).containsExactlyInAnyOrderElementsOf(labels);
        // The parts are rounded together so that they add up to the count.
        List<Predicate<PublishedCells.Cell>> perDistrict = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            String d = cells.getJsonObject(i).getString("label");
            perDistrict.add(c -> c.district().equals(d));
        }
        List<Long> parts = published.breakdown("all", c -> bands.contains(c.ageBand()), perDistrict);
        for (int i = 0; i < cells.size(); i++) assertPublished(cells.getJsonObject(i), parts.get(i));
    }

    @Test
    @Order(5)
    void aPersonaBreakdownIsSummedFromEachPersonasSlice() {
        JsonObject answer = ok(OPERATOR_KEY, "{\"filter\": {\"genders\": [\"FEMALE\"]}, \"breakdown\": \"persona\"}");
        List<String> labels = new ArrayList<>(personasOfTheCity());
        labels.add("other");
        JsonArray cells = answer.getJsonArray("cells");
        assertThat(cells.size()).isEqualTo(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            assertThat(cells.getJsonObject(i).getString("label")).isEqualTo(labels.get(i));
            // Each persona's cell is summed from that persona's slice of the publication.
            assertPublished(cells.getJsonObject(i), published.sum("persona:" + labels.get(i), c -> c.gender().equals("FEMALE")));
        }
        // A woman with two personas is counted in both cells: the cells may add up to more than the audience.
        long sumOfTrueCells = labels.stream().filter(l -> !l.equals("other"))
                .mapToLong(l -> fixture.count(p -> p.gender().equals("FEMALE") && p.personas().contains(l))).sum();
        assertThat(sumOfTrueCells).isGreaterThan(fixture.count(p -> p.gender().equals("FEMALE")));
    }

    @Test
    @Order(6)
    void aSmallCellIsShownAsSuppressedNeverAsANumber() {
        JsonObject answer = ok(OPERATOR_KEY, "{\"filter\": {\"interests\": [\"Schach\"]}}");
        assertThat(fixture.count(p -> p.interests().contains(ProfileFixture.RARE_INTEREST))).isEqualTo(3);
        JsonObject count = answer.getJsonObject("count");
        assertThat(count.getBoolean("suppressed")).isTrue();
        assertThat(count.getValue("value")).isNull();
        assertThat(count.getString("display")).contains("10");
        assertReleasedCount(answer, CanonicalQuestion.of("audience.size").anyOf("interests", List.of("schach")).build(),
                p -> p.interests().contains(ProfileFixture.RARE_INTEREST));
    }

    @Test
    @Order(7)
    void theSameQuestionRephrasedGetsTheIdenticalAnswerForFree() {
        JsonObject first = ok(OPERATOR_KEY, "{\"filter\": {\"householdTypes\": [\"FAMILY\", \"COUPLE\"], \"ageFrom\": 30}}");
        JsonObject again = ok(OPERATOR_KEY, "{\"filter\": {\"ageTo\": 120, \"ageFrom\": 30, \"householdTypes\": [\"couple\", \"family\", \"FAMILY\"]}}");
        if (!first.getString("dataVersion").equals(again.getString("dataVersion"))) {
            first = again; // the hour turned between the two calls: ask once more within the new version
            again = ok(OPERATOR_KEY, "{\"filter\": {\"ageFrom\": 30, \"householdTypes\": [\"COUPLE\", \"FAMILY\"]}}");
        }
        assertThat(again.getString("question")).isEqualTo(first.getString("question"));
        assertThat(again.getJsonObject("count")).isEqualTo(first.getJsonObject("count"));
        assertThat(again.getJsonObject("privacy").getBoolean("repeated")).isTrue();
        assertThat(again.getJsonObject("privacy").getDouble("epsilonSpent")).isZero();
    }

    // ---- errors ------------------------------------------------------------------------------------------

    @Test
    @Order(10)
    void unauthenticatedAndUnauthorisedCallersAreRefused() {
        Resp missing = post(null, "application/json", "{}");
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.message()).contains("missing Authorization header");
        Resp unknown = post("not-a-key", "application/json", "{}");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.message()).isEqualTo("unknown API key");
        Resp portal = post(PORTAL_KEY, "application/json", "{}");
        assertThat(portal.status()).isEqualTo(403);
        assertThat(portal.message()).contains("PORTAL may not query");
        Resp stranger = post(STRANGER_KEY, "application/json", "{}");
        assertThat(stranger.status()).isEqualTo(403);
        assertThat(stranger.message()).contains("nachbarstadt").contains("no query configuration");
        assertThat(get(null, "/api/v1/privacy/budget").status()).isEqualTo(401);
        assertThat(get(STRANGER_KEY, "/api/v1/privacy/budget").status()).isEqualTo(403);
        assertThat(get(PORTAL_KEY, "/api/v1/audiences/dimensions").status()).isEqualTo(403);
    }

    @Test
    @Order(11)
    void badRequestsAreRejectedWithFieldAndReason() {
        Resp bad = post(OPERATOR_KEY, "application/json",
                "{\"filter\": {\"ageFrom\": 130, \"districts\": [\"Atlantis\"], \"colour\": 1}, \"breakdown\": \"shoe\"}");
        assertThat(bad.status()).isEqualTo(400);
        JsonArray problems = bad.json().getJsonObject("error").getJsonArray("problems");
        assertThat(problems.stream().map(p -> ((JsonObject) p).getString("field")))
                .containsExactlyInAnyOrder("filter.ageFrom", "filter.districts[0]", "filter.colour", "breakdown");
        assertThat(problems.encode()).contains("must be between 0 and 120").contains("not a district of musterstadt");

        Resp malformed = post(OPERATOR_KEY, "application/json", "{\"filter\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body()).contains("\"field\":\"body\"").contains("malformed JSON");

        Resp injection = post(OPERATOR_KEY, "application/json", "{\"filter\": {\"districts\": [\"Saarn' OR '1'='1\"]}}");
        assertThat(injection.status()).isEqualTo(400);
        assertThat(injection.body()).contains("filter.districts[0]");
    }

    @Test
    @Order(12)
    void hugeBodiesWrongContentTypesAndUnknownRoutes() throws Exception {
        String huge = "{\"filter\": {\"interests\": [\"" + "x".repeat(MAX_BODY) + "\"]}}";
        Resp tooLarge = post(OPERATOR_KEY, "application/json", huge);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.message()).contains("larger than " + MAX_BODY + " bytes");
        Resp text = post(OPERATOR_KEY, "text/plain", "{}");
        assertThat(text.status()).isEqualTo(415);
        assertThat(text.message()).contains("application/json").contains("text/plain");
        Resp none = get(OPERATOR_KEY, "/api/v1/audiences/everyone");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.message()).contains("no such endpoint").contains("/api/v1/audiences/everyone");
        Resp wrongMethod = get(OPERATOR_KEY, SIZE);
        assertThat(wrongMethod.status()).isEqualTo(405);
        RawHttp.Response badEscape = RawHttp.get("127.0.0.1", verticle.actualPort(), "/api/v1/audiences/%zz");
        assertThat(badEscape.status()).isEqualTo(400);
        assertThat(badEscape.body()).contains("\"field\":\"path\"").contains("'%zz'");
    }

    @Test
    @Order(20)
    void anExhaustedBudgetIs429WithRetryAfterAndRenewalButRepeatsStayFree() {
        // The test policy gives participants ε = 1 per question and 2 per day: two new questions, then 429.
        // Questions with a consent filter are not published: each is released for itself and paid.
        JsonObject first = ok(PARTICIPANT_KEY, "{\"filter\": {\"genders\": [\"MALE\"], \"consentOffers\": true}}");
        ok(PARTICIPANT_KEY, "{\"filter\": {\"genders\": [\"FEMALE\"], \"consentOffers\": true}}");
        Resp refused = post(PARTICIPANT_KEY, "application/json", "{\"filter\": {\"genders\": [\"DIVERSE\"], \"consentOffers\": true}}");
        assertThat(refused.status()).isEqualTo(429);
        long retryAfter = Long.parseLong(refused.headers().get("Retry-After"));
        JsonObject error = refused.json().getJsonObject("error");
        Instant renewsAt = Instant.parse(error.getString("renewsAt"));
        assertThat(renewsAt).isAfter(Instant.now());
        assertThat(retryAfter).isPositive().isLessThanOrEqualTo(Duration.between(Instant.now(), renewsAt).toSeconds() + 2);
        assertThat(error.getString("message")).contains("privacy budget exhausted");

        Resp repeated = post(PARTICIPANT_KEY, "application/json", "{\"filter\": {\"consentOffers\": true, \"genders\": [\"male\"]}}");
        if (repeated.json().containsKey("dataVersion")
                && repeated.json().getString("dataVersion").equals(first.getString("dataVersion"))) {
            assertThat(repeated.status()).isEqualTo(200);
            assertThat(repeated.json().getJsonObject("count")).isEqualTo(first.getJsonObject("count"));
        }
        Resp budget = get(PARTICIPANT_KEY, "/api/v1/privacy/budget");
        assertThat(budget.status()).isEqualTo(200);
        assertThat(budget.json().getDouble("remainingDay")).isLessThan(1.0);
        // A published question still answers, free, with the day budget spent.
        JsonObject free = ok(PARTICIPANT_KEY, "{\"filter\": {\"genders\": [\"DIVERSE\"]}}");
        assertThat(free.getJsonObject("source").getString("kind")).isEqualTo("publication");
    }

    // ---- no individual data, on any route ------------------------------------------------------------------

    @Test
    @Order(100)
    void noRouteEverReturnsAPseudonymRowOrReceipt() {
        List<Route> routes = verticle.router().getRoutes().stream().filter(r -> r.getPath() != null).toList();
        assertThat(routes.stream().map(Route::getPath)).contains(SIZE, "/api/v1/audiences/dimensions",
                "/api/v1/privacy/budget", "/api/v1/openapi.yaml", "/health", "/api/v1/campaigns/reach",
                "/api/v1/campaigns", "/api/v1/campaigns/:id", "/api/v1/campaigns/:id/results",
                "/api/v1/operator/campaigns", "/api/v1/operator/campaigns/weekly-cap");
        // a campaign of the participant, so that its routes answer with its data rather than 404
        Resp created = send(HttpMethod.POST, "/api/v1/campaigns", PARTICIPANT_KEY, "application/json",
                "{\"audience\": {\"interests\": [\"sport\"]}, \"channel\": \"NEWSLETTER\", \"offer\": {\"title\":"
                        + " \"Sportwoche\", \"text\": \"Laufschuhe -20 %\", \"validFrom\": \"" + Instant.now() + "\","
                        + " \"validUntil\": \"" + Instant.now().plus(Duration.ofDays(7)) + "\"}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String campaign = created.json().getString("campaignId");
        // the operator's weekly-cap figures, while the campaign runs (the walk below ends it)
        Resp weeklyCap = get(OPERATOR_KEY, "/api/v1/operator/campaigns/weekly-cap");
        assertThat(weeklyCap.status()).as(weeklyCap.body()).isEqualTo(200);
        assertThat(weeklyCap.body()).as("one released figure per running campaign").contains(campaign)
                .contains("\"kind\":\"campaign.held_by_weekly_cap\"");
        for (Route route : routes) {
            Set<HttpMethod> methods = route.methods() == null || route.methods().isEmpty()
                    ? Set.of(HttpMethod.GET, HttpMethod.POST) : route.methods();
            String path = route.getPath().replace(":id", campaign);
            for (HttpMethod method : methods) {
                for (String key : List.of(OPERATOR_KEY, PARTICIPANT_KEY)) {
                    for (String body : List.of("{}", "{\"breakdown\": \"persona\"}", "{\"breakdown\": \"district\"}",
                            "{\"audience\": {}}")) {
                        Resp r = send(method, path, key, "application/json", body);
                        assertThat(r.status()).as(method + " " + path).isLessThan(500);
                    }
                }
            }
        }
        assertThat(bodies).anyMatch(b -> b.contains(campaign) && b.contains("Sportwoche"));
        assertThat(get(null, "/health").body()).contains("UP");
        assertThat(get(null, "/api/v1/openapi.yaml").body()).startsWith("openapi: 3").contains(SIZE);
        assertThat(bodies).hasSizeGreaterThan(30);
        for (String pseudonym : fixture.pseudonyms()) {
            assertThat(bodies).noneMatch(b -> b.contains(pseudonym));
        }
        assertThat(bodies).noneMatch(b -> b.contains("psn-"));
    }

    @Test
    @Order(101)
    void deployReturnsTheBoundPortOfAWorkingServer() {
        Settings second = settings.with(Map.of(QueryConfig.AUDIT_LOG.name(), dir.resolve("second/audit.log").toString(),
                QueryConfig.BUDGET_LEDGER.name(), dir.resolve("second/ledger.log").toString()));
        Vertx other = Vertx.vertx();
        try {
            int port = QueryServer.deploy(other, second).await();
            assertThat(port).isPositive().isNotEqualTo(verticle.actualPort());
            HttpResponse<Buffer> health = WebClient.create(other).get(port, "127.0.0.1", "/health").send().await();
            assertThat(health.statusCode()).isEqualTo(200);
        } finally {
            other.close().await();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private DisclosureControl expectedDisclosure() {
        return new DisclosureControl(policy, BudgetLedger.inMemory(), AuditLog.inMemory(), prfKey, Clock.systemUTC());
    }

    /** A figure summed from the publication: at least zero, suppressed below the minimum cell size. */
    private void assertPublished(JsonObject actual, long sum) {
        JsonObject expected = PublishedCells.shown(sum, policy.rules(ProfileFixture.CITY, AskerRole.OPERATOR));
        assertThat(actual.getBoolean("suppressed")).isEqualTo(expected.getBoolean("suppressed"));
        assertThat(actual.getValue("value") == null ? null : actual.getLong("value"))
                .isEqualTo(expected.getValue("value") == null ? null : expected.getLong("value"));
        assertThat(actual.getString("display")).isEqualTo(expected.getString("display"));
    }

    private void assertReleasedCount(JsonObject answer, Question question, Predicate<Person> matches) {
        assertThat(answer.getString("question")).isEqualTo(question.canonicalForm());
        Release expected = expectedDisclosure().releaseCounts(OPERATOR, question, answer.getString("dataVersion"),
                List.of(new TrueCell("", fixture.count(matches))));
        assertCell(answer.getJsonObject("count"), expected.cells().get(0));
    }

    private List<String> personasOfTheCity() {
        return new de.prokommun.insights.query.audience.CityCatalog(dir.resolve("cities"))
                .city(ProfileFixture.CITY).orElseThrow().personas();
    }

    private record Resp(int status, MultiMap headers, String body) {
        JsonObject json() { return new JsonObject(body); }

        String message() { return json().getJsonObject("error").getString("message"); }
    }

    private JsonObject ok(String key, String body) {
        Resp r = post(key, "application/json", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private Resp post(String key, String contentType, String body) {
        return send(HttpMethod.POST, SIZE, key, contentType, body);
    }

    private Resp get(String key, String path) {
        return send(HttpMethod.GET, path, key, null, null);
    }

    private Resp send(HttpMethod method, String path, String key, String contentType, String body) {
        HttpRequest<Buffer> request = http.request(method, path);
        if (key != null) request.putHeader("Authorization", "Bearer " + key);
        if (contentType != null) request.putHeader("Content-Type", contentType);
        HttpResponse<Buffer> response = (body == null || method == HttpMethod.GET ? request.send()
                : request.sendBuffer(Buffer.buffer(body))).await();
        String text = response.bodyAsString() == null ? "" : response.bodyAsString();
        bodies.add(text);
        return new Resp(response.statusCode(), response.headers(), text);
    }

    private void writeProfiles(Settings base) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "audience-size-it");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        String topic = Topics.PROFILES.name(base);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (ProfileRow row : fixture.rows()) {
                producer.send(new ProducerRecord<>(topic, row.getPseudonym(), Topics.PROFILES.codec().encode(row)));
            }
            producer.commitTransaction();
        }
        String table = PinotTables.PROFILES.name();
        long expected = fixture.people.size();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        long seen = -1;
        while (Instant.now().isBefore(deadline)) {
            try {
                seen = pinot.queryCount("SELECT COUNT(*) FROM " + table + " WHERE version = 2");
                if (seen == expected && pinot.queryCount("SELECT COUNT(*) FROM " + table) == expected) return;
            } catch (IllegalStateException notYet) {
                // the table's consuming segment may not be queryable yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Pinot shows " + seen + " of " + expected + " profiles after 2 minutes; log "
                + pinot.logFile());
    }

    private static String testPolicy() {
        return """
                {"city": "musterstadt", "timeZone": "Europe/Berlin", "roles": {
                  "operator": {"mechanism": "discrete-laplace", "epsilonPerQuestion": 5, "delta": 0, "minCellSize": 10,
                               "budget": {"day": 10000, "month": 100000}, "sameAnswerWithinVersion": true},
                  "participant": {"mechanism": "discrete-laplace", "epsilonPerQuestion": 1, "delta": 0, "minCellSize": 10,
                                  "budget": {"day": 2, "month": 2}, "sameAnswerWithinVersion": true}}}
                """;
    }

    private static String participants() {
        ArrayNode list = JSON.createArrayNode();
        list.addObject().put("id", "stadtmarketing").put("city", "musterstadt").put("role", "OPERATOR")
                .put("apiKeySha256", ParticipantDirectory.digest(OPERATOR_KEY));
        list.addObject().put("id", "baeckerei-schmidt").put("city", "musterstadt").put("role", "PARTICIPANT")
                .put("apiKeySha256", ParticipantDirectory.digest(PARTICIPANT_KEY));
        list.addObject().put("id", "portal").put("city", "musterstadt").put("role", "PORTAL")
                .put("apiKeySha256", ParticipantDirectory.digest(PORTAL_KEY));
        list.addObject().put("id", "kiosk").put("city", "nachbarstadt").put("role", "PARTICIPANT")
                .put("apiKeySha256", ParticipantDirectory.digest(STRANGER_KEY));
        return list.toString();
    }

    private static String randomKey() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
