package de.prokommun.insights.query;

import static de.prokommun.insights.query.ReleasedCells.assertCell;
import static de.prokommun.insights.query.JourneyFixture.BAKERY;
import static de.prokommun.insights.query.JourneyFixture.BREAD;
import static de.prokommun.insights.query.JourneyFixture.BUTCHER;
import static de.prokommun.insights.query.JourneyFixture.CATALOGUE;
import static de.prokommun.insights.query.JourneyFixture.EVENT;
import static de.prokommun.insights.query.JourneyFixture.GROCER;
import static de.prokommun.insights.query.JourneyFixture.MEAT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.ContributionDelta;
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
import de.prokommun.insights.query.JourneyFixture.Person;
import de.prokommun.insights.query.audience.CityCatalog;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * The journey API end to end: embedded Kafka, real Pinot (child JVM) consuming the contribution rows the journey
 * and voucher operators write (including the negation of a retracted purchase and of an erased person), the
 * verticle over real HTTP. Every released figure is compared with what an independent DisclosureControl (same key
 * and policy, fresh ledger) releases for the true figure computed from the live events: the noise depends on the
 * true value, so an off-by-one anywhere changes the released value.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JourneyIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JourneyFixture.Clamps CLAMPS = new JourneyFixture.Clamps(4, 3000, 1500, 1500);
    private static final String OPERATOR_KEY = TestParticipants.randomKey();
    private static final String BAKERY_KEY = TestParticipants.randomKey();
    private static final Asker OPERATOR = new Asker(JourneyFixture.CITY, "stadtmarketing", AskerRole.OPERATOR);
    private static final Asker BAKERY_ASKER = new Asker(JourneyFixture.CITY, BAKERY, AskerRole.PARTICIPANT);
    private static final String ARROW = "→";
    /** The clamps of voucher cents, of voucher rows of at least 5 EUR and of their days (a month). */
    private static final long CENTS = CLAMPS.voucherCents();
    private static final long COUNTED = CENTS / 500;
    private static final long LAG = COUNTED * 366;

    @TempDir
    static Path dir;

    private final int year = LocalDate.now(JourneyFixture.ZONE).getYear() - 1;
    private final JourneyFixture fixture = new JourneyFixture(20261129L, year, CLAMPS);
    private final String monthLabel = year + "-06";
    private final List<String> answers = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> yearMonths = new ArrayList<>();
    /** One released answer per route and asker, written for docs/JOURNEY.md and the UI's developers. */
    private final Map<String, JsonObject> examples = Collections.synchronizedMap(new java.util.TreeMap<>());

    private QueryServiceTestBed bed;
    private WebClient http;
    private byte[] prfKey;
    private PrivacyPolicy policy;
    private List<String> districts;
    private List<String> ageBands;

    @BeforeAll
    void start() throws Exception {
        for (int m = 1; m <= 12; m++) yearMonths.add(year * 100 + m);
        Path policyFile = Files.writeString(dir.resolve("journey-privacy.json"), policyJson());
        policy = PrivacyPolicy.of(PrivacyPolicy.load(policyFile));
        bed = QueryServiceTestBed.start(dir);
        List<ContributionDelta> deltas = fixture.deltas();
        assertThat(deltas).anyMatch(d -> d.getCount() < 0 && d.getMeasure().equals("flow_month"));
        assertThat(deltas).anyMatch(d -> d.getAmountCents() < 0 && d.getMeasure().equals("gift_voucher_sold"));
        bed.writeCommitted(Topics.PROFILES, fixture.profiles(), ProfileRow::getPseudonym);
        bed.writeCommitted(Topics.CONTRIBUTIONS, deltas, d -> d.getCity() + "/" + d.getMeasure());
        bed.awaitRows(PinotTables.PROFILES.name(), fixture.people.size());
        bed.awaitRows(PinotTables.CONTRIBUTIONS.name(), deltas.size());

        Path city = bed.city(JourneyFixture.CITY, "city.json", "personas.json", "taxonomy.json");
        Files.writeString(city.resolve("participants-catalogue.json"), catalogue());
        prfKey = bed.prfKey();
        var vocabulary = new CityCatalog(bed.citiesDir()).city(JourneyFixture.CITY).orElseThrow();
        districts = vocabulary.districts();
        ageBands = vocabulary.ageBands();
        http = bed.serve(policyFile, Files.writeString(dir.resolve("keys.json"), apiKeys()));
    }

    @AfterAll
    void stop() {
        if (bed != null) bed.close();
    }

    // ---- cross-shopping and flows ---------------------------------------------------------------------------

    @Test
    @Order(1)
    void crossShoppingReleasesCustomersAndTheSharedMatrixOfTheYear() {
        JsonObject a = ok(OPERATOR_KEY, "/api/v1/journey/cross-shopping", "{\"period\": {\"year\": " + year + "},"
                + " \"participants\": [\"" + BAKERY + "\", \"" + BUTCHER + "\", \"" + GROCER + "\"]}");
        Predicate<LocalDate> inYear = d -> d.getYear() == year;
        List<ReleasedCell> customers = sums(OPERATOR, a, q("journey.customers", "" + year).anyOf("nodes", CATALOGUE),
                cells(CATALOGUE, p -> fixture.customersOfAll(inYear, p)), 3);
        List<String> pairs = pairs(CATALOGUE, null, false);
        List<ReleasedCell> shared = sums(OPERATOR, a, q("journey.shared-customers", "" + year).anyOf("nodes", CATALOGUE),
                cells(pairs, l -> fixture.customersOfAll(inYear, l.split(ARROW))), 6);
        assertTable(a, "customers", "customers", customers);
        assertTable(a, "shared", "shared", shared);
        int shares = 0;
        for (int i = 0; i < pairs.size(); i++) {
            JsonObject row = rows(a, "shared").getJsonObject(i);
            String[] ends = pairs.get(i).split(ARROW);
            assertThat(row.getString("source")).isEqualTo(ends[0]);
            assertThat(row.getString("target")).isEqualTo(ends[1]);
            Double share = ratio(shared.get(i), customers.get(CATALOGUE.indexOf(ends[0])));
            assertThat(row.getValue("share") == null ? null : row.getDouble("share")).isEqualTo(share);
            if (share != null) shares++;
        }
        assertThat(shares).isGreaterThan(3);
    }

    @Test
    @Order(2)
    void aParticipantSeesOnlyItsOwnRowOfTheMatrix() {
        JsonObject a = ok(BAKERY_KEY, "/api/v1/journey/cross-shopping", "{\"period\": {\"month\": " + fixture.month + "},"
                + " \"participants\": [\"" + BUTCHER + "\", \"" + BAKERY + "\", \"" + GROCER + "\"]}");
        Predicate<LocalDate> inMonth = d -> d.getYear() * 100 + d.getMonthValue() == fixture.month;
        List<String> nodes = List.of(BUTCHER, BAKERY, GROCER);
        List<ReleasedCell> customers = counts(BAKERY_ASKER, a, q("journey.customers", monthLabel).param("row", BAKERY),
                cells(List.of(BAKERY), p -> fixture.customersOfAll(inMonth, p)));
        List<String> own = pairs(nodes, BAKERY, false);
        assertThat(own).containsExactly(BAKERY + ARROW + BUTCHER, BAKERY + ARROW + GROCER);
        List<ReleasedCell> shared = sums(BAKERY_ASKER, a, q("journey.shared-customers", monthLabel)
                .anyOf("nodes", nodes).param("row", BAKERY), cells(own, l -> fixture.customersOfAll(inMonth, l.split(ARROW))), 2);
        assertTable(a, "customers", "customers", customers);
        assertTable(a, "shared", "shared", shared);

        Response others = post(BAKERY_KEY, "/api/v1/journey/cross-shopping", "{\"period\": {\"year\": " + year + "},"
                + " \"participants\": [\"" + BUTCHER + "\", \"" + GROCER + "\"]}");
        assertThat(others.status()).isEqualTo(403);
        assertThat(others.body()).contains("\"field\":\"participants\"");
    }

    @Test
    @Order(3)
    void flowsOfAMonthAndOfAYearAreOneMatrixRelease() {
        String nodes = "[\"" + BAKERY + "\", \"" + BUTCHER + "\", \"" + GROCER + "\"]";
        JsonObject m = ok(OPERATOR_KEY, "/api/v1/journey/flows", "{\"period\": {\"month\": \"" + monthLabel + "\"},"
                + " \"nodes\": " + nodes + ", \"within\": \"24h\"}");
        List<String> pairs = pairs(CATALOGUE, null, false);
        assertTable(m, "flows", "residents", sums(OPERATOR, m, q("journey.flows", monthLabel).param("level", "participant")
                .param("within", "24h").anyOf("nodes", CATALOGUE), cells(pairs, l -> fixture.flows(false, l.split(ARROW)[0],
                l.split(ARROW)[1], Set.of(fixture.month), 24)), 6));
        assertThat(rows(m, "flows").getJsonObject(0).getString("source")).isEqualTo(BAKERY);
        assertThat(rows(m, "flows").getJsonObject(0).getString("target")).isEqualTo(BUTCHER);

        JsonObject y = ok(OPERATOR_KEY, "/api/v1/journey/flows", "{\"period\": {\"year\": " + year + "}, \"nodes\": " + nodes + "}");
        assertTable(y, "flows", "residents", sums(OPERATOR, y, q("journey.flows", "" + year).param("level", "participant")
                .param("within", "7d").anyOf("nodes", CATALOGUE), cells(pairs, l -> fixture.flows(false, l.split(ARROW)[0],
                l.split(ARROW)[1], Set.copyOf(yearMonths), 168)), 6 * 12));

        List<String> categories = List.of(BREAD, MEAT, EVENT);
        JsonObject c = ok(OPERATOR_KEY, "/api/v1/journey/flows", "{\"period\": {\"month\": " + fixture.month + "},"
                + " \"level\": \"category\", \"within\": \"30d\", \"nodes\": [\"" + BREAD + "\", \"" + MEAT + "\", \"" + EVENT + "\"]}");
        assertTable(c, "flows", "residents", sums(OPERATOR, c, q("journey.flows", monthLabel).param("level", "category")
                .param("within", "30d").anyOf("nodes", categories), cells(pairs(categories, null, false), l -> fixture.flows(
                true, l.split(ARROW)[0], l.split(ARROW)[1], Set.of(fixture.month), 720)), 6));
    }

    @Test
    @Order(4)
    void aParticipantSeesFlowsFromAndToItselfOnly() {
        JsonObject f = ok(BAKERY_KEY, "/api/v1/journey/flows", "{\"period\": {\"year\": " + year + "},"
                + " \"nodes\": [\"" + BUTCHER + "\", \"" + GROCER + "\", \"" + BAKERY + "\"], \"within\": \"30d\"}");
        List<String> nodes = List.of(BUTCHER, GROCER, BAKERY);
        List<String> own = pairs(nodes, BAKERY, true);
        assertThat(own).hasSize(4).allMatch(l -> l.contains(BAKERY));
        assertTable(f, "flows", "residents", sums(BAKERY_ASKER, f, q("journey.flows", "" + year).param("level", "participant")
                .param("within", "30d").anyOf("nodes", nodes).param("row", BAKERY), cells(own, l -> fixture.flows(false,
                l.split(ARROW)[0], l.split(ARROW)[1], Set.copyOf(yearMonths), 720)), 4 * 12));
        Response others = post(BAKERY_KEY, "/api/v1/journey/flows", "{\"period\": {\"year\": " + year + "},"
                + " \"nodes\": [\"" + BUTCHER + "\", \"" + GROCER + "\"]}");
        assertThat(others.status()).isEqualTo(403);
        assertThat(others.body()).contains("\"field\":\"nodes\"");
        Response categories = post(BAKERY_KEY, "/api/v1/journey/flows", "{\"period\": {\"year\": " + year + "},"
                + " \"level\": \"category\", \"nodes\": [\"" + BREAD + "\", \"" + MEAT + "\"]}");
        assertThat(categories.status()).isEqualTo(403);
        assertThat(categories.body()).contains("\"field\":\"level\"");
    }

    // ---- first visits, when and where -----------------------------------------------------------------------

    @Test
    @Order(5)
    void firstVisitsAreCountsPerCatalogueParticipantAndOther() {
        JsonObject a = ok(OPERATOR_KEY, "/api/v1/journey/first-visits", "{\"period\": {\"year\": " + year + "}}");
        List<String> labels = new ArrayList<>(CATALOGUE);
        labels.add("other");
        Predicate<LocalDate> inYear = d -> d.getYear() == year;
        assertTable(a, "firstVisits", "newCustomers", counts(OPERATOR, a, q("journey.first-visits", "" + year),
                cells(labels, l -> fixture.firstVisits(l.equals("other") ? p -> !CATALOGUE.contains(p) : l::equals, inYear))));
        JsonObject own = ok(BAKERY_KEY, "/api/v1/journey/first-visits", "{\"period\": {\"year\": " + year + "}}");
        assertTable(own, "firstVisits", "newCustomers", counts(BAKERY_ASKER, own, q("journey.first-visits", "" + year)
                .param("row", BAKERY), cells(List.of(BAKERY), l -> fixture.firstVisits(BAKERY::equals, inYear))));
    }

    @Test
    @Order(6)
    void whenAndWhereReleaseClampedVisitsAndSpend() {
        JsonObject a = ok(OPERATOR_KEY, "/api/v1/journey/when-where", "{\"period\": {\"year\": " + year + "},"
                + " \"segment\": {\"genders\": [\"female\"]}}");
        Predicate<Person> women = p -> p.gender.equals("FEMALE");
        List<String> slots = new ArrayList<>();
        for (int d = 1; d <= 7; d++) for (int h = 0; h < 24; h++) slots.add(String.format("%d-%02d", d, h));
        Function<String, Predicate<JourneyFixture.Visit>> inSlot = s -> v -> {
            var t = java.time.Instant.ofEpochMilli(v.time()).atZone(JourneyFixture.ZONE);
            return t.getYear() == year && String.format("%d-%02d", t.getDayOfWeek().getValue(), t.getHour()).equals(s);
        };
        assertTable(a, "weekdayHour", "visits", sums(OPERATOR, a, q("journey.visits.weekday-hour", "" + year)
                .anyOf("genders", List.of("FEMALE")), cells(slots, s -> fixture.countedVisits(inSlot.apply(s), women, false)), 4 * 12));
        List<String> places = new ArrayList<>(districts);
        places.add("other");
        Function<String, Predicate<JourneyFixture.Visit>> at = place -> v -> place.equals(
                JourneyFixture.PLACES.getOrDefault(v.participant(), "other"));
        assertTable(a, "places", "visits", sums(OPERATOR, a, q("journey.visits.place", "" + year).anyOf("genders", List.of("FEMALE")),
                cells(places, p -> fixture.countedVisits(at.apply(p), women, false)), 4 * 12));
        assertTable(a, "places", "spendCents", sums(OPERATOR, a, q("journey.spend.place", "" + year).anyOf("genders", List.of("FEMALE")),
                cells(places, p -> fixture.countedVisits(at.apply(p), women, true)), 3000 * 12));

        JsonObject own = ok(BAKERY_KEY, "/api/v1/journey/when-where", "{\"period\": {\"month\": " + fixture.month + "}}");
        Predicate<JourneyFixture.Visit> mine = v -> v.participant().equals(BAKERY) && JourneyFixture.monthOf(v.time()) == fixture.month;
        assertTable(own, "places", "visits", sums(BAKERY_ASKER, own, q("journey.visits.place", monthLabel).param("row", BAKERY),
                cells(places, p -> fixture.countedVisits(mine.and(at.apply(p)), x -> true, false)), 4));
        Response other = post(BAKERY_KEY, "/api/v1/journey/when-where", "{\"period\": {\"month\": " + fixture.month + "},"
                + " \"participant\": \"" + BUTCHER + "\"}");
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.body()).contains("\"field\":\"participant\"");
    }

    // ---- vouchers and engagement ----------------------------------------------------------------------------

    @Test
    @Order(7)
    void voucherCirculationOfTheMonth() {
        JsonObject a = ok(OPERATOR_KEY, "/api/v1/journey/vouchers", "{\"period\": {\"month\": " + fixture.month + "}}");
        List<String> shops = new ArrayList<>(CATALOGUE);
        shops.add("other");
        Predicate<ContributionDelta> all = r -> r.getMonth() == fixture.month;
        Predicate<ContributionDelta> counted = all.and(r -> Math.abs(r.getAmountCents()) >= 500);
        Predicate<ContributionDelta> timed = counted.and(r -> r.getCounterpart() != null && Math.abs(r.getLagDays()) <= 366);
        Function<ContributionDelta, String> where = r -> CATALOGUE.contains(r.getParticipant()) ? r.getParticipant() : "other";
        String m = monthLabel;
        assertTable(a, "giftSold", "amountCents", sums(OPERATOR, a, q("journey.gift.sold.cents", m), truth(shops,
                fixture.voucherSums("gift_voucher_sold", where, ContributionDelta::getAmountCents, all)), CENTS));
        assertTable(a, "giftSold", "vouchers", sums(OPERATOR, a, q("journey.gift.sold.count", m), truth(shops,
                fixture.voucherSums("gift_voucher_sold", where, ContributionDelta::getCount, counted)), COUNTED));
        List<ReleasedCell> redeemedCents = sums(OPERATOR, a, q("journey.gift.redeemed.cents", m), truth(shops,
                fixture.voucherSums("gift_voucher_redeemed", where, ContributionDelta::getAmountCents, all)), CENTS);
        assertTable(a, "giftRedeemed", "amountCents", redeemedCents);
        assertTable(a, "giftRedeemed", "vouchers", sums(OPERATOR, a, q("journey.gift.redeemed.count", m), truth(shops,
                fixture.voucherSums("gift_voucher_redeemed", where, ContributionDelta::getCount, counted)), COUNTED));
        List<ReleasedCell> lag = sums(OPERATOR, a, q("journey.gift.redeemed.lag-days", m), truth(shops,
                fixture.voucherSums("gift_voucher_redeemed", where, ContributionDelta::getLagDays, timed)), LAG);
        List<ReleasedCell> lagCount = sums(OPERATOR, a, q("journey.gift.redeemed.lag-count", m), truth(shops,
                fixture.voucherSums("gift_voucher_redeemed", where, ContributionDelta::getCount, timed)), COUNTED);
        assertTable(a, "giftRedeemed", "lagDays", lag);
        assertThat(lag).anyMatch(c -> !c.suppressed());
        assertTable(a, "giftRedeemed", "timedVouchers", lagCount);
        for (int i = 0; i < shops.size(); i++) {
            JsonObject row = rows(a, "giftRedeemed").getJsonObject(i);
            assertThat(row.getValue("meanDaysToRedemption") == null ? null : row.getDouble("meanDaysToRedemption"))
                    .isEqualTo(meanWithinAYear(ratio(lag.get(i), lagCount.get(i))));
        }
        List<String> matrix = new ArrayList<>();
        for (String s : CATALOGUE) for (String r : CATALOGUE) matrix.add(s + ARROW + r);
        List<ReleasedCell> gift = sums(OPERATOR, a, q("journey.gift.matrix", m), truth(matrix, fixture.voucherSums(
                "gift_voucher_redeemed", r -> r.getCounterpart() + ARROW + r.getParticipant(), ContributionDelta::getAmountCents,
                all.and(r -> r.getCounterpart() != null))), CENTS);
        List<ReleasedCell> shown = consistentLinks(gift, redeemedCents, OPERATOR);
        assertThat(shown).isNotEmpty();
        for (ReleasedCell place : redeemedCents) {
            long into = shown.stream().filter(l -> l.label().endsWith(ARROW + place.label())).mapToLong(ReleasedCell::value).sum();
            assertThat(into).as("issue 15: the shown links into %s within its own released value", place.label())
                    .isLessThanOrEqualTo(place.suppressed() ? 0 : place.value());
        }
        assertTable(a, "giftMatrix", "amountCents", shown);

        List<String> employers = new ArrayList<>(JourneyFixture.EMPLOYERS);
        employers.add("other");
        Function<ContributionDelta, String> employer = r -> JourneyFixture.EMPLOYERS.contains(r.getCounterpart()) ? r.getCounterpart() : "other";
        List<ReleasedCell> credited = sums(OPERATOR, a, q("journey.employer.credited", m), truth(employers,
                fixture.voucherSums("employer_voucher_credited", employer, ContributionDelta::getAmountCents, all)), CENTS);
        List<ReleasedCell> spent = sums(OPERATOR, a, q("journey.employer.spent", m), truth(employers,
                fixture.voucherSums("employer_voucher_spent", employer, ContributionDelta::getAmountCents, all)), CENTS);
        assertTable(a, "employer", "creditedCents", credited);
        assertTable(a, "employer", "spentCents", spent);
        assertThat(rows(a, "employer").getJsonObject(0).getValue("redemptionRate"))
                .isEqualTo(ratio(spent.get(0), credited.get(0)));
        assertTable(a, "employerSpent", "spentCents", sums(OPERATOR, a, q("journey.employer.spent-where", m), truth(shops,
                fixture.voucherSums("employer_voucher_spent", where, ContributionDelta::getAmountCents, all)), CENTS));
        assertTable(a, "bonus", "earnedPoints", sums(OPERATOR, a, q("journey.bonus.earned", m), truth(shops,
                fixture.voucherSums("bonus_points_earned", where, ContributionDelta::getQuantity, all)), 1500));
        assertTable(a, "bonus", "redeemedPoints", sums(OPERATOR, a, q("journey.bonus.redeemed", m), truth(shops,
                fixture.voucherSums("bonus_points_redeemed", where, ContributionDelta::getQuantity, all)), 1500));

        Function<String, Long> total = measure -> fixture.voucherSums(measure, r -> "all", ContributionDelta::getAmountCents, all)
                .getOrDefault("all", 0L);
        List<ReleasedCell> totals = sums(OPERATOR, a, q("journey.voucher.totals", m), List.of(
                new TrueCell("giftSoldCents", total.apply("gift_voucher_sold")),
                new TrueCell("giftRedeemedCents", total.apply("gift_voucher_redeemed")),
                new TrueCell("employerCreditedCents", total.apply("employer_voucher_credited")),
                new TrueCell("employerSpentCents", total.apply("employer_voucher_spent"))), 4 * CENTS);
        JsonObject summary = rows(a, "summary").getJsonObject(0);
        for (ReleasedCell t : totals) assertCell(summary.getJsonObject(t.label()), t);
        assertThat(summary.getDouble("giftRedemptionRate")).isEqualTo(ratio(totals.get(1), totals.get(0)));
        assertThat(summary.getDouble("shareSpentLocally")).isEqualTo(Math.round(1000.0 * (totals.get(1).value()
                + totals.get(3).value()) / (totals.get(0).value() + totals.get(2).value())) / 1000.0);
    }

    @Test
    @Order(8)
    void aParticipantSeesOnlyVouchersItSoldOrRedeemed() {
        JsonObject a = ok(BAKERY_KEY, "/api/v1/journey/vouchers", "{\"period\": {\"month\": " + fixture.month + "}}");
        assertThat(a.getJsonObject("tables").fieldNames()).doesNotContain("employer", "summary");
        for (String table : List.of("giftSold", "giftRedeemed", "employerSpent", "bonus")) {
            assertThat(rows(a, table).size()).isEqualTo(1);
            assertThat(rows(a, table).getJsonObject(0).getString("label")).isEqualTo(BAKERY);
        }
        JsonArray matrix = rows(a, "giftMatrix");
        for (int i = 0; i < matrix.size(); i++) assertThat(matrix.getJsonObject(i).getString("label")).contains(BAKERY);
        Predicate<ContributionDelta> mine = r -> r.getMonth() == fixture.month && BAKERY.equals(r.getParticipant());
        assertTable(a, "giftSold", "amountCents", sums(BAKERY_ASKER, a, q("journey.gift.sold.cents", monthLabel).param("row", BAKERY),
                truth(List.of(BAKERY), fixture.voucherSums("gift_voucher_sold", r -> BAKERY, ContributionDelta::getAmountCents, mine)), CENTS));
    }

    @Test
    @Order(9)
    void engagementAgainstTheAgeBandBaseline() {
        JsonObject a = ok(OPERATOR_KEY, "/api/v1/journey/engagement", "{\"period\": {\"month\": " + fixture.month + "},"
                + " \"participant\": \"" + GROCER + "\"}");
        List<ReleasedCell> engaged = counts(OPERATOR, a, q("journey.engaged", monthLabel).param("row", GROCER),
                List.of(new TrueCell("", fixture.engaged(GROCER, fixture.month, false, p -> true))));
        List<ReleasedCell> buyers = counts(OPERATOR, a, q("journey.engaged-buyers", monthLabel).param("row", GROCER),
                List.of(new TrueCell("", fixture.engaged(GROCER, fixture.month, true, p -> true))));
        JsonObject row = rows(a, "engagement").getJsonObject(0);
        assertCell(row.getJsonObject("residents"), engaged.get(0));
        assertCell(row.getJsonObject("buyers"), buyers.get(0));
        Double conversion = ratio(buyers.get(0), engaged.get(0));
        assertThat(row.getValue("conversion") == null ? null : row.getDouble("conversion")).isEqualTo(conversion);

        List<String> bands = new ArrayList<>(ageBands);
        bands.add("other");
        Function<String, Predicate<Person>> inBand = b -> p -> p.ageBand.equals(b);
        List<ReleasedCell> residents = counts(OPERATOR, a, CanonicalQuestion.of("audience.size").param("breakdown", "ageBand"),
                cells(bands, b -> fixture.residents(true).stream().filter(inBand.apply(b)).count()));
        Predicate<LocalDate> inMonth = d -> d.getYear() * 100 + d.getMonthValue() == fixture.month;
        List<ReleasedCell> customers = counts(OPERATOR, a, q("journey.customers", monthLabel).param("row", GROCER)
                .param("breakdown", "ageBand"), cells(bands, b -> fixture.residents(true).stream().filter(inBand.apply(b))
                .filter(p -> fixture.visits(p, true).stream().anyMatch(v -> v.purchase() && v.participant().equals(GROCER)
                        && inMonth.test(JourneyFixture.date(v.time())))).count()));
        List<ReleasedCell> engagedBand = counts(OPERATOR, a, q("journey.engaged", monthLabel).param("row", GROCER)
                .param("breakdown", "ageBand"), cells(bands, b -> fixture.engaged(GROCER, fixture.month, false, inBand.apply(b))));
        List<ReleasedCell> buyersBand = counts(OPERATOR, a, q("journey.engaged-buyers", monthLabel).param("row", GROCER)
                .param("breakdown", "ageBand"), cells(bands, b -> fixture.engaged(GROCER, fixture.month, true, inBand.apply(b))));
        assertTable(a, "baseline", "residents", residents);
        assertTable(a, "baseline", "customers", customers);
        assertTable(a, "baseline", "engaged", engagedBand);
        assertTable(a, "baseline", "engagedBuyers", buyersBand);
        double weighted = 0;
        long weights = 0;
        for (int i = 0; i < bands.size(); i++) {
            Double rate = null;
            if (!residents.get(i).suppressed() && !customers.get(i).suppressed() && !engagedBand.get(i).suppressed()
                    && !buyersBand.get(i).suppressed() && residents.get(i).value() - engagedBand.get(i).value() > 0) {
                double r = (double) (customers.get(i).value() - buyersBand.get(i).value())
                        / (residents.get(i).value() - engagedBand.get(i).value());
                rate = round(Math.min(1, Math.max(0, r)));
                weighted += engagedBand.get(i).value() * rate;
                weights += engagedBand.get(i).value();
            }
            JsonObject bandRow = rows(a, "baseline").getJsonObject(i);
            assertThat(bandRow.getValue("rate") == null ? null : bandRow.getDouble("rate")).as(bands.get(i)).isEqualTo(rate);
        }
        Double expected = weights == 0 ? null : round(weighted / weights);
        JsonObject summary = rows(a, "summary").getJsonObject(0);
        assertThat(summary.getValue("expectedConversion") == null ? null : summary.getDouble("expectedConversion")).isEqualTo(expected);
        Double lift = conversion == null || expected == null || expected == 0 ? null : round(conversion / expected);
        assertThat(summary.getValue("lift") == null ? null : summary.getDouble("lift")).isEqualTo(lift);
    }

    @Test
    @Order(20)
    void noAnswerNamesAPseudonym() throws java.io.IOException {
        assertThat(answers).hasSizeGreaterThan(10);
        for (String pseudonym : fixture.pseudonyms()) assertThat(answers).noneMatch(b -> b.contains(pseudonym));
        assertThat(answers).noneMatch(b -> b.contains("psn-"));
        JsonObject written = new JsonObject();
        examples.forEach(written::put);
        Files.writeString(Path.of("target", "journey-examples.json"), written.encodePrettily());
    }

    // ---- expected releases ----------------------------------------------------------------------------------

    private CanonicalQuestion q(String kind, String period) {
        return CanonicalQuestion.of(kind).param("period", period);
    }

    private List<ReleasedCell> counts(Asker asker, JsonObject answer, CanonicalQuestion q, List<TrueCell> truth) {
        return control().releaseCounts(asker, asked(answer, q.build()), answer.getString("dataVersion"), truth).cells();
    }

    private List<ReleasedCell> sums(Asker asker, JsonObject answer, CanonicalQuestion q, List<TrueCell> truth, long clamp) {
        return control().releaseSums(asker, asked(answer, q.build()), answer.getString("dataVersion"), truth, clamp).cells();
    }

    /**
     * The gift-voucher links an answer shows (issue 15, finding 6), computed here from the released cells: suppressed
     * ones left out; where the links into a place add up to more than its released redeemed value, each is scaled to
     * ⌊value · placeValue / sum⌋; none into a place whose value is suppressed; a scaled link below the minimum cell
     * (minCellSize × clamp) left out.
     */
    private List<ReleasedCell> consistentLinks(List<ReleasedCell> links, List<ReleasedCell> redeemed, Asker asker) {
        var rules = policy.rules(asker.city(), asker.role());
        Map<String, ReleasedCell> place = new java.util.HashMap<>();
        for (ReleasedCell r : redeemed) place.put(r.label(), r);
        Map<String, Long> into = new java.util.HashMap<>();
        for (ReleasedCell l : links) {
            if (!l.suppressed()) into.merge(l.label().substring(l.label().indexOf(ARROW) + 1), l.value(), Long::sum);
        }
        List<ReleasedCell> out = new ArrayList<>();
        for (ReleasedCell l : links) {
            if (l.suppressed()) continue;
            String target = l.label().substring(l.label().indexOf(ARROW) + 1);
            ReleasedCell own = place.get(target);
            if (own.suppressed()) continue;
            long sum = into.get(target);
            if (sum <= own.value()) {
                out.add(l);
                continue;
            }
            long v = java.math.BigInteger.valueOf(l.value()).multiply(java.math.BigInteger.valueOf(own.value()))
                    .divide(java.math.BigInteger.valueOf(sum)).longValueExact();
            if (v >= rules.minCellSize() * CENTS) out.add(new ReleasedCell(l.label(), v, false, rules.display().show(v)));
        }
        return out;
    }

    /** The question must be one the answer lists: the canonical form is part of the contract. */
    private static Question asked(JsonObject answer, Question q) {
        assertThat(answer.getJsonArray("questions").getList()).contains(q.canonicalForm());
        return q;
    }

    private DisclosureControl control() {
        return new DisclosureControl(policy, BudgetLedger.inMemory(), AuditLog.inMemory(), prfKey, Clock.systemUTC());
    }

    private static List<TrueCell> cells(List<String> labels, Function<String, Long> truth) {
        return labels.stream().map(l -> new TrueCell(l, truth.apply(l))).toList();
    }

    private static List<TrueCell> truth(List<String> labels, Map<String, Long> sums) {
        return cells(labels, l -> sums.getOrDefault(l, 0L));
    }

    /** The ordered pairs as the API lists them: by the nodes' order, with a focus only its own. */
    private static List<String> pairs(List<String> nodes, String focus, boolean bothWays) {
        List<String> out = new ArrayList<>();
        for (String a : nodes) {
            for (String b : nodes) {
                if (!a.equals(b) && (focus == null || a.equals(focus) || (bothWays && b.equals(focus)))) out.add(a + ARROW + b);
            }
        }
        return out;
    }

    /** A quotient of two noisy figures beyond 366 days is noise, not a duration: the API shows none. */
    private static Double meanWithinAYear(Double mean) {
        return mean == null || mean > 366 ? null : mean;
    }

    private static Double ratio(ReleasedCell part, ReleasedCell whole) {
        if (part.suppressed() || whole.suppressed() || whole.value() == 0) return null;
        return round((double) part.value() / whole.value());
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    private static void assertTable(JsonObject answer, String table, String figure, List<ReleasedCell> expected) {
        JsonArray rows = rows(answer, table);
        assertThat(rows.size()).as(table).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(rows.getJsonObject(i).getString("label")).as(table).isEqualTo(expected.get(i).label());
            assertCell(rows.getJsonObject(i).getJsonObject(figure), expected.get(i));
        }
    }

    private static JsonArray rows(JsonObject answer, String table) {
        JsonArray rows = answer.getJsonObject("tables").getJsonArray(table);
        assertThat(rows).as(table + " in " + answer.encode()).isNotNull();
        return rows;
    }

    // ---- HTTP and data --------------------------------------------------------------------------------------

    private record Response(int status, String body) {}

    private JsonObject ok(String apiKey, String path, String body) {
        Response r = post(apiKey, path, body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        examples.putIfAbsent(path + (apiKey.equals(OPERATOR_KEY) ? " (operator)" : " (participant)"),
                new JsonObject().put("request", new JsonObject(body)).put("response", new JsonObject(r.body())));
        return new JsonObject(r.body());
    }

    private Response post(String apiKey, String path, String body) {
        HttpResponse<Buffer> response = http.post(path).putHeader("Authorization", "Bearer " + apiKey)
                .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)).await();
        String text = response.bodyAsString() == null ? "" : response.bodyAsString();
        answers.add(text);
        return new Response(response.statusCode(), text);
    }

    private static String catalogue() {
        ObjectNode root = JSON.createObjectNode().put("city", JourneyFixture.CITY);
        ArrayNode participants = root.putArray("participants");
        CATALOGUE.forEach(p -> participants.addObject().put("id", p).put("district", JourneyFixture.POSTCODES.get(p)));
        ArrayNode employers = root.putArray("employers");
        JourneyFixture.EMPLOYERS.forEach(e -> employers.addObject().put("id", e));
        return root.toString();
    }

    private static String policyJson() {
        return """
                {"city": "musterstadt", "timeZone": "Europe/Berlin",
                 "clamps": {"visitsPerPersonMonth": %d, "spendCentsPerPersonMonth": %d, "voucherCentsPerPersonMonth": %d,
                            "bonusPointsPerPersonMonth": %d},
                 "roles": {
                  "operator": {"mechanism": "discrete-laplace", "epsilonPerQuestion": 5, "delta": 0, "minCellSize": 2,
                               "budget": {"day": 100000, "month": 1000000}, "sameAnswerWithinVersion": true},
                  "participant": {"mechanism": "discrete-laplace", "epsilonPerQuestion": 3, "delta": 0, "minCellSize": 2,
                                  "budget": {"day": 1000, "month": 10000}, "sameAnswerWithinVersion": true}}}
                """.formatted(CLAMPS.visits(), CLAMPS.spendCents(), CLAMPS.voucherCents(), CLAMPS.bonusPoints());
    }

    private static String apiKeys() {
        return TestParticipants.operatorAndParticipant(JourneyFixture.CITY, OPERATOR_KEY, BAKERY, BAKERY_KEY);
    }
}
