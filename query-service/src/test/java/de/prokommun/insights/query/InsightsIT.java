package de.prokommun.insights.query;

import static de.prokommun.insights.query.ReleasedCells.assertCell;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.Gender;
import de.prokommun.insights.events.ProfileRow;
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
import de.prokommun.insights.query.PurchaseFixture.Person;
import de.prokommun.insights.query.audience.CityCatalog;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
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
 * The insights end to end: real embedded Kafka, real Pinot (child JVM) consuming the profiles and contributions
 * topics, the verticle over real HTTP. The contribution rows are written as the ledger writes them (transactional
 * producer), including the negation of a retracted purchase and of an erased person. Every released figure is
 * checked exactly against what an independent DisclosureControl (same key and policy, fresh ledger) releases for
 * the true figure computed in Java from the purchases still live — noise included, so a wrong true figure shows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InsightsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long CLAMP_PURCHASES = 3;
    private static final long CLAMP_SPEND = 2000;
    private static final String OPERATOR_KEY = TestParticipants.randomKey();
    private static final String BAKERY_KEY = TestParticipants.randomKey();
    private static final String BUTCHER_KEY = TestParticipants.randomKey();
    private static final String ORGANIC_KEY = TestParticipants.randomKey();
    private static final Asker BUTCHER = new Asker(PurchaseFixture.CITY, PurchaseFixture.BUTCHER, AskerRole.PARTICIPANT);
    private static final Asker OPERATOR = new Asker(PurchaseFixture.CITY, "stadtmarketing", AskerRole.OPERATOR);
    private static final Asker ORGANIC = new Asker(PurchaseFixture.CITY, "bio-saarn", AskerRole.PARTICIPANT);
    private static final Asker BAKERY = new Asker(PurchaseFixture.CITY, PurchaseFixture.BAKERY, AskerRole.PARTICIPANT);

    @TempDir
    static Path dir;

    private final LocalDate today = LocalDate.now(PurchaseFixture.ZONE);
    private final int lastYear = today.getYear() - 1;
    private final PurchaseFixture fixture = new PurchaseFixture(20261130L, today, CLAMP_PURCHASES, CLAMP_SPEND);
    private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());

    private QueryServiceTestBed bed;
    private WebClient http;
    private byte[] prfKey;
    private PrivacyPolicy policy;
    private List<String> cityPersonas;

    @BeforeAll
    void startEverything() throws Exception {
        bed = QueryServiceTestBed.start(dir);
        bed.writeCommitted(Topics.PROFILES, fixture.profiles(), ProfileRow::getPseudonym);
        bed.writeCommitted(Topics.CONTRIBUTIONS, fixture.deltas(), r -> r.getCity() + "/" + r.getMeasure());
        bed.awaitRows(PinotTables.PROFILES.name(), fixture.people.size());
        bed.awaitRows(PinotTables.CONTRIBUTIONS.name(), fixture.deltas().size());

        bed.city(PurchaseFixture.CITY, "city.json", "personas.json", "taxonomy.json");
        Path policyFile = Files.writeString(dir.resolve("privacy-it.json"), testPolicy());
        Path participants = Files.writeString(dir.resolve("participants.json"), participants());
        prfKey = bed.prfKey();
        policy = PrivacyPolicy.of(PrivacyPolicy.load(policyFile));
        cityPersonas = new CityCatalog(bed.citiesDir()).city(PurchaseFixture.CITY).orElseThrow().personas();
        // The ad-hoc path, compared with an independent release of the truth: the purchase statistics (which would
        // answer history and affinity from the publication) are off here; PublishedInsightAnswersTest covers them.
        http = bed.serve(policyFile, participants, java.time.Clock.systemUTC(), false,
                new io.vertx.core.http.PoolOptions(), java.util.Map.of(QueryConfig.PURCHASE_PUBLICATION_ENABLED.name(), "false",
                        // campaigns (issue 18) live in Kafka
                        de.prokommun.insights.config.CommonConfig.KAFKA_BOOTSTRAP.name(), bed.kafka().bootstrapServers()));
    }

    @AfterAll
    void stopEverything() {
        if (bed != null) bed.close();
    }

    // ---- figures ----------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void affinityReleasesBuyersPopulationClampedSumsAndLiftFromReleasedFigures() {
        assertThat(fixture.retracted).isNotNull();
        assertThat(fixture.people.stream().filter(Person::erased).findFirst().orElseThrow().purchases()).isNotEmpty();
        JsonObject a = ok(OPERATOR_KEY, "/api/v1/insights/affinity", "{\"category\": \"" + PurchaseFixture.BREAD
                + "\", \"year\": " + lastYear + ", \"segmentBy\": \"ageBand\"}");
        String version = a.getString("dataVersion");
        Predicate<LocalDate> year = d -> d.getYear() == lastYear;
        List<String> bands = new ArrayList<>(new CityCatalog(dir.resolve("cities")).city(PurchaseFixture.CITY)
                .orElseThrow().ageBands());
        bands.add("other");
        Function<String, Predicate<Person>> inBand = b -> p -> p.ageBand().equals(b);

        JsonObject city = rows(a, "city").getJsonObject(0);
        ReleasedCell allBuyers = counts(OPERATOR, version, buyersQ(PurchaseFixture.BREAD, "" + lastYear).build(),
                List.of(new TrueCell("", fixture.buyers(PurchaseFixture.BREAD, year, p -> true)))).get(0);
        ReleasedCell population = counts(OPERATOR, version, CanonicalQuestion.of("audience.size").build(),
                List.of(new TrueCell("", fixture.population(p -> true)))).get(0);
        assertCell(city.getJsonObject("buyers"), allBuyers);
        assertCell(city.getJsonObject("population"), population);

        List<ReleasedCell> buyers = counts(OPERATOR, version, buyersQ(PurchaseFixture.BREAD, "" + lastYear)
                .param("breakdown", "ageBand").build(), cells(bands, b -> fixture.buyers(PurchaseFixture.BREAD, year, inBand.apply(b))));
        List<ReleasedCell> pops = counts(OPERATOR, version, CanonicalQuestion.of("audience.size").param("breakdown", "ageBand")
                .build(), cells(bands, b -> fixture.population(inBand.apply(b))));
        List<ReleasedCell> purchases = sums(OPERATOR, version, CanonicalQuestion.of("insights.purchases")
                .param("category", PurchaseFixture.BREAD).param("period", "" + lastYear).param("breakdown", "ageBand").build(),
                cells(bands, b -> fixture.clampedPurchases(PurchaseFixture.BREAD, year, inBand.apply(b))), CLAMP_PURCHASES * 12);
        List<ReleasedCell> spend = sums(OPERATOR, version, CanonicalQuestion.of("insights.spend")
                .param("category", PurchaseFixture.BREAD).param("period", "" + lastYear).param("breakdown", "ageBand").build(),
                cells(bands, b -> fixture.clampedSpend(PurchaseFixture.BREAD, year, inBand.apply(b))), CLAMP_SPEND * 12);
        JsonArray segments = rows(a, "segments");
        assertThat(segments.size()).isEqualTo(bands.size());
        int lifts = 0;
        for (int i = 0; i < bands.size(); i++) {
            JsonObject row = segments.getJsonObject(i);
            assertThat(row.getString("label")).isEqualTo(bands.get(i));
            assertCell(row.getJsonObject("buyers"), buyers.get(i));
            assertCell(row.getJsonObject("population"), pops.get(i));
            assertCell(row.getJsonObject("purchases"), purchases.get(i));
            assertCell(row.getJsonObject("spendCents"), spend.get(i));
            Double lift = lift(buyers.get(i), pops.get(i), allBuyers, population);
            assertThat(row.getDouble("lift")).as(bands.get(i)).isEqualTo(lift);
            if (lift != null) lifts++;
        }
        assertThat(lifts).isGreaterThan(2);
        // purchases really are clamped: the heavy buyers' raw purchases exceed what was released as truth
        assertThat(a.getJsonArray("notes").encode()).contains("released (noisy) figures, never from true ones");
        assertThat(a.getJsonObject("privacy").getDouble("epsilonSpent")).isEqualTo(6 * 5.0);
    }

    @Test
    @Order(2)
    void productHistoryPerMonthBySegmentAndStillActivePerYear() {
        LocalDate first = today.minusMonths(2).withDayOfMonth(1);
        String from = String.format("%d-%02d", first.getYear(), first.getMonthValue());
        String to = String.format("%d-%02d", today.getYear(), today.getMonthValue());
        JsonObject h = ok(OPERATOR_KEY, "/api/v1/insights/product-history", "{\"category\": \"" + PurchaseFixture.BREAD
                + "\", \"granularity\": \"month\", \"from\": \"" + from + "\", \"to\": \"" + to + "\", \"segmentBy\": \"gender\"}");
        String version = h.getString("dataVersion");
        List<String> genders = Arrays.stream(Gender.values()).map(Enum::name).toList();
        JsonArray periods = rows(h, "periods");
        JsonArray bySegment = rows(h, "bySegment");
        assertThat(periods.size()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            LocalDate month = first.plusMonths(i);
            String label = String.format("%d-%02d", month.getYear(), month.getMonthValue());
            Predicate<LocalDate> in = d -> d.withDayOfMonth(1).equals(month);
            assertThat(periods.getJsonObject(i).getString("label")).isEqualTo(label);
            assertCell(periods.getJsonObject(i).getJsonObject("buyers"), counts(OPERATOR, version,
                    buyersQ(PurchaseFixture.BREAD, label).build(),
                    List.of(new TrueCell("", fixture.buyers(PurchaseFixture.BREAD, in, p -> true)))).get(0));
            List<ReleasedCell> cells = counts(OPERATOR, version, buyersQ(PurchaseFixture.BREAD, label)
                    .param("breakdown", "gender").build(),
                    cells(genders, g -> fixture.buyers(PurchaseFixture.BREAD, in, p -> p.gender().equals(g))));
            for (int g = 0; g < genders.size(); g++) {
                assertCell(bySegment.getJsonObject(i).getJsonObject(genders.get(g)), cells.get(g));
            }
        }
        JsonArray still = rows(h, "stillActive");
        List<Integer> years = first.getYear() == today.getYear() ? List.of(today.getYear())
                : List.of(first.getYear(), today.getYear());
        assertThat(still.size()).isEqualTo(years.size());
        for (int i = 0; i < years.size(); i++) {
            int y = years.get(i);
            assertCell(still.getJsonObject(i).getJsonObject("stillActive"), counts(OPERATOR, version,
                    stillActiveQ(PurchaseFixture.BREAD, y), List.of(new TrueCell("", fixture.stillActive(PurchaseFixture.BREAD, y)))).get(0));
        }
    }

    @Test
    @Order(3)
    void trendWithinASegmentReleasesBuyersAndClampedSumsPerYear() {
        JsonObject t = ok(OPERATOR_KEY, "/api/v1/insights/trend", "{\"category\": \"" + PurchaseFixture.MEAT
                + "\", \"segment\": {\"genders\": [\"female\"]}, \"granularity\": \"year\", \"from\": " + (lastYear - 1)
                + ", \"to\": " + lastYear + "}");
        String version = t.getString("dataVersion");
        Predicate<Person> women = p -> p.gender().equals("FEMALE");
        JsonArray periods = rows(t, "periods");
        for (int i = 0; i < 2; i++) {
            int y = lastYear - 1 + i;
            Predicate<LocalDate> in = d -> d.getYear() == y;
            JsonObject row = periods.getJsonObject(i);
            assertThat(row.getString("label")).isEqualTo("" + y);
            assertCell(row.getJsonObject("buyers"), counts(OPERATOR, version, buyersQ(PurchaseFixture.MEAT, "" + y)
                    .anyOf("genders", List.of("FEMALE")).build(),
                    List.of(new TrueCell("", fixture.buyers(PurchaseFixture.MEAT, in, women)))).get(0));
            assertCell(row.getJsonObject("purchases"), sums(OPERATOR, version, CanonicalQuestion.of("insights.purchases")
                    .param("category", PurchaseFixture.MEAT).param("period", "" + y).anyOf("genders", List.of("FEMALE")).build(),
                    List.of(new TrueCell("", fixture.clampedPurchases(PurchaseFixture.MEAT, in, women))), CLAMP_PURCHASES * 12).get(0));
            assertCell(row.getJsonObject("spendCents"), sums(OPERATOR, version, CanonicalQuestion.of("insights.spend")
                    .param("category", PurchaseFixture.MEAT).param("period", "" + y).anyOf("genders", List.of("FEMALE")).build(),
                    List.of(new TrueCell("", fixture.clampedSpend(PurchaseFixture.MEAT, in, women))), CLAMP_SPEND * 12).get(0));
        }
    }

    @Test
    @Order(4)
    void assortmentCheckReleasesEverySectionAndComparesTheMerchantsCustomers() {
        JsonObject c = ok(OPERATOR_KEY, "/api/v1/insights/assortment-check", "{\"category\": \"" + PurchaseFixture.BREAD
                + "\", \"years\": 2, \"customerOf\": \"" + PurchaseFixture.BAKERY + "\", \"personas\": [\"family\", \"senior\"]}");
        String version = c.getString("dataVersion");
        int thisYear = today.getYear();
        for (int i = 0; i < 2; i++) {
            int y = lastYear + i;
            assertCell(rows(c, "interested").getJsonObject(i).getJsonObject("stillActive"), counts(OPERATOR, version,
                    stillActiveQ(PurchaseFixture.BREAD, y), List.of(new TrueCell("", fixture.stillActive(PurchaseFixture.BREAD, y)))).get(0));
            assertCell(rows(c, "trend").getJsonObject(i).getJsonObject("buyers"), counts(OPERATOR, version,
                    buyersQ(PurchaseFixture.BREAD, "" + y).build(),
                    List.of(new TrueCell("", fixture.buyers(PurchaseFixture.BREAD, d -> d.getYear() == y, p -> true)))).get(0));
        }
        List<String> months = new ArrayList<>();
        for (int m = 1; m <= 12; m++) months.add(String.format("%02d", m));
        List<ReleasedCell> seasonality = sums(OPERATOR, version, CanonicalQuestion.of("insights.seasonality")
                .param("category", PurchaseFixture.BREAD).param("measure", "purchases").range("years", lastYear, thisYear).build(),
                cells(months, m -> fixture.clampedPurchases(PurchaseFixture.BREAD, d -> d.getYear() >= lastYear
                        && d.getMonthValue() == Integer.parseInt(m), p -> true)), CLAMP_PURCHASES * 12 * 2);
        for (int m = 0; m < 12; m++) assertCell(rows(c, "seasonality").getJsonObject(m).getJsonObject("purchases"), seasonality.get(m));

        ReleasedCell allBuyers = counts(OPERATOR, version, buyersQ(PurchaseFixture.BREAD, "" + lastYear).build(),
                List.of(new TrueCell("", fixture.buyers(PurchaseFixture.BREAD, d -> d.getYear() == lastYear, p -> true)))).get(0);
        ReleasedCell population = counts(OPERATOR, version, CanonicalQuestion.of("audience.size").build(),
                List.of(new TrueCell("", fixture.population(p -> true)))).get(0);
        ReleasedCell customers = counts(OPERATOR, version, CanonicalQuestion.of("audience.size")
                .param("customerOf", PurchaseFixture.BAKERY).build(),
                List.of(new TrueCell("", fixture.population(fixture.customerOf(PurchaseFixture.BAKERY))))).get(0);
        JsonObject city = rows(c, "city").getJsonObject(0);
        assertCell(city.getJsonObject("buyers"), allBuyers);
        assertCell(city.getJsonObject("population"), population);
        assertCell(city.getJsonObject("customers"), customers);
        JsonArray personas = rows(c, "personas");
        assertThat(personas.size()).isEqualTo(2);
        Double previousLift = Double.MAX_VALUE;
        for (int i = 0; i < 2; i++) {
            JsonObject row = personas.getJsonObject(i);
            String persona = row.getString("label");
            ReleasedCell buyers = counts(OPERATOR, version, buyersQ(PurchaseFixture.BREAD, "" + lastYear)
                    .param("breakdown", "persona").param("cell", persona).build(), List.of(new TrueCell(persona,
                    fixture.buyers(PurchaseFixture.BREAD, d -> d.getYear() == lastYear, p -> p.personas().contains(persona))))).get(0);
            ReleasedCell pop = counts(OPERATOR, version, CanonicalQuestion.of("audience.size").param("breakdown", "persona")
                    .param("cell", persona).build(), List.of(new TrueCell(persona,
                    fixture.population(p -> p.personas().contains(persona))))).get(0);
            assertCell(row.getJsonObject("buyers"), buyers);
            assertCell(row.getJsonObject("population"), pop);
            Double lift = lift(buyers, pop, allBuyers, population);
            assertThat(row.getDouble("lift")).isEqualTo(lift);
            assertThat(lift).isNotNull().isLessThanOrEqualTo(previousLift); // sorted by lift, highest first
            previousLift = lift;
            ReleasedCell mine = counts(OPERATOR, version, CanonicalQuestion.of("audience.size").param("breakdown", "persona")
                    .param("cell", persona).param("customerOf", PurchaseFixture.BAKERY).build(), List.of(new TrueCell(persona,
                    fixture.population(fixture.customerOf(PurchaseFixture.BAKERY).and(p -> p.personas().contains(persona)))))).get(0);
            JsonObject customerRow = findRow(rows(c, "customers"), persona);
            assertCell(customerRow.getJsonObject("customers"), mine);
            double share = round((double) mine.value() / customers.value());
            double cityShare = round((double) pop.value() / population.value());
            assertThat(customerRow.getDouble("share")).isEqualTo(share);
            assertThat(customerRow.getDouble("cityShare")).isEqualTo(cityShare);
            assertThat(customerRow.getDouble("index")).isEqualTo(round(share / cityShare));
        }
    }

    @Test
    @Order(5)
    void aFirstLevelCategoryInTheAudienceFilterCountsEachBuyerOnce() {
        JsonObject a = ok(OPERATOR_KEY, "/api/v1/audiences/size", "{\"filter\": {\"boughtCategory\": {\"category\":"
                + " \"Lebensmittel\", \"year\": " + lastYear + "}, \"activeWithinDays\": 400}}");
        Question q = CanonicalQuestion.of("audience.size").param("boughtCategory", "lebensmittel:" + lastYear)
                .param("activeWithinDays", "400").build();
        assertThat(a.getString("question")).isEqualTo(q.canonicalForm());
        long truth = fixture.residents().stream()
                .filter(p -> fixture.live(p).stream().anyMatch(x -> x.day().getYear() == lastYear))
                .filter(p -> fixture.live(p).stream().anyMatch(x -> x.day().toEpochDay() >= today.toEpochDay() - 400))
                .count();
        assertCell(a.getJsonObject("count"), counts(OPERATOR, a.getString("dataVersion"), q, List.of(new TrueCell("", truth))).get(0));
    }

    @Test
    @Order(10)
    void aParticipantSeesItsOwnUnmappedProductGroupsReleasedAboveTheMinimumSize() {
        JsonObject u = okGet(BAKERY_KEY, "/api/v1/product-groups/unmapped");
        List<TrueCell> truth = new ArrayList<>();
        new java.util.TreeMap<>(fixture.unmappedLines).forEach((g, n) -> truth.add(new TrueCell(g, n)));
        List<ReleasedCell> expected = counts(BAKERY, u.getString("dataVersion"),
                CanonicalQuestion.of("product-groups.unmapped").param("participant", PurchaseFixture.BAKERY).build(), truth);
        List<ReleasedCell> shown = expected.stream().filter(c -> !c.suppressed()).toList();
        JsonArray rows = rows(u, "productGroups");
        assertThat(rows.size()).isEqualTo(shown.size()).isPositive();
        for (int i = 0; i < shown.size(); i++) {
            assertThat(rows.getJsonObject(i).getString("label")).isEqualTo(shown.get(i).label());
            assertCell(rows.getJsonObject(i).getJsonObject("lines"), shown.get(i));
        }
        assertThat(rows.encode()).doesNotContain("Sonderposten");
        Resp operator = send(HttpMethod.GET, "/api/v1/product-groups/unmapped", OPERATOR_KEY, null);
        assertThat(operator.status()).isEqualTo(403);
    }

    @Test
    @Order(11)
    void aParticipantCannotAskAboutAnotherParticipantsCustomers() {
        Resp size = post(BAKERY_KEY, "/api/v1/audiences/size", "{\"filter\": {\"customerOf\": \"" + PurchaseFixture.BUTCHER + "\"}}");
        assertThat(size.status()).isEqualTo(403);
        assertThat(size.body()).contains("\"field\":\"filter.customerOf\"").contains("only about its own customers");
        Resp check = post(BAKERY_KEY, "/api/v1/insights/assortment-check", "{\"category\": \"" + PurchaseFixture.BREAD
                + "\", \"customerOf\": \"" + PurchaseFixture.BUTCHER + "\"}");
        assertThat(check.status()).isEqualTo(403);
        assertThat(check.body()).contains("\"field\":\"customerOf\"");
        Resp customers = post(BAKERY_KEY, "/api/v1/insights/customers", "{\"participant\": \"" + PurchaseFixture.BUTCHER + "\"}");
        assertThat(customers.status()).isEqualTo(403);
        assertThat(customers.body()).contains("\"field\":\"participant\"");
    }

    @Test
    @Order(11)
    void withoutAPublicationMeineKundschaftIsReleasedAdHocForTheLastCompleteMonth() {
        // the operator names the bakery (the bakery's own day budget is kept for the refusal test below)
        JsonObject c = ok(OPERATOR_KEY, "/api/v1/insights/customers", "{\"participant\": \"" + PurchaseFixture.BAKERY
                + "\", \"segmentBy\": \"gender\"}");
        assertThat(c.getJsonObject("privacy").getDouble("epsilonSpent")).as("ad hoc: paid").isPositive();
        assertThat(c.getJsonObject("source").getString("kind")).isEqualTo("ad-hoc");
        String month = java.time.YearMonth.from(today).minusMonths(1).toString();
        String version = c.getString("dataVersion");
        assertThat(rows(c, "total").getJsonObject(0).getString("label")).isEqualTo(month);
        // the fixture writes no customer_month rows: the truth is 0, released exactly as an independent release of it
        ReleasedCell total = counts(OPERATOR, version, CanonicalQuestion.of("insights.customers")
                .param("participant", PurchaseFixture.BAKERY).param("period", month).build(), List.of(new TrueCell("", 0))).get(0);
        assertCell(rows(c, "total").getJsonObject(0).getJsonObject("customers"), total);
        assertThat(rows(c, "segments").size()).isGreaterThan(1);
    }

    @Test
    @Order(12)
    void badAndTooExpensiveQuestionsAre400NamingTheField() {
        Resp bad = post(OPERATOR_KEY, "/api/v1/insights/product-history", "{\"category\": \"lebensmittel\","
                + " \"granularity\": \"quarter\", \"from\": 2024, \"to\": 2025}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("\"field\":\"category\"").contains("\"field\":\"granularity\"");
        Resp expensive = post(BAKERY_KEY, "/api/v1/insights/affinity", "{\"category\": \"" + PurchaseFixture.BREAD
                + "\", \"year\": " + lastYear + ", \"segmentBy\": \"persona\"}");
        assertThat(expensive.status()).isEqualTo(400);
        assertThat(expensive.body()).contains("\"field\":\"segmentBy\"").contains("day budget");
        Resp text = send(HttpMethod.POST, "/api/v1/insights/trend", OPERATOR_KEY, "{}", "text/plain");
        assertThat(text.status()).isEqualTo(415);
        assertThat(post(null, "/api/v1/insights/trend", "{}").status()).isEqualTo(401);
    }

    @Test
    @Order(20)
    void anExhaustedBudgetIs429() {
        // participant: ε 1 per question, 6 per day; the unmapped groups took 1, this trend takes 3, the next 3 more
        JsonObject first = ok(BAKERY_KEY, "/api/v1/insights/trend", "{\"category\": \"" + PurchaseFixture.BREAD
                + "\", \"granularity\": \"year\", \"from\": " + lastYear + ", \"to\": " + lastYear + "}");
        assertThat(first.getJsonObject("privacy").getDouble("epsilonSpent")).isEqualTo(3.0);
        Resp refused = post(BAKERY_KEY, "/api/v1/insights/trend", "{\"category\": \"" + PurchaseFixture.MEAT
                + "\", \"granularity\": \"year\", \"from\": " + lastYear + ", \"to\": " + lastYear + "}");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.headers().get("Retry-After")).isNotBlank();
        assertThat(refused.body()).contains("privacy budget exhausted");
    }

    // ---- campaigns (issue 18) ----------------------------------------------------------------------------------------

    /** Objections to offers as the profile job keeps them, on every n-th resident (a new version of the profile). */
    private static final java.util.Map<Integer, String> OBJECTIONS = java.util.Map.of(
            3, "participant:" + PurchaseFixture.BUTCHER, 5, "category:lebensmittel", 7, "all",
            11, "participant:" + PurchaseFixture.BAKERY, 13, "category:freizeit");

    private List<String> objectionsOf(int index) {
        List<String> out = new ArrayList<>();
        OBJECTIONS.forEach((n, scope) -> { if (index % n == 0) out.add(scope); });
        java.util.Collections.sort(out);
        return out;
    }

    @Test
    @Order(30)
    void aCampaignsReachLeavesOutEveryResidentWithAnObjectionThatApplies() throws Exception {
        List<ProfileRow> objected = new ArrayList<>();
        List<ProfileRow> rows = fixture.profiles();
        for (int i = 0; i < rows.size(); i++) {
            objected.add(ProfileRow.newBuilder(rows.get(i)).setOfferObjections(objectionsOf(i)).setVersion(2)
                    .setUpdatedAt(rows.get(i).getUpdatedAt() + 1).build());
        }
        bed.writeCommitted(Topics.PROFILES, objected, ProfileRow::getPseudonym);
        awaitCount("SELECT COUNT(*) FROM " + PinotTables.PROFILES.name() + " WHERE version = 2", rows.size());

        JsonObject reach = ok(BUTCHER_KEY, "/api/v1/campaigns/reach", "{\"audience\": {\"ageFrom\": 30},"
                + " \"offerCategory\": \"" + PurchaseFixture.MEAT + "\"}");
        java.util.SortedSet<String> applying = new java.util.TreeSet<>(List.of("all",
                "participant:" + PurchaseFixture.BUTCHER, "category:" + PurchaseFixture.MEAT, "category:lebensmittel"));
        long truth = 0;
        for (int i = 0; i < fixture.people.size(); i++) {
            Person p = fixture.people.get(i);
            if (!p.erased() && p.age() >= 30 && objectionsOf(i).stream().noneMatch(applying::contains)) truth++;
        }
        assertThat(truth).as("the fixture leaves residents in and out").isPositive()
                .isLessThan(fixture.population(p -> p.age() >= 30));
        Question q = CanonicalQuestion.of("campaign.reach").range("age", 30, 120).flag("consentOffers", true)
                .anyOf("withoutObjections", applying).build();
        assertThat(reach.getString("question")).isEqualTo(q.canonicalForm());
        assertCell(reach.getJsonObject("count"), counts(BUTCHER, reach.getString("dataVersion"), q,
                List.of(new TrueCell("", truth))).get(0));
        assertThat(reach.getJsonObject("source").getString("kind")).isEqualTo("ad-hoc");
    }

    @Test
    @Order(31)
    void aParticipantRunsItsOwnCampaignWrittenToKafkaAndNoOtherParticipantSeesIt() {
        Resp created = post(BUTCHER_KEY, "/api/v1/campaigns", "{\"audience\": {\"ageFrom\": 30,"
                + " \"customerOf\": \"" + PurchaseFixture.BUTCHER + "\"}, \"channel\": \"PORTAL_INBOX\","
                + " \"controlPerMille\": 200, \"offer\": {\"title\": \"Grillwoche\", \"text\": \"10 % auf alles\","
                + " \"validFrom\": \"" + today.plusDays(1) + "T00:00:00+01:00\", \"validUntil\": \""
                + today.plusDays(8) + "T00:00:00+01:00\", \"code\": \"GRILL10\", \"category\": \""
                + PurchaseFixture.MEAT + "\"}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        campaignId = created.json().getString("campaignId");
        assertThat(created.headers().get("Location")).isEqualTo("/api/v1/campaigns/" + campaignId);
        assertThat(created.json().getString("participant")).isEqualTo(PurchaseFixture.BUTCHER);
        assertThat(created.json().getJsonObject("audience").getBoolean("ownCustomers")).isTrue();

        de.prokommun.insights.events.Campaign stored = campaignInKafka(campaignId);
        assertThat(stored.getParticipant()).isEqualTo(PurchaseFixture.BUTCHER);
        assertThat(stored.getOffer().getCode()).isEqualTo("GRILL10");
        assertThat(stored.getControlPerMille()).isEqualTo(200);
        assertThat(stored.getStatus().name()).isEqualTo("RUNNING");

        assertThat(okGet(BUTCHER_KEY, "/api/v1/campaigns").getJsonArray("campaigns")).hasSize(1);
        assertThat(okGet(BUTCHER_KEY, "/api/v1/campaigns/" + campaignId).getString("status")).isEqualTo("RUNNING");
        assertThat(send(HttpMethod.GET, "/api/v1/campaigns/" + campaignId, BAKERY_KEY, null).status()).isEqualTo(404);
        assertThat(send(HttpMethod.POST, "/api/v1/campaigns/" + campaignId + "/end", BAKERY_KEY, null).status()).isEqualTo(404);
        assertThat(okGet(BAKERY_KEY, "/api/v1/campaigns").getJsonArray("campaigns")).isEmpty();

        assertThat(send(HttpMethod.POST, "/api/v1/campaigns/" + campaignId + "/pause", BUTCHER_KEY, null).json()
                .getString("status")).isEqualTo("PAUSED");
        Resp again = send(HttpMethod.POST, "/api/v1/campaigns/" + campaignId + "/pause", BUTCHER_KEY, null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(send(HttpMethod.POST, "/api/v1/campaigns/" + campaignId + "/resume", BUTCHER_KEY, null).status())
                .isEqualTo(200);

        Resp invalid = post(BUTCHER_KEY, "/api/v1/campaigns", "{\"audience\": {\"districts\": [\"Atlantis\"]},"
                + " \"channel\": \"FAX\", \"offer\": {}}");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.body()).contains("\"field\":\"audience.districts[0]\"").contains("\"field\":\"channel\"")
                .contains("\"field\":\"offer.title\"");

        JsonObject operator = okGet(OPERATOR_KEY, "/api/v1/operator/campaigns");
        assertThat(operator.getInteger("campaigns")).isEqualTo(1);
        assertThat(operator.getJsonObject("byStatus").getInteger("RUNNING")).isEqualTo(1);
        assertThat(operator.encode()).doesNotContain("Grillwoche").doesNotContain(campaignId);
        assertThat(send(HttpMethod.GET, "/api/v1/operator/campaigns", BUTCHER_KEY, null).status()).isEqualTo(403);
        assertThat(send(HttpMethod.POST, "/api/v1/campaigns", OPERATOR_KEY, "{}", "application/json").status())
                .isEqualTo(403);
    }

    @Test
    @Order(32)
    void theResultsAreReleasedFromTheCampaignsContributionRowsWithTheUpliftFromReleasedFigures() throws Exception {
        assertThat(campaignId).isNotNull();
        // the campaign job's rows (docs/CAMPAIGNS.md): one row per resident and figure, a withdrawn one negated
        long[] truth = RESULTS_TRUTH;
        String[] measures = RESULT_MEASURES;
        String[] groups = RESULT_GROUPS;
        List<de.prokommun.insights.events.ContributionDelta> deltas = new ArrayList<>();
        for (int m = 0; m < measures.length; m++) {
            for (int i = 0; i < truth[m] + 1; i++) deltas.add(campaignRow(measures[m], groups[m], campaignId, 1));
            deltas.add(campaignRow(measures[m], groups[m], campaignId, -1)); // one resident left again (erased)
        }
        deltas.add(campaignRow("campaign_delivered", null, "c-another", 1)); // another campaign of the butcher
        long before = bed.pinot().queryCount("SELECT COUNT(*) FROM " + PinotTables.CONTRIBUTIONS.name());
        bed.writeCommitted(Topics.CONTRIBUTIONS, deltas, r -> r.getCity() + "/" + r.getMeasure());
        awaitCount("SELECT COUNT(*) FROM " + PinotTables.CONTRIBUTIONS.name(), before + deltas.size());

        JsonObject r = okGet(BUTCHER_KEY, "/api/v1/campaigns/" + campaignId + "/results");
        String version = r.getString("dataVersion");
        JsonObject row = rows(r, "results").getJsonObject(0);
        List<ReleasedCell> groupsCells = counts(BUTCHER, version, resultsQ("groups"),
                List.of(new TrueCell("treatment", truth[0]), new TrueCell("control", truth[1])));
        List<ReleasedCell> converted = counts(BUTCHER, version, resultsQ("converted"),
                List.of(new TrueCell("convertedTreatment", truth[5]), new TrueCell("convertedControl", truth[6])));
        assertCell(row.getJsonObject("treatment"), groupsCells.get(0));
        assertCell(row.getJsonObject("control"), groupsCells.get(1));
        assertCell(row.getJsonObject("delivered"), counts(BUTCHER, version, resultsQ("delivered"),
                List.of(new TrueCell("delivered", truth[2]))).get(0));
        assertCell(row.getJsonObject("opened"), counts(BUTCHER, version, resultsQ("opened"),
                List.of(new TrueCell("opened", truth[3]))).get(0));
        assertCell(row.getJsonObject("redeemed"), counts(BUTCHER, version, resultsQ("redeemed"),
                List.of(new TrueCell("redeemed", truth[4]))).get(0));
        assertCell(row.getJsonObject("convertedTreatment"), converted.get(0));
        assertCell(row.getJsonObject("convertedControl"), converted.get(1));
        Double treatmentRate = share(converted.get(0), groupsCells.get(0));
        Double controlRate = share(converted.get(1), groupsCells.get(1));
        assertThat(row.getDouble("uplift")).isEqualTo(treatmentRate == null || controlRate == null ? null
                : round(treatmentRate - controlRate));
        assertThat(send(HttpMethod.GET, "/api/v1/campaigns/" + campaignId + "/results", BAKERY_KEY, null).status())
                .as("another participant's results").isEqualTo(404);
    }

    /** Every instance keeps the city's campaigns by reading the compacted topic: one started later knows them too. */
    @Test
    @Order(33)
    void anotherInstanceReadsTheCampaignsFromTheTopic() throws Exception {
        assertThat(campaignId).isNotNull();
        de.prokommun.insights.config.Settings second = bed.settings().with(java.util.Map.of(
                QueryConfig.AUDIT_LOG.name(), dir.resolve("second/audit.log").toString(),
                QueryConfig.BUDGET_LEDGER.name(), dir.resolve("second/ledger.log").toString(),
                QueryConfig.CITY_BUDGET.name(), dir.resolve("second/city-budget.log").toString(),
                QueryConfig.PORT.name(), "0"));
        io.vertx.core.Vertx other = io.vertx.core.Vertx.vertx();
        try {
            int port = QueryServer.deploy(other, second).await();
            WebClient client = WebClient.create(other);
            HttpResponse<Buffer> r = null;
            for (long until = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos(); System.nanoTime() < until;
                 Thread.sleep(200)) {
                r = client.get(port, "127.0.0.1", "/api/v1/campaigns/" + campaignId)
                        .putHeader("Authorization", "Bearer " + BUTCHER_KEY).send().await();
                if (r.statusCode() != 503) break; // 503 until the instance has read the topic
            }
            assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
            assertThat(r.bodyAsJsonObject().getString("status")).as("paused and resumed: the newest record")
                    .isEqualTo("RUNNING");
            assertThat(r.bodyAsJsonObject().getJsonObject("offer").getString("code")).isEqualTo("GRILL10");
        } finally {
            other.close().await();
        }
    }

    /** The weekly cap's effect reaches the operator only, one released figure per campaign not ended. */
    @Test
    @Order(34)
    void theOperatorSeesTheWeeklyCapsEffectPerCampaignAsReleased() throws Exception {
        assertThat(campaignId).isNotNull();
        long truth = 17;
        List<de.prokommun.insights.events.ContributionDelta> deltas = new ArrayList<>();
        for (int i = 0; i < truth + 1; i++) deltas.add(campaignRow("campaign_held_weekly_cap", null, campaignId, 1));
        deltas.add(campaignRow("campaign_held_weekly_cap", null, campaignId, -1)); // an erased resident
        deltas.add(campaignRow("campaign_held_weekly_cap", null, "c-not-in-the-book", 1));
        long before = bed.pinot().queryCount("SELECT COUNT(*) FROM " + PinotTables.CONTRIBUTIONS.name());
        bed.writeCommitted(Topics.CONTRIBUTIONS, deltas, r -> r.getCity() + "/" + r.getMeasure());
        awaitCount("SELECT COUNT(*) FROM " + PinotTables.CONTRIBUTIONS.name(), before + deltas.size());

        JsonObject r = okGet(OPERATOR_KEY, "/api/v1/operator/campaigns/weekly-cap");
        ReleasedCell expected = counts(OPERATOR, r.getString("dataVersion"), CanonicalQuestion
                .of("campaign.held_by_weekly_cap").param("campaign", campaignId).build(),
                List.of(new TrueCell("heldByWeeklyCap", truth))).get(0);
        JsonArray perCampaign = rows(r, "campaigns");
        assertThat(perCampaign.size()).as("the one campaign of the city").isEqualTo(1);
        assertThat(perCampaign.getJsonObject(0).getString("label")).isEqualTo(campaignId);
        assertCell(perCampaign.getJsonObject(0).getJsonObject("heldByWeeklyCap"), expected);
        assertThat(rows(r, "total").getJsonObject(0).getDouble("heldByWeeklyCap"))
                .isEqualTo(expected.suppressed() ? 0.0 : (double) expected.value());
        assertThat(send(HttpMethod.GET, "/api/v1/operator/campaigns/weekly-cap", BUTCHER_KEY, null).status())
                .as("not for a participant").isEqualTo(403);
    }

    /**
     * Results by age band: every band of the vocabulary, each part one question over its figures × bands. A third
     * participant runs this campaign (the butcher's day budget went to its plain results).
     */
    @Test
    @Order(35)
    void theResultsByAgeBandAreReleasedPerSegmentFromTheRowsSegments() throws Exception {
        Resp created = post(ORGANIC_KEY, "/api/v1/campaigns", "{\"audience\": {\"ageFrom\": 18},"
                + " \"channel\": \"NEWSLETTER\", \"offer\": {\"title\": \"Erntekiste\", \"text\": \"Probierkiste\","
                + " \"validFrom\": \"" + today.plusDays(1) + "T00:00:00+01:00\", \"validUntil\": \""
                + today.plusDays(8) + "T00:00:00+01:00\"}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String organic = created.json().getString("campaignId");
        List<String> bands = new ArrayList<>(new CityCatalog(dir.resolve("cities")).city(PurchaseFixture.CITY)
                .orElseThrow().ageBands());
        bands.add("other");
        String young = bands.get(0);
        String older = bands.get(2);
        long[] youngTruth = {22, 9, 20, 12, 5, 8, 2};
        long[] olderTruth = {14, 3, 13, 4, 0, 6, 1};
        List<de.prokommun.insights.events.ContributionDelta> deltas = new ArrayList<>();
        for (int m = 0; m < RESULT_MEASURES.length; m++) {
            for (String band : List.of(young, older)) {
                long truth = band.equals(young) ? youngTruth[m] : olderTruth[m];
                for (int i = 0; i < truth + 1; i++) deltas.add(organicRow(RESULT_MEASURES[m], RESULT_GROUPS[m], organic, band, 1));
                deltas.add(organicRow(RESULT_MEASURES[m], RESULT_GROUPS[m], organic, band, -1)); // an erased resident
            }
        }
        deltas.add(organicRow("campaign_delivered", null, campaignId, young, 1)); // the butcher's campaign: not counted
        long before = bed.pinot().queryCount("SELECT COUNT(*) FROM " + PinotTables.CONTRIBUTIONS.name());
        bed.writeCommitted(Topics.CONTRIBUTIONS, deltas, r -> r.getCity() + "/" + r.getMeasure());
        awaitCount("SELECT COUNT(*) FROM " + PinotTables.CONTRIBUTIONS.name(), before + deltas.size());

        JsonObject r = okGet(ORGANIC_KEY, "/api/v1/campaigns/" + organic + "/results?by=ageBand");
        String version = r.getString("dataVersion");
        JsonArray rows = rows(r, "segments");
        assertThat(rows.size()).as("every band, also the empty ones").isEqualTo(bands.size());
        String[][] parts = {{"groups", "0", "1"}, {"delivered", "2"}, {"opened", "3"}, {"redeemed", "4"},
                {"converted", "5", "6"}};
        String[] names = {"treatment", "control", "delivered", "opened", "redeemed", "convertedTreatment",
                "convertedControl"};
        java.util.Map<String, ReleasedCell> expected = new java.util.HashMap<>();
        for (String[] part : parts) {
            List<TrueCell> cells = new ArrayList<>();
            for (int f = 1; f < part.length; f++) {
                int m = Integer.parseInt(part[f]);
                for (String band : bands) {
                    long t = band.equals(young) ? youngTruth[m] : band.equals(older) ? olderTruth[m] : 0;
                    cells.add(new TrueCell(names[m] + "/" + band, t));
                }
            }
            counts(ORGANIC, version, CanonicalQuestion.of("campaign.results").param("campaign", organic)
                    .param("figures", part[0]).param("breakdown", "ageBand").build(), cells)
                    .forEach(c -> expected.put(c.label(), c));
        }
        for (int b = 0; b < bands.size(); b++) {
            JsonObject row = rows.getJsonObject(b);
            assertThat(row.getString("label")).isEqualTo(bands.get(b));
            for (String name : names) assertCell(row.getJsonObject(name), expected.get(name + "/" + bands.get(b)));
        }
        assertThat(r.getJsonArray("questions")).hasSize(parts.length);
        Resp persona = send(HttpMethod.GET, "/api/v1/campaigns/" + organic + "/results?by=persona", ORGANIC_KEY, null);
        assertThat(persona.status()).as("overlapping segments are refused").isEqualTo(400);
        assertThat(persona.body()).contains("\"field\":\"by\"");
        assertThat(send(HttpMethod.GET, "/api/v1/campaigns/" + organic + "/results?by=ageBand", BUTCHER_KEY, null)
                .status()).as("another participant's results").isEqualTo(404);
    }

    private de.prokommun.insights.events.ContributionDelta organicRow(String measure, String group, String campaign,
                                                                     String ageBand, long count) {
        var row = campaignRow(measure, group, campaign, count);
        row.setParticipant(ORGANIC.id());
        row.setAgeBand(ageBand);
        return row;
    }

    private static final long[] RESULTS_TRUTH = {60, 30, 55, 25, 15, 24, 11}; // treatment, control, delivered, opened,
    // redeemed, converted treatment / control
    private static final String[] RESULT_MEASURES = {"campaign_treatment", "campaign_control", "campaign_delivered",
            "campaign_opened", "campaign_redeemed", "campaign_converted", "campaign_converted"};
    private static final String[] RESULT_GROUPS = {null, null, null, null, null, "treatment", "control"};

    private String campaignId;

    private Question resultsQ(String figures) {
        return CanonicalQuestion.of("campaign.results").param("campaign", campaignId).param("figures", figures).build();
    }

    private de.prokommun.insights.events.ContributionDelta campaignRow(String measure, String group, String campaign,
                                                                      long count) {
        return de.prokommun.insights.events.ContributionDelta.newBuilder().setCity(PurchaseFixture.CITY)
                .setMeasure(measure).setDay((int) today.toEpochDay())
                .setMonth(today.getYear() * 100 + today.getMonthValue()).setYear(today.getYear())
                .setParticipant(PurchaseFixture.BUTCHER).setCategory(group).setCounterpart(campaign)
                .setAgeBand("35-49").setGender("FEMALE").setHouseholdType("FAMILY").setCount(count)
                .setEventTime(System.currentTimeMillis()).build();
    }

    private static Double share(ReleasedCell part, ReleasedCell whole) {
        if (part.suppressed() || whole.suppressed() || whole.value() == null || whole.value() == 0) return null;
        return round((double) part.value() / whole.value());
    }

    private de.prokommun.insights.events.Campaign campaignInKafka(String id) {
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", bed.kafka().bootstrapServers());
        p.put("isolation.level", "read_committed");
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(p,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            String topic = Topics.CAMPAIGNS.name(bed.base());
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long until = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < until) {
                for (var r : consumer.poll(java.time.Duration.ofMillis(200))) {
                    if (r.key().equals(PurchaseFixture.CITY + "/" + id)) return Topics.CAMPAIGNS.codec().decode(r.value());
                }
            }
        }
        throw new AssertionError("campaign " + id + " not in Kafka");
    }

    private void awaitCount(String sql, long expected) throws InterruptedException {
        long seen = -1;
        for (long until = System.nanoTime() + java.time.Duration.ofMinutes(2).toNanos(); System.nanoTime() < until;
             Thread.sleep(200)) {
            try {
                seen = bed.pinot().queryCount(sql);
            } catch (IllegalStateException notYet) {
                continue;
            }
            if (seen == expected) return;
        }
        throw new AssertionError(sql + ": " + seen + " of " + expected);
    }

    @Test
    @Order(100)
    void noAnswerContainsAPseudonym() {
        assertThat(bodies).hasSizeGreaterThan(8);
        for (String pseudonym : fixture.pseudonyms()) assertThat(bodies).noneMatch(b -> b.contains(pseudonym));
        assertThat(bodies).noneMatch(b -> b.contains("psn-"));
    }

    // ---- expected releases -------------------------------------------------------------------------------------

    private DisclosureControl expectedDisclosure() {
        return new DisclosureControl(policy, BudgetLedger.inMemory(), AuditLog.inMemory(), prfKey, Clock.systemUTC());
    }

    private List<ReleasedCell> counts(Asker asker, String version, Question q, List<TrueCell> truth) {
        return expectedDisclosure().releaseCounts(asker, q, version, truth).cells();
    }

    private List<ReleasedCell> sums(Asker asker, String version, Question q, List<TrueCell> truth, long clamp) {
        return expectedDisclosure().releaseSums(asker, q, version, truth, clamp).cells();
    }

    private static CanonicalQuestion buyersQ(String category, String period) {
        return CanonicalQuestion.of("insights.buyers").param("category", category).param("period", period);
    }

    private static Question stillActiveQ(String category, int year) {
        return CanonicalQuestion.of("audience.size").param("boughtCategory", category + ":" + year)
                .param("activeWithinDays", "90").build();
    }

    private static List<TrueCell> cells(List<String> labels, Function<String, Long> truth) {
        return labels.stream().map(l -> new TrueCell(l, truth.apply(l))).toList();
    }

    /** The lift as documented, from released cells. */
    private static Double lift(ReleasedCell buyers, ReleasedCell pop, ReleasedCell allBuyers, ReleasedCell population) {
        if (buyers.suppressed() || pop.suppressed() || allBuyers.suppressed() || population.suppressed()) return null;
        if (pop.value() == 0 || population.value() == 0 || allBuyers.value() == 0) return null;
        return round(((double) buyers.value() / pop.value()) / ((double) allBuyers.value() / population.value()));
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    private static JsonArray rows(JsonObject answer, String table) {
        JsonArray rows = answer.getJsonObject("tables").getJsonArray(table);
        assertThat(rows).as("table " + table + " in " + answer.encode()).isNotNull();
        return rows;
    }

    private static JsonObject findRow(JsonArray rows, String label) {
        for (int i = 0; i < rows.size(); i++) if (rows.getJsonObject(i).getString("label").equals(label)) return rows.getJsonObject(i);
        throw new AssertionError("no row " + label + " in " + rows.encode());
    }

    // ---- HTTP ----------------------------------------------------------------------------------------------------

    private record Resp(int status, MultiMap headers, String body) {
        JsonObject json() { return new JsonObject(body); }
    }

    private JsonObject ok(String key, String path, String body) {
        Resp r = post(key, path, body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private JsonObject okGet(String key, String path) {
        Resp r = send(HttpMethod.GET, path, key, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private Resp post(String key, String path, String body) {
        return send(HttpMethod.POST, path, key, body, "application/json");
    }

    private Resp send(HttpMethod method, String path, String key, String body) {
        return send(method, path, key, body, null);
    }

    private Resp send(HttpMethod method, String path, String key, String body, String contentType) {
        HttpRequest<Buffer> request = http.request(method, path);
        if (key != null) request.putHeader("Authorization", "Bearer " + key);
        if (contentType != null) request.putHeader("Content-Type", contentType);
        HttpResponse<Buffer> response = (body == null ? request.send() : request.sendBuffer(Buffer.buffer(body))).await();
        String text = response.bodyAsString() == null ? "" : response.bodyAsString();
        bodies.add(text);
        return new Resp(response.statusCode(), response.headers(), text);
    }

    // ---- data ------------------------------------------------------------------------------------------------------

    private static String testPolicy() {
        return """
                {"city": "musterstadt", "timeZone": "Europe/Berlin",
                 "clamps": {"purchasesPerPersonMonth": %d, "spendCentsPerPersonMonth": %d},
                 "dominance": {"minParticipants": 1, "kPercent": 100},
                 "roles": {
                  "operator": {"mechanism": "discrete-laplace", "epsilonPerQuestion": 5, "delta": 0, "minCellSize": 10,
                               "budget": {"day": 100000, "month": 1000000}, "sameAnswerWithinVersion": true},
                  "participant": {"mechanism": "discrete-laplace", "epsilonPerQuestion": 1, "delta": 0, "minCellSize": 10,
                                  "budget": {"day": 6, "month": 100}, "sameAnswerWithinVersion": true}}}
                """.formatted(CLAMP_PURCHASES, CLAMP_SPEND);
    }

    private static String participants() {
        com.fasterxml.jackson.databind.node.ArrayNode list = (com.fasterxml.jackson.databind.node.ArrayNode) readTree(
                TestParticipants.operatorAndParticipant("musterstadt", OPERATOR_KEY, PurchaseFixture.BAKERY, BAKERY_KEY));
        list.addObject().put("id", PurchaseFixture.BUTCHER).put("city", "musterstadt").put("role", "PARTICIPANT")
                .put("apiKeySha256", de.prokommun.insights.participants.ParticipantDirectory.digest(BUTCHER_KEY));
        list.addObject().put("id", ORGANIC.id()).put("city", "musterstadt").put("role", "PARTICIPANT")
                .put("apiKeySha256", de.prokommun.insights.participants.ParticipantDirectory.digest(ORGANIC_KEY));
        return list.toString();
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
