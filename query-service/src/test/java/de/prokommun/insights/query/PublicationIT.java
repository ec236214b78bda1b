package de.prokommun.insights.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.privacy.PrivacyPolicy;
import de.prokommun.insights.privacy.RoleRules;
import de.prokommun.insights.query.ProfileFixture.Person;
import de.prokommun.insights.query.api.QueryVerticle;
import de.prokommun.insights.query.publication.JourneyConsistency;
import de.prokommun.insights.query.publication.JourneyGroup;
import de.prokommun.insights.query.publication.PurchaseFigureKey;
import de.prokommun.insights.query.publication.PurchasePublication;
import de.prokommun.insights.query.publication.PurchaseStore;
import de.prokommun.insights.query.publication.SegmentedFigure;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published statistics end to end (real Kafka, real Pinot, the service over HTTP with the city-wide cap
 * enforced): the publication counts exactly the live profiles beneath its noise (the noise is drawn again here
 * with the service's key); hundreds of answerable questions from different accounts cost nothing and get the
 * identical figures, which are the sums of the published cells computed here independently; a question the
 * publication cannot answer is ad hoc and paid from the account's part of the cap; a restart serves the same
 * publication without paying again. The journey and voucher figures of the current month (contribution rows written
 * here) are published in the same run as their own release: the measured values are the truth beneath noise of
 * the σ the file states, the served figures are their consistent post-processing, journey answers come from the
 * publication (free, identical for two operator accounts) and a participant reads only rows that involve itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PublicationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SIZE = "/api/v1/audiences/size";
    private static final String BAKERY = randomKey();
    private static final String OPTICIAN = randomKey();
    private static final String OPERATOR = randomKey();
    private static final String OPERATOR_TWO = randomKey();
    private static final String BAKERY_ID = "baeckerei-schmidt";
    private static final String OPTICIAN_ID = "optik-meyer";
    private static final String BUTCHER_ID = "metzgerei-brand";
    private static final java.time.ZoneId BERLIN = java.time.ZoneId.of("Europe/Berlin");
    private static final List<String> BANDS = List.of("0-13", "14-17", "18-24", "25-34", "35-49", "50-64", "65-79", "80+");
    private static final int[] BAND_FROM = {0, 14, 18, 25, 35, 50, 65, 80};
    private static final int[] BAND_TO = {13, 17, 24, 34, 49, 64, 79, 120};

    @TempDir
    static Path dir;

    private final ProfileFixture fixture = new ProfileFixture(20261204L);
    private QueryServiceTestBed bed;
    private WebClient http;
    private PublishedCells published;
    private RoleRules participantRules;
    private RoleRules operatorRules;
    private final java.time.YearMonth thisMonth = java.time.YearMonth.now(BERLIN);
    /** The journey release as written by the service. */
    private JsonObject journey;
    /** The purchase statistics as written by the service. */
    private PurchasePublication purchases;

    @BeforeAll
    void startEverything() throws Exception {
        bed = QueryServiceTestBed.start(dir);
        bed.writeCommitted(Topics.PROFILES, fixture.rows(), ProfileRow::getPseudonym);
        awaitProfiles();
        List<ContributionDelta> journeyRows = journeyRows();
        bed.writeCommitted(Topics.CONTRIBUTIONS, journeyRows, d -> d.getCity() + "/" + d.getMeasure());
        bed.awaitRows(PinotTables.CONTRIBUTIONS.name(), journeyRows.size());
        // the taxonomy: the purchase statistics publish buyers per category (the assortment check reads them)
        Path city = bed.city(ProfileFixture.CITY, "city.json", "personas.json", "taxonomy.json");
        Files.writeString(city.resolve("participants-catalogue.json"), catalogue());
        Path policyFile = Files.writeString(dir.resolve("privacy-it.json"), testPolicy());
        participantRules = PrivacyPolicy.of(PrivacyPolicy.load(policyFile)).rules(ProfileFixture.CITY, AskerRole.PARTICIPANT);
        operatorRules = PrivacyPolicy.of(PrivacyPolicy.load(policyFile)).rules(ProfileFixture.CITY, AskerRole.OPERATOR);
        http = bed.serve(policyFile, Files.writeString(dir.resolve("participants.json"), participants()),
                Clock.systemUTC(), false, new PoolOptions(), Map.of(
                        QueryConfig.CITY_BUDGET_ENFORCED.name(), "true",
                        QueryConfig.PUBLICATIONS_PER_MONTH.name(), "1",
                        // The purchase statistics are published from the same rows (customers per participant):
                        // "Meine Kundschaft" and the assortment check are read from them.
                        QueryConfig.PURCHASE_PUBLICATION_ENABLED.name(), "true",
                        QueryConfig.JOURNEY_PUBLICATION_ENABLED.name(), "true"));
        published = new PublishedCells(bed.awaitPublication(ProfileFixture.CITY));
        journey = awaitJourney();
        purchases = awaitPurchases();
    }

    @AfterAll
    void stopEverything() {
        if (bed != null) bed.close();
    }

    @Test
    @Order(1)
    void thePublicationCountsExactlyTheLiveProfilesBeneathItsNoise() {
        byte[] key = bed.prfKey();
        // family is household type FAMILY: answered from the cells of everybody, no slice of its own
        assertThat(published.slices.keySet()).contains("all", "persona:student", "persona:other", "interest:sport")
                .doesNotContain("interest:schach", "persona:family", "persona:senior");
        assertTruth(published.trueCounts("all", key), p -> true);
        assertTruth(published.trueCounts("persona:student", key), p -> p.personas().contains("student"));
        assertTruth(published.trueCounts("persona:other", key), p -> p.personas().isEmpty());
        assertTruth(published.trueCounts("interest:sport", key), p -> p.interests().contains("sport"));
        // Recent activity: each live profile in the bucket of its last purchase (never bought = "older").
        Map<List<String>, Long> byActivity = new HashMap<>();
        published.trueActivityCounts("all", key).forEach((cell, n) -> byActivity.merge(List.of(cell.get(4)), n, Long::sum));
        Map<List<String>, Long> expectedActivity = new HashMap<>();
        for (ProfileFixture.Person p : fixture.people) {
            if (!p.city().equals(ProfileFixture.CITY) || p.deleted()) continue;
            Integer days = p.daysSinceLastPurchase();
            String bucket = days == null ? "older" : days <= 7 ? "within7" : days <= 30 ? "within30"
                    : days <= 90 ? "within90" : days <= 365 ? "within365" : "older";
            expectedActivity.merge(List.of(bucket), 1L, Long::sum);
        }
        assertThat(expectedActivity).hasSize(5);
        byActivity.values().removeIf(n -> n == 0);
        assertThat(byActivity).isEqualTo(expectedActivity);
        // The noise is really there: most measured nodes differ from their truth.
        Map<List<String>, Long> truth = published.nodeTruth("all", key);
        List<Map.Entry<List<String>, Long>> nodes = published.measured.get("all");
        assertThat(nodes.stream().filter(n -> !n.getValue().equals(truth.get(n.getKey()))).count())
                .isGreaterThan(nodes.size() / 2);
        // Every marginal is measured: the slice's total beneath its noise is the number of live profiles.
        assertThat(truth.get(List.of("total"))).isEqualTo(fixture.count(p -> true));
        // The integer cells are the estimates rounded (each within 1), adding up to the rounded total.
        assertThat(published.sum("all", c -> true)).isEqualTo(Math.round(published.estimate("all", c -> true)));
    }

    @Test
    @Order(2)
    void threeHundredAnswerableQuestionsFromTwoAccountsCostNothingAndAreTheSumsOfThePublishedCells() {
        List<Question> questions = answerableQuestions();
        assertThat(questions).hasSizeGreaterThanOrEqualTo(300);
        for (Question q : questions) {
            JsonObject bakery = ok(BAKERY, q.body());
            JsonObject optician = ok(OPTICIAN, q.body());
            assertThat(bakery.getJsonObject("source").getString("kind")).as(q.body()).isEqualTo("publication");
            assertThat(bakery.getJsonObject("source").getString("publicationId")).isEqualTo(published.id);
            assertThat(bakery.getJsonObject("privacy").getDouble("epsilonSpent")).isZero();
            assertSameFigures(optician, bakery, q.body());
            assertShown(bakery.getJsonObject("count"), published.sum(q.slice(), q.cells()), q.body());
        }
        // A breakdown is the per-label sum of the integer cells, adding up to the count, for every asker the same.
        JsonObject districts = ok(BAKERY, "{\"filter\": {\"ageFrom\": 25, \"ageTo\": 64}, \"breakdown\": \"district\"}");
        JsonArray cells = districts.getJsonArray("cells");
        Predicate<PublishedCells.Cell> workingAge = c -> Set.of("25-34", "35-49", "50-64").contains(c.ageBand());
        List<Predicate<PublishedCells.Cell>> perDistrict = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            String district = cells.getJsonObject(i).getString("label");
            perDistrict.add(c -> c.district().equals(district));
        }
        List<Long> parts = published.breakdown("all", workingAge, perDistrict);
        for (int i = 0; i < cells.size(); i++) {
            assertShown(cells.getJsonObject(i), parts.get(i), cells.getJsonObject(i).getString("label"));
        }
        assertShown(districts.getJsonObject("count"), published.sum("all", workingAge), "district breakdown count");
        assertSameFigures(ok(OPERATOR, "{\"filter\": {\"ageTo\": 64, \"ageFrom\": 25}, \"breakdown\": \"district\"}"),
                districts, "operator");

        // The operator's city pulse (active within 7 days, per persona) is published too: each persona's part is
        // the sum of the "within7" cells of its slice, free, the same for the operator and a participant.
        String pulseQuestion = "{\"filter\": {\"activeWithinDays\": 7}, \"breakdown\": \"persona\"}";
        JsonObject pulse = ok(OPERATOR, pulseQuestion);
        assertThat(pulse.getJsonObject("source").getString("kind")).isEqualTo("publication");
        assertThat(pulse.getJsonObject("privacy").getDouble("epsilonSpent")).isZero();
        Predicate<PublishedCells.Cell> recent = c -> c.activity().equals("within7");
        JsonArray personas = pulse.getJsonArray("cells");
        for (int i = 0; i < personas.size(); i++) {
            String persona = personas.getJsonObject(i).getString("label");
            long sum = published.sum("persona:" + persona, recent);
            JsonObject shown = PublishedCells.shown(sum, operatorRules);
            JsonObject cell = personas.getJsonObject(i);
            assertThat(cell.getValue("value") == null ? null : cell.getLong("value")).as(persona)
                    .isEqualTo(shown.getValue("value") == null ? null : shown.getLong("value"));
        }
        assertShown(ok(BAKERY, pulseQuestion).getJsonObject("count"), published.sum("all", recent), "pulse count");

        JsonObject budget = get(BAKERY, "/api/v1/privacy/budget").getJsonObject("city");
        assertThat(budget.getJsonObject("account").getDouble("spentRho")).isZero();
        assertThat(budget.getJsonObject("adHoc").getDouble("spentRho")).isZero();
        // the audience cube, the journey release and the purchase statistics of the run, nothing else
        double publications = published.rho + journey.getDouble("rho") + purchases.rho();
        assertThat(budget.getJsonObject("publications").getDouble("spentRho"))
                .isCloseTo(publications, org.assertj.core.data.Offset.offset(1e-12)).isPositive();
        assertThat(budget.getJsonObject("spent").getDouble("rho")).isCloseTo(publications,
                org.assertj.core.data.Offset.offset(1e-12));
        assertThat(budget.getJsonObject("cap").getDouble("epsilon")).isEqualTo(20.0);
        assertThat(budget.getJsonObject("cap").getDouble("rho")).isGreaterThan(published.rho);
    }

    @Test
    @Order(3)
    void aQuestionThePublicationCannotAnswerIsAdHocAndPaidFromTheAccountsPartOfTheCap() {
        JsonObject answer = ok(BAKERY, "{\"filter\": {\"ageFrom\": 30, \"consentOffers\": true}}");
        JsonObject source = answer.getJsonObject("source");
        assertThat(source.getString("kind")).isEqualTo("ad-hoc");
        assertThat(source.getJsonObject("cost").getDouble("epsilon")).isEqualTo(0.5);
        assertThat(source.getJsonObject("cost").getDouble("rho")).isEqualTo(0.125);
        JsonObject city = get(BAKERY, "/api/v1/privacy/budget").getJsonObject("city");
        assertThat(city.getJsonObject("account").getDouble("spentRho")).isEqualTo(0.125);
        assertThat(city.getJsonObject("adHoc").getDouble("spentRho")).isEqualTo(0.125);
        assertThat(city.getJsonObject("spent").getDouble("rho")).isCloseTo(published.rho + journey.getDouble("rho") + purchases.rho() + 0.125,
                org.assertj.core.data.Offset.offset(1e-12));
        // The other account's part is untouched.
        assertThat(get(OPTICIAN, "/api/v1/privacy/budget").getJsonObject("city").getJsonObject("account")
                .getDouble("spentRho")).isZero();
        // The account's part (ρ_cap · 0.5 / 3 ≈ 0.558) pays four such questions; the fifth is refused by the
        // city-wide cap, while published figures stay free.
        for (int age = 31; age <= 33; age++) {
            assertThat(ok(BAKERY, "{\"filter\": {\"ageFrom\": " + age + ", \"consentOffers\": true}}")
                    .getJsonObject("source").getJsonObject("cost").getDouble("rho")).isEqualTo(0.125);
        }
        HttpResponse<Buffer> refused = http.post(SIZE).putHeader("Authorization", "Bearer " + BAKERY)
                .putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer("{\"filter\": {\"ageFrom\": 34, \"consentOffers\": true}}")).await();
        assertThat(refused.statusCode()).isEqualTo(429);
        JsonObject error = refused.bodyAsJsonObject().getJsonObject("error");
        assertThat(error.getString("scope")).isEqualTo("CITY_AD_HOC_ACCOUNT");
        assertThat(error.getString("message")).contains("City-wide").contains("published statistics stay free");
        assertThat(ok(BAKERY, "{\"filter\": {\"districts\": [\"Saarn\"]}}").getJsonObject("source")
                .getString("kind")).isEqualTo("publication");
        // Every gender ticked is no gender filter: the same (published) question as without it.
        assertSameFigures(ok(OPTICIAN, "{\"filter\": {\"genders\": [\"FEMALE\", \"MALE\", \"DIVERSE\", \"UNKNOWN\"],"
                + " \"districts\": [\"Saarn\"]}}"), ok(BAKERY, "{\"filter\": {\"districts\": [\"Saarn\"]}}"), "all genders");
    }

    @Test
    @Order(4)
    void aRestartedServiceServesTheSamePublicationWithoutPayingAgain() throws Exception {
        JsonObject before = ok(BAKERY, "{\"filter\": {\"districts\": [\"Broich\"]}}");
        Settings settings = bed.settings().with(Map.of(
                QueryConfig.AUDIT_LOG.name(), dir.resolve("second/audit.log").toString(),
                QueryConfig.BUDGET_LEDGER.name(), dir.resolve("second/ledger.log").toString()));
        Vertx other = Vertx.vertx();
        try {
            QueryVerticle second = QueryServer.create(settings, Clock.systemUTC());
            other.deployVerticle(second).await();
            WebClient client = WebClient.create(other, new WebClientOptions().setDefaultHost("127.0.0.1")
                    .setDefaultPort(second.actualPort()));
            HttpResponse<Buffer> r = client.post(SIZE).putHeader("Authorization", "Bearer " + OPTICIAN)
                    .putHeader("Content-Type", "application/json")
                    .sendBuffer(Buffer.buffer("{\"filter\": {\"districts\": [\"Broich\"]}}")).await();
            JsonObject after = r.bodyAsJsonObject();
            assertThat(after.getJsonObject("source").getString("publicationId")).isEqualTo(published.id);
            assertSameFigures(after, before, "after restart");
            JsonObject city = client.get("/api/v1/privacy/budget").putHeader("Authorization", "Bearer " + OPTICIAN)
                    .send().await().bodyAsJsonObject().getJsonObject("city");
            assertThat(city.getJsonObject("publications").getDouble("spentRho")).isCloseTo(
                    published.rho + journey.getDouble("rho") + purchases.rho(), org.assertj.core.data.Offset.offset(1e-12));
            // the journey release is served again from its file, unpaid
            HttpResponse<Buffer> j = client.post("/api/v1/journey/first-visits").putHeader("Authorization", "Bearer " + OPERATOR)
                    .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(journeyBody(""))).await();
            assertThat(j.bodyAsJsonObject().getJsonObject("source").getString("publicationId")).isEqualTo(journey.getString("id"));
        } finally {
            other.close().await();
        }
    }

    @Test
    @Order(5)
    void theJourneyFiguresArePublishedOnceAndAnsweredFromThePublicationWithinEachAskersScope() {
        String month = thisMonth.toString();
        JsonObject measured = journey.getJsonObject("measured").getJsonObject(month);
        JsonObject figures = journey.getJsonObject("figures").getJsonObject(month);
        JsonObject noise = journey.getJsonObject("noise");
        assertThat(journey.getString("id")).isEqualTo(published.id + "/journey");
        // the measurements are the truth beneath noise of the stated σ (6σ: fails for a wrong truth of that size)
        journeyTruth().forEach((group, cells) -> {
            double sigma = Math.sqrt(Double.parseDouble(noise.getString(group)));
            measured.getJsonObject(group).forEach(e -> assertThat((double) ((Number) e.getValue()).longValue()
                    - cells.getOrDefault(e.getKey(), 0L)).as(group + " " + e.getKey()).isBetween(-6 * sigma, 6 * sigma));
        });
        // the served figures are the consistent post-processing of exactly these measurements
        Map<JourneyGroup, Map<String, Long>> asDrawn = new java.util.EnumMap<>(JourneyGroup.class);
        Map<JourneyGroup, Double> variance = new java.util.EnumMap<>(JourneyGroup.class);
        measured.forEach(g -> {
            Map<String, Long> cells = new java.util.LinkedHashMap<>();
            ((JsonObject) g.getValue()).forEach(c -> cells.put(c.getKey(), ((Number) c.getValue()).longValue()));
            asDrawn.put(JourneyGroup.ofKey(g.getKey()), cells);
            variance.put(JourneyGroup.ofKey(g.getKey()), Double.parseDouble(noise.getString(g.getKey())));
        });
        Map<String, Map<String, Long>> expected = JourneyConsistency.publish(asDrawn, variance);
        expected.forEach((group, cells) -> cells.forEach((label, v) ->
                assertThat(figures.getJsonObject(group).getLong(label)).as(group + " " + label).isEqualTo(v)));

        double spentBefore = get(OPERATOR, "/api/v1/privacy/budget").getJsonObject("city").getJsonObject("spent").getDouble("rho");
        String all = "\"participants\": [\"" + BAKERY_ID + "\", \"" + OPTICIAN_ID + "\", \"" + BUTCHER_ID + "\"]";
        JsonObject operator = journeyOk(OPERATOR, "/api/v1/journey/cross-shopping", journeyBody(all));
        JsonObject second = journeyOk(OPERATOR_TWO, "/api/v1/journey/cross-shopping", journeyBody(all));
        assertThat(operator.getJsonObject("source").getString("kind")).isEqualTo("publication");
        assertThat(operator.getJsonObject("source").getString("publicationId")).isEqualTo(journey.getString("id"));
        assertThat(operator.getString("dataVersion")).isEqualTo(journey.getString("id"));
        assertThat(operator.getJsonObject("privacy").getDouble("epsilonSpent")).isZero();
        assertThat(second.getJsonObject("tables").encode()).isEqualTo(operator.getJsonObject("tables").encode());
        assertThat(labels(operator, "shared")).hasSize(6);
        for (JsonObject row : rows(operator, "customers")) {
            assertThat(row.getJsonObject("customers").getLong("value")).as(row.getString("label"))
                    .isEqualTo(shownValue(figures.getJsonObject("customers").getLong(row.getString("label"))));
        }
        assertThat(cell(operator, "shared", BAKERY_ID + "→" + OPTICIAN_ID, "shared"))
                .isEqualTo(cell(operator, "shared", OPTICIAN_ID + "→" + BAKERY_ID, "shared"))
                .isEqualTo(shownValue(figures.getJsonObject("shared").getLong(BAKERY_ID + "→" + OPTICIAN_ID)));
        JsonObject flows = journeyOk(OPERATOR, "/api/v1/journey/flows", journeyBody("\"within\": \"24h\", \"nodes\": [\""
                + BAKERY_ID + "\", \"" + BUTCHER_ID + "\"]"));
        assertThat(cell(flows, "flows", BAKERY_ID + "→" + BUTCHER_ID, "residents"))
                .isEqualTo(shownValue(figures.getJsonObject("flows:24").getLong(BAKERY_ID + "→" + BUTCHER_ID)));
        JsonObject vouchers = journeyOk(OPERATOR, "/api/v1/journey/vouchers", journeyBody(""));
        assertThat(vouchers.getJsonObject("source").getString("kind")).isEqualTo("publication");
        assertThat(labels(vouchers, "summary")).containsExactly("all");
        JsonObject whenWhere = journeyOk(OPERATOR, "/api/v1/journey/when-where", journeyBody(""));
        assertThat(cell(whenWhere, "places", "Saarn", "visits")).isEqualTo(shownValue(figures.getJsonObject("placeVisits").getLong("Saarn")));

        // a participant: its own row of the matrix only, the same published cell as everybody's
        JsonObject bakery = journeyOk(BAKERY, "/api/v1/journey/cross-shopping", journeyBody(all));
        assertThat(bakery.getJsonObject("source").getString("kind")).isEqualTo("publication");
        assertThat(labels(bakery, "customers")).containsExactly(BAKERY_ID);
        assertThat(labels(bakery, "shared")).containsExactlyInAnyOrder(BAKERY_ID + "→" + OPTICIAN_ID, BAKERY_ID + "→" + BUTCHER_ID);
        JsonObject optician = journeyOk(OPTICIAN, "/api/v1/journey/cross-shopping", journeyBody("\"participants\": [\""
                + BAKERY_ID + "\"]"));
        assertThat(labels(optician, "customers")).containsExactly(OPTICIAN_ID);
        assertThat(cell(optician, "shared", OPTICIAN_ID + "→" + BAKERY_ID, "shared"))
                .isEqualTo(cell(bakery, "shared", BAKERY_ID + "→" + OPTICIAN_ID, "shared"));
        // pairs of two others are refused, as ad hoc
        HttpResponse<Buffer> others = http.post("/api/v1/journey/cross-shopping").putHeader("Authorization", "Bearer " + BAKERY)
                .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(journeyBody("\"participants\": [\""
                        + OPTICIAN_ID + "\", \"" + BUTCHER_ID + "\"]"))).await();
        assertThat(others.statusCode()).isEqualTo(403);
        // its voucher sales, not the city's nor another seller's
        JsonObject bakeryVouchers = journeyOk(BAKERY, "/api/v1/journey/vouchers", journeyBody(""));
        assertThat(labels(bakeryVouchers, "giftSold")).containsExactly(BAKERY_ID);
        assertThat(bakeryVouchers.getJsonObject("tables").containsKey("summary")).isFalse();
        assertThat(bakeryVouchers.getJsonObject("tables").containsKey("employer")).isFalse();
        assertThat(cell(bakeryVouchers, "giftSold", BAKERY_ID, "amountCents"))
                .isEqualTo(cell(vouchers, "giftSold", BAKERY_ID, "amountCents"));
        // the merchant dashboard's journey widget ("Meine geteilte Kundschaft": its cross-shopping row and its flows
        // within 7 days with the others it picked) costs the account nothing, whatever it asks of it
        double accountBefore = get(BAKERY, "/api/v1/privacy/budget").getJsonObject("city").getJsonObject("account")
                .getDouble("spentRho");
        String mine = "\"" + BAKERY_ID + "\", \"" + OPTICIAN_ID + "\", \"" + BUTCHER_ID + "\"";
        for (int refresh = 0; refresh < 3; refresh++) {
            JsonObject cross = journeyOk(BAKERY, "/api/v1/journey/cross-shopping", journeyBody("\"participants\": [" + mine + "]"));
            JsonObject widgetFlows = journeyOk(BAKERY, "/api/v1/journey/flows",
                    journeyBody("\"level\": \"participant\", \"nodes\": [" + mine + "], \"within\": \"7d\""));
            for (JsonObject answer : List.of(cross, widgetFlows)) {
                assertThat(answer.getJsonObject("source").getString("kind")).isEqualTo("publication");
                assertThat(answer.getJsonObject("privacy").getDouble("epsilonSpent")).isZero();
            }
            assertThat(cell(widgetFlows, "flows", BAKERY_ID + "→" + BUTCHER_ID, "residents"))
                    .isEqualTo(shownValue(figures.getJsonObject("flows:168").getLong(BAKERY_ID + "→" + BUTCHER_ID)));
        }
        assertThat(get(BAKERY, "/api/v1/privacy/budget").getJsonObject("city").getJsonObject("account")
                .getDouble("spentRho")).isEqualTo(accountBefore);
        // what no publication holds (a segment) stays ad hoc and says so: answered with its cost, or refused by the
        // account's ad-hoc allowance (which earlier tests of this class have mostly spent)
        HttpResponse<Buffer> segmented = http.post("/api/v1/journey/cross-shopping").putHeader("Authorization", "Bearer " + BAKERY)
                .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(journeyBody("\"participants\": ["
                        + mine + "], \"segment\": {\"ageBands\": [\"35-49\"]}"))).await();
        if (segmented.statusCode() == 200) {
            JsonObject source = new JsonObject(segmented.bodyAsString()).getJsonObject("source");
            assertThat(source.getString("kind")).isEqualTo("ad-hoc");
            spentBefore += source.getJsonObject("cost").getDouble("rho");
        } else {
            assertThat(segmented.statusCode()).as(segmented.bodyAsString()).isEqualTo(429);
            assertThat(new JsonObject(segmented.bodyAsString()).getJsonObject("error").getString("scope")).startsWith("CITY_AD_HOC");
        }
        // nothing else of the city-wide cap was spent by any of these answers
        assertThat(get(OPERATOR, "/api/v1/privacy/budget").getJsonObject("city").getJsonObject("spent").getDouble("rho"))
                .isEqualTo(spentBefore);
    }

    @Test
    @Order(6)
    void meineKundschaftAndTheAssortmentCheckAreReadFromThePublicationAndCustomersOnlyByTheirParticipant() {
        String last = thisMonth.minusMonths(1).toString();
        SegmentedFigure bakery = purchases.figures().get(PurchaseFigureKey.customers(BAKERY_ID, last));
        assertThat(bakery).as("the bakery's customers of " + last + " are published").isNotNull();
        assertThat(purchases.id()).isEqualTo(published.id + "/purchases");
        double spentBefore = get(OPERATOR, "/api/v1/privacy/budget").getJsonObject("city").getJsonObject("spent").getDouble("rho");

        // the bakery's own customers of last month by persona: the published figure, free
        JsonObject mine = journeyOk(BAKERY, "/api/v1/insights/customers", "{}");
        assertThat(mine.getJsonObject("source").getString("kind")).isEqualTo("publication");
        assertThat(mine.getJsonObject("source").getString("publicationId")).isEqualTo(purchases.id());
        assertThat(mine.getString("dataVersion")).isEqualTo(purchases.id());
        assertThat(mine.getJsonObject("privacy").getDouble("epsilonSpent")).isZero();
        assertThat(labels(mine, "total")).containsExactly(last);
        assertThat(cell(mine, "total", last, "customers")).isEqualTo(shownValue(bakery.total()));
        for (JsonObject row : rows(mine, "segments")) {
            Long v = bakery.personas().get(row.getString("label"));
            assertThat(row.getJsonObject("customers").getValue("value") == null ? null
                    : row.getJsonObject("customers").getLong("value")).as(row.getString("label"))
                    .isEqualTo(shownValue(v == null ? 0 : v));
        }
        // the operator reads the same published figures when it names the participant
        JsonObject operator = journeyOk(OPERATOR, "/api/v1/insights/customers", "{\"participant\": \"" + BAKERY_ID + "\"}");
        assertThat(operator.getJsonObject("tables").encode()).isEqualTo(mine.getJsonObject("tables").encode());
        // a competitor cannot: 403 before anything is read, whether named directly or through the assortment check
        for (String[] q : new String[][] {{"/api/v1/insights/customers", "{\"participant\": \"" + BAKERY_ID + "\"}"},
                {"/api/v1/insights/assortment-check", "{\"category\": \"lebensmittel.backwaren\", \"years\": 2,"
                        + " \"customerOf\": \"" + BAKERY_ID + "\"}"}}) {
            HttpResponse<Buffer> refused = http.post(q[0]).putHeader("Authorization", "Bearer " + OPTICIAN)
                    .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(q[1])).await();
            assertThat(refused.statusCode()).as(q[0] + " " + refused.bodyAsString()).isEqualTo(403);
            // only the error, and the figure nowhere in it (the status is left out: a total of 403 is possible)
            JsonObject body = new JsonObject(refused.bodyAsString());
            assertThat(body.fieldNames()).containsExactly("error");
            JsonObject error = body.getJsonObject("error").copy();
            error.remove("status");
            assertThat(error.encode()).doesNotContainPattern("\\b" + bakery.total() + "\\b");
        }
        // the optician reads its own, not the bakery's
        JsonObject optician = journeyOk(OPTICIAN, "/api/v1/insights/customers", "{}");
        assertThat(cell(optician, "total", last, "customers")).isEqualTo(shownValue(
                purchases.figures().get(PurchaseFigureKey.customers(OPTICIAN_ID, last)).total()));
        // the operator must say whose customers
        HttpResponse<Buffer> whose = http.post("/api/v1/insights/customers").putHeader("Authorization", "Bearer " + OPERATOR)
                .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{}")).await();
        assertThat(whose.statusCode()).isEqualTo(400);
        assertThat(whose.bodyAsString()).contains("participant");

        // the assortment check: interested, trend, personas and its own customers, all published, free
        JsonObject check = journeyOk(BAKERY, "/api/v1/insights/assortment-check",
                "{\"category\": \"lebensmittel.backwaren\", \"years\": 2}");
        assertThat(check.getJsonObject("source").getString("kind")).isEqualTo("publication");
        assertThat(check.getString("dataVersion")).isEqualTo(purchases.id());
        assertThat(check.getJsonObject("privacy").getDouble("epsilonSpent")).isZero();
        assertThat(check.getJsonObject("tables").fieldNames())
                .containsExactlyInAnyOrder("interested", "trend", "personas", "city", "customers");
        String year = String.valueOf(thisMonth.getYear());
        assertThat(cell(check, "trend", year, "buyers")).isEqualTo(shownValue(
                purchases.figures().get(PurchaseFigureKey.buyers("lebensmittel.backwaren", year)).total()));
        assertThat(cell(check, "interested", year, "stillActive")).isEqualTo(shownValue(
                purchases.figures().get(PurchaseFigureKey.stillActive("lebensmittel.backwaren", year)).total()));
        assertThat(cell(check, "city", "all", "customers")).isEqualTo(shownValue(bakery.total()));
        assertThat(check.getJsonArray("notes").encode()).contains("seasonality").contains("not published");
        // the city's part is the same for another participant
        JsonObject other = journeyOk(OPTICIAN, "/api/v1/insights/assortment-check",
                "{\"category\": \"lebensmittel.backwaren\", \"years\": 2}");
        assertThat(other.getJsonObject("tables").getJsonArray("trend").encode())
                .isEqualTo(check.getJsonObject("tables").getJsonArray("trend").encode());
        assertThat(other.getJsonObject("tables").getJsonArray("personas").encode())
                .isEqualTo(check.getJsonObject("tables").getJsonArray("personas").encode());
        // nothing of the city-wide cap was spent by any of these answers
        assertThat(get(OPERATOR, "/api/v1/privacy/budget").getJsonObject("city").getJsonObject("spent").getDouble("rho"))
                .isEqualTo(spentBefore);
    }

    // ---- journey rows and helpers ------------------------------------------------------------------------------

    /** The true journey figures of the current month that {@link #journeyRows()} write, per published group. */
    private Map<String, Map<String, Long>> journeyTruth() {
        return Map.of(
                "customers", Map.of(BAKERY_ID, 300L, OPTICIAN_ID, 250L, BUTCHER_ID, 200L),
                "shared", Map.of(BAKERY_ID + "→" + OPTICIAN_ID, 120L, BAKERY_ID + "→" + BUTCHER_ID, 80L,
                        OPTICIAN_ID + "→" + BUTCHER_ID, 60L),
                "flows:24", Map.of(BAKERY_ID + "→" + BUTCHER_ID, 40L, BUTCHER_ID + "→" + BAKERY_ID, 25L),
                "flows:168", Map.of(BAKERY_ID + "→" + BUTCHER_ID, 55L, BUTCHER_ID + "→" + BAKERY_ID, 25L),
                "weekdayHour", Map.of("2-09", 500L),
                "placeVisits", Map.of("Saarn", 500L),
                "giftSoldCount", Map.of(BAKERY_ID, 10L));
    }

    private List<ContributionDelta> journeyRows() {
        List<ContributionDelta> rows = new ArrayList<>();
        rows.add(journeyRow("customer_month", BAKERY_ID, null, 300).build());
        rows.add(journeyRow("customer_month", OPTICIAN_ID, null, 250).build());
        rows.add(journeyRow("customer_month", BUTCHER_ID, null, 200).build());
        // last month's customers: what "Meine Kundschaft" shows (the last complete month of the publication)
        rows.add(lastMonth(journeyRow("customer_month", BAKERY_ID, null, 400)).setPersonas(java.util.List.of("family")).build());
        rows.add(lastMonth(journeyRow("customer_month", OPTICIAN_ID, null, 150)).build());
        // this year's buyers of bread rolls: the assortment check's trend
        rows.add(journeyRow("buyer_year", BAKERY_ID, null, 500).setCategory("lebensmittel.backwaren").build());
        for (String[] pair : new String[][] {{BAKERY_ID, OPTICIAN_ID, "120"}, {BAKERY_ID, BUTCHER_ID, "80"},
                {OPTICIAN_ID, BUTCHER_ID, "60"}}) {
            rows.add(journeyRow("shared_customer_month", pair[0], pair[1], Long.parseLong(pair[2])).build());
            rows.add(journeyRow("shared_customer_month", pair[1], pair[0], Long.parseLong(pair[2])).build());
        }
        rows.add(journeyRow("flow_month", BAKERY_ID, BUTCHER_ID, 40).setLagBucket(24).build());
        rows.add(journeyRow("flow_month", BAKERY_ID, BUTCHER_ID, 55).setLagBucket(168).build());
        rows.add(journeyRow("flow_month", BUTCHER_ID, BAKERY_ID, 25).setLagBucket(24).build());
        rows.add(journeyRow("flow_month", BUTCHER_ID, BAKERY_ID, 25).setLagBucket(168).build());
        rows.add(journeyRow("visit", BAKERY_ID, null, 500).setWeekday(2).setHour(9).setPlace("Saarn")
                .setAmountCents(1_000_000).build());
        rows.add(journeyRow("gift_voucher_sold", BAKERY_ID, null, 10).setAmountCents(50_000).build());
        return rows;
    }

    private ContributionDelta.Builder journeyRow(String measure, String participant, String counterpart, long count) {
        java.time.LocalDate day = thisMonth.atDay(1);
        return ContributionDelta.newBuilder().setCity(ProfileFixture.CITY).setMeasure(measure)
                .setDay((int) day.toEpochDay()).setMonth(thisMonth.getYear() * 100 + thisMonth.getMonthValue())
                .setYear(thisMonth.getYear()).setParticipant(participant).setCounterpart(counterpart)
                .setGender("FEMALE").setHouseholdType("SINGLE").setCount(count)
                .setEventTime(day.atStartOfDay(BERLIN).toInstant().toEpochMilli());
    }

    private ContributionDelta.Builder lastMonth(ContributionDelta.Builder row) {
        java.time.YearMonth last = thisMonth.minusMonths(1);
        java.time.LocalDate day = last.atDay(1);
        return row.setDay((int) day.toEpochDay()).setMonth(last.getYear() * 100 + last.getMonthValue())
                .setYear(last.getYear()).setEventTime(day.atStartOfDay(BERLIN).toInstant().toEpochMilli());
    }

    private PurchasePublication awaitPurchases() throws Exception {
        PurchaseStore store = new PurchaseStore(bed.publicationDir());
        for (Instant until = Instant.now().plus(Duration.ofMinutes(2)); Instant.now().isBefore(until); Thread.sleep(200)) {
            java.util.Optional<PurchasePublication> p = store.load(ProfileFixture.CITY);
            if (p.isPresent()) return p.get();
        }
        throw new AssertionError("no purchase statistics after 2 minutes in " + bed.publicationDir());
    }

    /** A published figure as an answer shows it: suppressed (null) below the minimum cell size of 10. */
    private static Long shownValue(long published) {
        return published < 10 ? null : published;
    }

    private String journeyBody(String more) {
        return "{\"period\": {\"month\": \"" + thisMonth + "\"}" + (more.isEmpty() ? "" : ", " + more) + "}";
    }

    private JsonObject journeyOk(String key, String path, String body) {
        HttpResponse<Buffer> r = http.post(path).putHeader("Authorization", "Bearer " + key)
                .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)).await();
        assertThat(r.statusCode()).as(path + " " + body + " → " + r.bodyAsString()).isEqualTo(200);
        return r.bodyAsJsonObject();
    }

    private static List<JsonObject> rows(JsonObject answer, String table) {
        List<JsonObject> out = new ArrayList<>();
        answer.getJsonObject("tables").getJsonArray(table).forEach(r -> out.add((JsonObject) r));
        return out;
    }

    private static List<String> labels(JsonObject answer, String table) {
        return rows(answer, table).stream().map(r -> r.getString("label")).toList();
    }

    private static Long cell(JsonObject answer, String table, String row, String figure) {
        return rows(answer, table).stream().filter(r -> r.getString("label").equals(row)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + row + " in " + table)).getJsonObject(figure).getLong("value");
    }

    private JsonObject awaitJourney() throws Exception {
        Path file = bed.publicationDir().resolve(ProfileFixture.CITY + ".journey.json");
        for (Instant until = Instant.now().plus(Duration.ofMinutes(2)); Instant.now().isBefore(until); Thread.sleep(200)) {
            if (Files.isRegularFile(file)) return new JsonObject(Files.readString(file));
        }
        throw new AssertionError("no journey publication after 2 minutes in " + file);
    }

    private static String catalogue() {
        return """
                {"participants": [{"id": "baeckerei-schmidt"}, {"id": "optik-meyer"}, {"id": "metzgerei-brand"}],
                 "employers": [{"id": "stadtwerke"}]}
                """;
    }

    // ---- questions -------------------------------------------------------------------------------------------

    /** A question, the slice it reads and the cells it sums (as this test understands the cube). */
    private record Question(String body, String slice, Predicate<PublishedCells.Cell> cells) {}

    /** Band-aligned age ranges × gender and district choices × everybody / a persona / an interest. */
    private List<Question> answerableQuestions() {
        List<Question> questions = new ArrayList<>();
        List<List<String>> genderChoices = List.of(List.of(), List.of("FEMALE"), List.of("MALE", "DIVERSE"));
        List<List<String>> districtChoices = List.of(List.of(), List.of("Saarn"), List.of("Styrum", "Broich", "Heißen"));
        List<String> slices = List.of("all", "persona:family", "persona:senior", "interest:sport", "interest:kultur");
        Set<String> bodies = new LinkedHashSet<>();
        int n = 0;
        for (String slice : slices) {
            for (int from = 0; from < BANDS.size(); from += 2) {
                for (int to = from; to < BANDS.size(); to++) {
                    for (List<String> genders : genderChoices) {
                        List<String> districts = districtChoices.get(n++ % districtChoices.size());
                        int a = from;
                        int b = to;
                        Set<String> bands = new java.util.HashSet<>(BANDS.subList(a, b + 1));
                        StringBuilder f = new StringBuilder("{\"ageFrom\": " + BAND_FROM[a] + ", \"ageTo\": " + BAND_TO[b]);
                        if (!genders.isEmpty()) f.append(", \"genders\": ").append(new JsonArray(genders).encode());
                        if (!districts.isEmpty()) f.append(", \"districts\": ").append(new JsonArray(districts).encode());
                        if (slice.startsWith("persona:")) f.append(", \"personas\": [\"").append(slice.substring(8)).append("\"]");
                        if (slice.startsWith("interest:")) f.append(", \"interests\": [\"").append(slice.substring(9)).append("\"]");
                        // every other question also asks for recent buyers (an activity window of the cube)
                        Integer window = List.of(0, 7, 0, 30, 0, 90, 0, 365).get(n % 8);
                        Set<String> buckets = window == 0 ? null : recentBuckets(window);
                        if (window != 0) f.append(", \"activeWithinDays\": ").append(window);
                        String body = "{\"filter\": " + f + "}}";
                        if (bodies.add(body)) {
                            questions.add(new Question(body, slice, c -> bands.contains(c.ageBand())
                                    && (genders.isEmpty() || genders.contains(c.gender()))
                                    && (districts.isEmpty() || districts.contains(c.district()))
                                    && (buckets == null || buckets.contains(c.activity()))));
                        }
                    }
                }
            }
        }
        return questions;
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** The activity buckets inside a window, written out here independently of the service's RecentActivity. */
    private static Set<String> recentBuckets(int days) {
        Set<String> buckets = new java.util.HashSet<>();
        for (int w : new int[] {7, 30, 90, 365}) if (w <= days) buckets.add("within" + w);
        return buckets;
    }

    private void assertTruth(Map<List<String>, Long> truth, Predicate<Person> inSlice) {
        Map<List<String>, Long> expected = new HashMap<>();
        for (Person p : fixture.people) {
            if (!p.city().equals(ProfileFixture.CITY) || p.deleted() || !inSlice.test(p)) continue;
            expected.merge(List.of(ProfileFixture.ageBand(p.age()), p.gender(),
                    p.district() == null ? "other" : p.district(), p.householdType()), 1L, Long::sum);
        }
        truth.forEach((cell, n) -> assertThat(n).as(cell.toString()).isEqualTo(expected.getOrDefault(cell, 0L)));
        assertThat(truth.keySet()).containsAll(expected.keySet());
    }

    private void assertShown(JsonObject actual, long sum, String what) {
        JsonObject expected = PublishedCells.shown(sum, participantRules);
        assertThat(actual.getBoolean("suppressed")).as(what).isEqualTo(expected.getBoolean("suppressed"));
        assertThat(actual.getValue("value") == null ? null : actual.getLong("value")).as(what)
                .isEqualTo(expected.getValue("value") == null ? null : expected.getLong("value"));
        assertThat(actual.getString("display")).as(what).isEqualTo(expected.getString("display"));
    }

    private static void assertSameFigures(JsonObject a, JsonObject b, String what) {
        assertThat(a.getJsonObject("count").encode()).as(what).isEqualTo(b.getJsonObject("count").encode());
        assertThat(a.getJsonArray("cells").encode()).as(what).isEqualTo(b.getJsonArray("cells").encode());
        assertThat(a.getJsonObject("source").encode()).as(what).isEqualTo(b.getJsonObject("source").encode());
    }

    private JsonObject ok(String key, String body) {
        HttpResponse<Buffer> r = http.post(SIZE).putHeader("Authorization", "Bearer " + key)
                .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)).await();
        assertThat(r.statusCode()).as(body + " → " + r.bodyAsString()).isEqualTo(200);
        return r.bodyAsJsonObject();
    }

    private JsonObject get(String key, String path) {
        HttpResponse<Buffer> r = http.get(path).putHeader("Authorization", "Bearer " + key).send().await();
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
        return r.bodyAsJsonObject();
    }

    private void awaitProfiles() throws InterruptedException {
        String table = PinotTables.PROFILES.name();
        long expected = fixture.people.size();
        for (Instant until = Instant.now().plus(Duration.ofMinutes(2)); Instant.now().isBefore(until); Thread.sleep(200)) {
            try {
                if (bed.pinot().queryCount("SELECT COUNT(*) FROM " + table + " WHERE version = 2") == expected
                        && bed.pinot().queryCount("SELECT COUNT(*) FROM " + table) == expected) return;
            } catch (IllegalStateException notYet) {
                // the consuming segment may not be queryable yet
            }
        }
        throw new AssertionError("Pinot does not show the " + expected + " profiles; log " + bed.pinot().logFile());
    }

    /**
     * A generous cap (ε = 20 a month) so the test's noise is small; participants pay ρ = 0.5²/2 per ad-hoc question
     * and their own ε pacing (10 a day) is far above what the city-wide part lets them spend.
     */
    private static String testPolicy() {
        return """
                {"city": "musterstadt", "timeZone": "Europe/Berlin",
                 "cityBudget": {"epsilon": 20, "delta": 1e-9, "adHocShare": 0.5, "accounts": 3, "portions": 1},
                 "roles": {
                  "operator": {"mechanism": "discrete-laplace", "epsilonPerQuestion": 0.5, "delta": 0, "minCellSize": 10,
                               "budget": {"day": 5, "month": 10}, "sameAnswerWithinVersion": true},
                  "participant": {"mechanism": "discrete-laplace", "epsilonPerQuestion": 0.5, "delta": 0, "minCellSize": 10,
                                  "budget": {"day": 10, "month": 10}, "sameAnswerWithinVersion": true}}}
                """;
    }

    private static String participants() {
        ArrayNode list = JSON.createArrayNode();
        list.addObject().put("id", "stadtmarketing").put("city", "musterstadt").put("role", "OPERATOR")
                .put("apiKeySha256", ParticipantDirectory.digest(OPERATOR));
        list.addObject().put("id", "werbegemeinschaft").put("city", "musterstadt").put("role", "OPERATOR")
                .put("apiKeySha256", ParticipantDirectory.digest(OPERATOR_TWO));
        list.addObject().put("id", "baeckerei-schmidt").put("city", "musterstadt").put("role", "PARTICIPANT")
                .put("apiKeySha256", ParticipantDirectory.digest(BAKERY));
        list.addObject().put("id", "optik-meyer").put("city", "musterstadt").put("role", "PARTICIPANT")
                .put("apiKeySha256", ParticipantDirectory.digest(OPTICIAN));
        return list.toString();
    }

    private static String randomKey() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
