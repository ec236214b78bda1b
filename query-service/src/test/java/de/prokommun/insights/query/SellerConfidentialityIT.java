package de.prokommun.insights.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.participants.ParticipantDirectory;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, item 3, on the ad-hoc path over HTTP (real Kafka and Pinot; publications off, so every answer is ad
 * hoc): a bicycle shop cannot read the buyers or spend of shoes — sold by one shoe shop only — by any route (the
 * audience filter on a bought category, affinity, product history, the assortment check, the trend); each is a 403
 * naming the category and the rule, audited as a refusal, and nothing is charged. The shoe shop reads its own;
 * bread, sold by three bakeries of similar size, stays readable for the bicycle shop; the operator is exempt as the
 * policy (like Musterstadt's privacy.json) says.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SellerConfidentialityIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CITY = "musterstadt";
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final String SHOES = "mode.schuhe";
    private static final String BIKES = "freizeit.fahrrad";
    private static final String BREAD = "lebensmittel.backwaren";
    private static final String SHOE_SHOP = "schuhhaus-mueller";
    private static final String BIKE_SHOP = "fahrrad-schmitz";
    private static final List<String> BAKERIES = List.of("baeckerei-a", "baeckerei-b", "baeckerei-c");
    private static final String SHOE_KEY = TestParticipants.randomKey();
    private static final String BIKE_KEY = TestParticipants.randomKey();
    private static final String OPERATOR_KEY = TestParticipants.randomKey();

    @TempDir
    static Path dir;

    private final LocalDate today = LocalDate.now(ZONE);
    private final int year = today.getYear();
    private QueryServiceTestBed bed;
    private WebClient http;

    @BeforeAll
    void startEverything() throws Exception {
        List<ProfileRow> profiles = new ArrayList<>();
        List<ContributionDelta> rows = new ArrayList<>();
        people(profiles, rows);
        bed = QueryServiceTestBed.start(dir);
        bed.writeCommitted(Topics.PROFILES, profiles, ProfileRow::getPseudonym);
        bed.writeCommitted(Topics.CONTRIBUTIONS, rows, r -> r.getCity() + "/" + r.getMeasure());
        bed.awaitRows(PinotTables.PROFILES.name(), profiles.size());
        bed.awaitRows(PinotTables.CONTRIBUTIONS.name(), rows.size());
        bed.city(CITY, "city.json", "personas.json", "taxonomy.json");
        Path policy = Files.writeString(dir.resolve("privacy-sellers.json"), policy());
        http = bed.serve(policy, Files.writeString(dir.resolve("participants.json"), participants()), Clock.systemUTC(),
                false, new PoolOptions(), Map.of(QueryConfig.PUBLICATION_ENABLED.name(), "false"));
    }

    @AfterAll
    void stopEverything() {
        if (bed != null) bed.close();
    }

    /** Every route to the buyers and spend of a category, for this category. */
    private List<String[]> routes(String category) {
        return List.of(
                new String[] {"/api/v1/audiences/size", "{\"filter\": {\"boughtCategory\": {\"category\": \"" + category
                        + "\", \"year\": " + year + "}}}", "filter.boughtCategory"},
                new String[] {"/api/v1/audiences/size", "{\"filter\": {\"boughtCategory\": {\"category\": \""
                        + category.substring(0, category.indexOf('.')) + "\", \"year\": " + year + "}}}", "filter.boughtCategory"},
                new String[] {"/api/v1/insights/affinity", "{\"category\": \"" + category + "\", \"year\": " + year
                        + ", \"segmentBy\": \"ageBand\"}", "category"},
                new String[] {"/api/v1/insights/product-history", "{\"category\": \"" + category
                        + "\", \"granularity\": \"year\", \"from\": " + (year - 1) + ", \"to\": " + year + "}", "category"},
                new String[] {"/api/v1/insights/product-history", "{\"category\": \"" + category
                        + "\", \"granularity\": \"month\", \"from\": \"" + year + "-01\", \"to\": \"" + year + "-01\"}", "category"},
                new String[] {"/api/v1/insights/assortment-check", "{\"category\": \"" + category + "\", \"years\": 2}",
                        "category"},
                new String[] {"/api/v1/insights/trend", "{\"category\": \"" + category
                        + "\", \"granularity\": \"year\", \"from\": " + year + ", \"to\": " + year + "}", "category"});
    }

    @Test
    void aCompetitorCannotReadASingleSellersCategoryByAnyRouteAndEachRefusalIsAudited() {
        double leftBefore = remainingMonth(BIKE_KEY);
        for (String[] route : routes(SHOES)) {
            // The first-level "mode" holds only the shoe shop's sales too: refused as well.
            HttpResponse<Buffer> r = post(BIKE_KEY, route[0], route[1]);
            assertThat(r.statusCode()).as(route[0] + " " + route[1] + " → " + r.bodyAsString()).isEqualTo(403);
            JsonObject error = new JsonObject(r.bodyAsString()).getJsonObject("error");
            String text = error.encode();
            assertThat(text).as(route[1]).contains(route[2]).contains("dominance rule").contains(SHOES);
            assertThat(text).as("no seller and no figure in the refusal").doesNotContain(SHOE_SHOP);
        }
        assertThat(remainingMonth(BIKE_KEY)).as("nothing charged for refusals").isEqualTo(leftBefore);

        JsonObject audit = get(OPERATOR_KEY, "/api/v1/audit/refusals");
        JsonObject bikeShop = null;
        for (Object o : audit.getJsonArray("byAsker")) {
            JsonObject a = (JsonObject) o;
            if (BIKE_SHOP.equals(a.getString("asker"))) bikeShop = a;
        }
        assertThat(bikeShop).as(audit.encode()).isNotNull();
        assertThat(bikeShop.getJsonObject("byStatus").getInteger("403")).isGreaterThanOrEqualTo(routes(SHOES).size());
        JsonArray latest = audit.getJsonArray("refusals");
        assertThat(latest.stream().map(o -> ((JsonObject) o)).filter(o -> BIKE_SHOP.equals(o.getString("asker")))
                .map(o -> o.getString("reason"))).anySatisfy(reason -> assertThat(reason).contains(SHOES).contains("dominance"));
    }

    @Test
    void theShoeShopReadsItsOwnCategoryAndNotTheBicycleShops() {
        for (String[] route : routes(SHOES)) {
            HttpResponse<Buffer> r = post(SHOE_KEY, route[0], route[1]);
            assertThat(r.statusCode()).as(route[0] + " " + route[1] + " → " + r.bodyAsString()).isEqualTo(200);
            assertThat(new JsonObject(r.bodyAsString()).getJsonObject("source").getString("kind")).isEqualTo("ad-hoc");
        }
        for (String[] route : routes(BIKES)) {
            assertThat(post(SHOE_KEY, route[0], route[1]).statusCode()).as(route[1]).isEqualTo(403);
        }
    }

    @Test
    void aCategoryOfThreeComparableSellersStaysReadableAndTheOperatorIsExempt() {
        for (String[] route : routes(BREAD)) {
            HttpResponse<Buffer> r = post(BIKE_KEY, route[0], route[1]);
            assertThat(r.statusCode()).as(route[0] + " " + route[1] + " → " + r.bodyAsString()).isEqualTo(200);
        }
        for (String[] route : routes(SHOES)) {
            HttpResponse<Buffer> r = post(OPERATOR_KEY, route[0], route[1]);
            assertThat(r.statusCode()).as("operator " + route[1] + " → " + r.bodyAsString()).isEqualTo(200);
        }
    }

    // ---- the city's purchases ------------------------------------------------------------------------------------

    /**
     * 240 residents; a third buy shoes (only at the shoe shop), a third bicycles (only at the bicycle shop), and
     * every one bread at one of three bakeries in turn, in January of this year and last year. The rows are those a
     * ledger writes: purchase (with the seller), buyer_year, buyer_month and the clamped purchase and spend.
     */
    private void people(List<ProfileRow> profiles, List<ContributionDelta> rows) {
        Random rnd = new Random(15);
        for (int i = 0; i < 240; i++) {
            int age = 18 + rnd.nextInt(60);
            String pseudonym = String.format("psn-seller-%06d", i);
            TreeSet<String> tags = new TreeSet<>();
            List<String[]> bought = new ArrayList<>();
            if (i % 3 == 0) bought.add(new String[] {SHOE_SHOP, SHOES});
            if (i % 3 == 1) bought.add(new String[] {BIKE_SHOP, BIKES});
            bought.add(new String[] {BAKERIES.get(i % 3), BREAD});
            for (int y : List.of(year - 1, year)) {
                LocalDate day = LocalDate.of(y, 1, 10 + i % 15);
                for (String[] b : bought) {
                    long cents = 1_000 + rnd.nextInt(9_000);
                    String band = ProfileFixture.ageBand(age);
                    rows.add(row(band, "purchase", b[0], b[1], day, 1, cents));
                    rows.add(row(band, "buyer_year", null, b[1], day.withDayOfYear(1), 1, 0));
                    rows.add(row(band, "buyer_month", null, b[1], day.withDayOfMonth(1), 1, 0));
                    rows.add(row(band, "purchase_clamped", null, b[1], day.withDayOfMonth(1), 1, 0));
                    rows.add(row(band, "spend_clamped", null, b[1], day.withDayOfMonth(1), 0, Math.min(cents, 50_000)));
                    tags.add("category:" + b[1] + ":" + y);
                    tags.add("customer:" + b[0]);
                }
            }
            int last = (int) LocalDate.of(year, 1, 10 + i % 15).toEpochDay();
            profiles.add(ProfileRow.newBuilder().setPseudonym(pseudonym).setCity(CITY).setBirthYear(year - age).setAge(age)
                    .setAgeBand(ProfileFixture.ageBand(age)).setGender(ProfileFixture.GENDERS.get(i % 3))
                    .setDistrict(ProfileFixture.DISTRICTS.get(i % ProfileFixture.DISTRICTS.size()))
                    .setHouseholdType(ProfileFixture.HOUSEHOLDS.get(i % ProfileFixture.HOUSEHOLDS.size()))
                    .setPersonas(List.of()).setInterests(List.of()).setConsentOffers(true).setConsentNewsletter(false)
                    .setRegisteredDay(19_000).setLastActivityDay(last).setLastPurchaseDay(last)
                    .setPurchaseTags(new ArrayList<>(tags)).setDeleted(false).setUpdatedAt(1_764_000_000_000L)
                    .setVersion(1).build());
        }
    }

    private static ContributionDelta row(String ageBand, String measure, String participant, String category,
                                         LocalDate day, long count, long amountCents) {
        return ContributionDelta.newBuilder().setCity(CITY).setMeasure(measure).setDay((int) day.toEpochDay())
                .setMonth(day.getYear() * 100 + day.getMonthValue()).setYear(day.getYear())
                .setParticipant(participant).setCategory(category).setAgeBand(ageBand).setGender("FEMALE")
                .setDistrict("Saarn").setHouseholdType("COUPLE").setPersonas(List.of())
                .setCount(count).setQuantity(count).setAmountCents(amountCents)
                .setEventTime(day.atStartOfDay(ZONE).toInstant().toEpochMilli()).build();
    }

    // ---- HTTP and set-up -----------------------------------------------------------------------------------------

    private HttpResponse<Buffer> post(String key, String path, String body) {
        return http.post(path).putHeader("Authorization", "Bearer " + key).putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer(body)).await();
    }

    private JsonObject get(String key, String path) {
        HttpResponse<Buffer> r = http.get(path).putHeader("Authorization", "Bearer " + key).send().await();
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
        return new JsonObject(r.bodyAsString());
    }

    private double remainingMonth(String key) {
        return get(key, "/api/v1/privacy/budget").getDouble("remainingMonth");
    }

    /** Laplace ε 1 with large budgets (the figures are not the point here); the dominance rule of Musterstadt. */
    private static String policy() {
        String role = "{\"mechanism\": \"discrete-laplace\", \"epsilonPerQuestion\": 1, \"delta\": 0, \"minCellSize\": 10,"
                + " \"budget\": {\"day\": 1000, \"month\": 10000}, \"sameAnswerWithinVersion\": true}";
        return "{\"city\": \"" + CITY + "\", \"timeZone\": \"Europe/Berlin\","
                + " \"dominance\": {\"n\": 1, \"kPercent\": 85, \"minParticipants\": 3, \"operatorExempt\": true},"
                + " \"roles\": {\"operator\": " + role + ", \"participant\": " + role + "}}";
    }

    private static String participants() {
        ArrayNode list = JSON.createArrayNode();
        list.addObject().put("id", "stadtmarketing").put("city", CITY).put("role", "OPERATOR")
                .put("apiKeySha256", ParticipantDirectory.digest(OPERATOR_KEY));
        list.addObject().put("id", SHOE_SHOP).put("city", CITY).put("role", "PARTICIPANT")
                .put("apiKeySha256", ParticipantDirectory.digest(SHOE_KEY));
        list.addObject().put("id", BIKE_SHOP).put("city", CITY).put("role", "PARTICIPANT")
                .put("apiKeySha256", ParticipantDirectory.digest(BIKE_KEY));
        return list.toString();
    }
}
