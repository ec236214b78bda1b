package de.prokommun.insights.local;

import static de.prokommun.insights.local.BehaviourTestSupport.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.prokommun.insights.city.City;
import de.prokommun.insights.city.CityFiles;
import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.local.JourneyOracle.Bonus;
import de.prokommun.insights.local.JourneyOracle.CheckIn;
import de.prokommun.insights.local.JourneyOracle.Credit;
import de.prokommun.insights.local.JourneyOracle.Engagement;
import de.prokommun.insights.local.JourneyOracle.GiftRedemption;
import de.prokommun.insights.local.JourneyOracle.Line;
import de.prokommun.insights.local.JourneyOracle.Person;
import de.prokommun.insights.local.JourneyOracle.Receipt;
import de.prokommun.insights.local.JourneyOracle.Sale;
import de.prokommun.insights.local.JourneyOracle.Spend;
import de.prokommun.insights.privacy.PrivacyPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The customer journey and voucher circulation (issue 7) end to end with real engines: the shops upload their
 * product-group mappings, the portal registers residents, and a story of purchases across shops (consecutive
 * visits with gaps of under an hour, a day, a week and over 30 days), club check-ins, newsletter subscriptions and
 * follows followed by purchases, gift vouchers sold by one resident and redeemed by another, employer voucher
 * credits and redemptions and bonus points arrives over HTTP; both Flink jobs run on a MiniCluster at parallelism
 * 2, Pinot in its own JVM.
 * <p>{@link JourneyOracle} computes every journey and voucher row of the contributions table from the posted events
 * in plain Java (docs/JOURNEY-MEASURES.md): Pinot's exact sums must equal them. Then a purchase in the middle of a flow
 * chain is retracted (the flow re-links) and a resident who bought a gift voucher (redeemed by another resident)
 * and had pairs, flows, visits and engagement is erased; everything is compared again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JourneyEndToEndIT {

    static final String CITY = "musterstadt";
    private static final String SECRET = "journey-secret-of-musterstadt";
    static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(180);
    private static final String PROFILES = PinotTables.PROFILES.name();
    private static final String CONTRIBUTIONS = PinotTables.CONTRIBUTIONS.name();

    static final String PORTAL = "portal";
    static final String OPERATOR = "stadtmarketing";
    static final String BAKERY = "baeckerei-schmidt";
    static final String BUTCHER = "metzgerei-brand";
    static final String ORGANIC = "bio-saarn";
    static final String BOOKS = "buchhandlung-ruhrbuch";
    static final String FASHION = "modehaus-rubens";
    static final String CLUB = "tus-saarn";
    /** Not in the participants catalogue: its visits have no place. */
    static final String FARM = "hofladen-ruhrwiese";
    static final String VOUCHERS = "musterstadt-gutschein";
    static final List<String> SHOPS = List.of(BAKERY, BUTCHER, ORGANIC, BOOKS, FASHION, FARM);

    private static final String UNMAPPED_GROUP = "Diverses";
    static final Map<String, Map<String, String>> MAPPINGS = Map.of(
            BAKERY, Map.of("Brot", "lebensmittel.backwaren", "Kuchen", "lebensmittel.suesswaren-snacks",
                    "Kaffee", "gastronomie.cafe"),
            BUTCHER, Map.of("Wurst", "lebensmittel.fleisch-wurst", "Mittagstisch", "gastronomie.imbiss"),
            ORGANIC, Map.of("Gemüse", "lebensmittel.obst-gemuese", "Käse", "lebensmittel.molkerei-kaese"),
            BOOKS, Map.of("Buch", "freizeit.buecher-zeitschriften"),
            FASHION, Map.of("Damen", "mode.damen", "Schmuck", "mode.accessoires-schmuck"),
            FARM, Map.of("Eier", "lebensmittel.molkerei-kaese", "Gemüse", "lebensmittel.obst-gemuese"));
    private static final String TRAINING = "vereine.training";

    /** Ages this year, each far from an age band's limits (the story lies in last year). */
    private static final int[] AGES = {21, 30, 42, 57, 72, 30, 42, 57};
    private static final String[] GENDERS = {"FEMALE", "MALE", "FEMALE", "DIVERSE", "MALE"};
    private static final String[] POSTCODES = {"45468", "45470", "45472", "45476", "45481"};
    private static final String[] HOUSEHOLDS = {"FAMILY", "COUPLE", "SINGLE", "SINGLE_PARENT", "COUPLE", "SHARED"};
    static final int RESIDENTS = 30;
    static final String NO_CONSENT = "R-31";
    static final String ERASED = "R-03";
    static final String CHAIN_OWNER = "R-02";
    static final String RETRACTED = "J-R02-BUTCHER";

    @TempDir
    static Path dir;

    LocalSystem system;
    BehaviourTestSupport support;
    Map<String, String> keys;
    PrivacyPolicy policy;
    byte[] prfKey;
    JourneyOracle oracle;
    final int thisYear = LocalDate.now(ZONE).getYear();
    final int year = thisYear - 1;
    private int eventSeq;
    /** Everything the story posts, with its sender. */
    private final List<Posted> story = new ArrayList<>();
    private final Map<String, Posted> purchases = new LinkedHashMap<>();

    record Posted(String sender, ObjectNode event) {
        Instant time() {
            return Instant.parse(event.get("eventTime").asText());
        }
    }

    @BeforeAll
    void startTheSystem() throws Exception {
        Map<String, String> roles = new LinkedHashMap<>();
        roles.put(PORTAL, "PORTAL");
        for (String p : List.of(BAKERY, BUTCHER, ORGANIC, BOOKS, FASHION, CLUB, FARM, VOUCHERS)) roles.put(p, "PARTICIPANT");
        roles.put(OPERATOR, "OPERATOR");
        BehaviourTestSupport.StartedSystem started = BehaviourTestSupport.startSystem(dir, CITY, SECRET, roles, 5000,
                BehaviourTestSupport.RESOLVE_EVERY_PERSON);
        system = started.system();
        support = started.support();
        keys = started.keys();
        policy = started.policy();
        prfKey = started.prfKey();

        Path citiesDir = started.citiesDir();
        City city = CityFiles.find(citiesDir, CITY).orElseThrow();
        CitySegments segments = CitySegments.of(city, thisYear);
        // catalogue postcode → city.json district, as the pipeline places a visit
        Map<String, String> places = city.participantPlaces();
        assertThat(places).as("fixture: the test's participants are in the catalogue, the farm is not")
                .containsKeys(BAKERY, BUTCHER, ORGANIC, BOOKS, FASHION, CLUB).doesNotContainKey(FARM);
        JsonNode clamps = JSON.readTree(started.policyFile().toFile()).path("clamps");
        oracle = new JourneyOracle(ZONE, places, segments, new JourneyOracle.Clamps(
                clamps.get("visitsPerPersonMonth").asLong(), clamps.get("spendCentsPerPersonMonth").asLong(),
                clamps.get("voucherCentsPerPersonMonth").asLong(), clamps.get("bonusPointsPerPersonMonth").asLong()));
    }

    @AfterAll
    void stopTheSystem() {
        if (system != null) system.close();
    }

    // ---- the tests -------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void everyJourneyAndVoucherFigureEqualsTheDirectComputation() throws Exception {
        long started = System.nanoTime();
        uploadMappings();
        registerResidents();
        awaitMappingsApplied();
        writeTheStory();
        postInTimeOrder(story);
        System.out.printf("[journey] %d events posted for %d live residents%n", story.size(), oracle.residents().size());
        awaitPinotEqualsTheOracle("after the story");
        new JourneyAnswers(this).askEverythingAndCompare();
        System.out.printf("[journey] all figures equal (%.1f s since the first mapping)%n", (System.nanoTime() - started) / 1e9);
    }

    @Test
    @Order(2)
    void aRetractionInAFlowChainAndAnErasureChangeEveryFigureByExactlyTheirContributions() throws Exception {
        Map<String, Map<String, List<Long>>> before = oracle.tableFigures();
        Posted original = purchases.get(RETRACTED);
        support.postEvents(keys.get(original.sender()), List.of(event("purchase.retracted", original.time().plusSeconds(300),
                CHAIN_OWNER, Map.of("receipt", RETRACTED))));
        support.postEvents(keys.get(PORTAL), List.of(event("erasure.requested",
                ZonedDateTime.of(LocalDate.now(ZONE).minusDays(1).atTime(12, 0), ZONE).toInstant(), ERASED, Map.of())));
        oracle.retract(CHAIN_OWNER, RETRACTED);
        oracle.erase(ERASED);

        Map<String, Map<String, List<Long>>> after = oracle.tableFigures();
        // the change has teeth: the chain re-links bakery → organic shop, the erased buyer's voucher loses its seller
        String relinked = BAKERY + "|" + ORGANIC + "|24|" + (year * 100 + 4);
        assertThat(after.get("flow_month by from/to/bucket/month").get(relinked).get(0))
                .isEqualTo(before.get("flow_month by from/to/bucket/month").getOrDefault(relinked, List.of(0L)).get(0) + 1);
        assertThat(after.get("gift_voucher_redeemed by participant/counterpart/month"))
                .containsKey(FASHION + "|null|" + (year * 100 + 6));
        for (String figure : before.keySet()) {
            if (!figure.startsWith("bonus_points_redeemed") && !figure.startsWith("customer_month")) {
                assertThat(after.get(figure)).as("fixture: " + figure + " changes").isNotEqualTo(before.get(figure));
            }
        }
        awaitPinotEqualsTheOracle("after the retraction of " + RETRACTED + " and the erasure of " + ERASED);
        new JourneyAnswers(this).askEverythingAndCompare();
    }

    @Test
    @Order(3)
    void aParticipantSeesOnlyFiguresThatInvolveItself() throws Exception {
        new JourneyAnswers(this).participantScope();
    }

    // ---- the story -------------------------------------------------------------------------------------------------

    private void uploadMappings() throws Exception {
        for (Map.Entry<String, Map<String, String>> m : MAPPINGS.entrySet()) {
            support.putMapping(keys.get(m.getKey()), m.getValue());
            m.getValue().forEach((group, category) -> oracle.mapping(m.getKey(), group, category));
        }
    }

    /** 30 residents with analytics consent, one without (whose events must count nowhere). */
    private void registerResidents() throws Exception {
        Instant at = ZonedDateTime.of(LocalDate.of(year, 1, 2).atTime(9, 0), ZONE).toInstant();
        List<ObjectNode> events = new ArrayList<>();
        for (int i = 1; i <= RESIDENTS + 1; i++) {
            int age = AGES[(i - 1) % AGES.length];
            Person p = oracle.register(new Person(String.format("R-%02d", i), thisYear - age, GENDERS[i % GENDERS.length],
                    POSTCODES[(i / 2) % POSTCODES.length], HOUSEHOLDS[i % HOUSEHOLDS.length], i <= RESIDENTS));
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("birthDate", p.birthYear + "-07-01");
            data.put("gender", p.gender);
            data.put("postcode", p.postcode);
            data.put("householdType", p.household);
            data.put("interests", List.of());
            data.put("consents", Map.of("analytics", p.consent, "offers", true, "newsletter", true));
            events.add(event("resident.registered", at.plusSeconds(i), p.ref, data));
        }
        support.postEvents(keys.get(PORTAL), events);
        awaitCount("profiles of the consenting residents", "SELECT COUNT(*) FROM " + PROFILES
                + " WHERE deleted = false AND pseudonym IN (" + String.join(",", oracle.residents().stream()
                .map(p -> "'" + BehaviourTestSupport.pseudonym(SECRET, p.ref) + "'").toList()) + ")", RESIDENTS);
    }

    /**
     * A mapping applies to purchases processed after it arrived. Probe residents buy one mapped group in every shop
     * until their purchase records show no unmapped category; the probes are then erased (and never in the oracle).
     */
    private void awaitMappingsApplied() throws Exception {
        Instant t = ZonedDateTime.of(LocalDate.of(year, 1, 3).atTime(9, 0), ZONE).toInstant();
        for (int probe = 1; probe <= 20; probe++) {
            String ref = "PROBE-" + probe;
            support.postEvents(keys.get(PORTAL), List.of(event("resident.registered", t, ref, Map.of(
                    "birthDate", "1980-05-05", "gender", "FEMALE", "postcode", "45468", "householdType", "SINGLE",
                    "consents", Map.of("analytics", true, "offers", false, "newsletter", false)))));
            int k = 0;
            for (String shop : SHOPS) {
                String group = new java.util.TreeSet<>(MAPPINGS.get(shop).keySet()).first();
                support.postEvents(keys.get(shop), List.of(event("purchase", t.plusSeconds(60 + k++), ref, Map.of(
                        "receipt", ref + "-" + shop, "lines", List.of(Map.of("productGroup", group, "quantity", 1,
                                "amountCents", 100))))));
            }
            String records = "SELECT COUNT(*) FROM " + PinotTables.PERSON_RECORDS.name() + " WHERE pseudonym = '"
                    + BehaviourTestSupport.pseudonym(SECRET, ref) + "' AND kind = 'purchase' AND deleted = false";
            awaitCount("purchase records of " + ref, records, SHOPS.size());
            long unmapped = system.pinot().queryCount(records + " AND categories = 'unmapped'");
            support.postEvents(keys.get(PORTAL), List.of(event("erasure.requested", t.plusSeconds(120), ref, Map.of())));
            if (unmapped == 0) return;
            Thread.sleep(1000);
        }
        throw new AssertionError("the product-group mappings never reached the profile job");
    }

    private LocalDateTime at(int month, int day, int hour, int minute) {
        return LocalDate.of(year, month, day).atTime(hour, minute);
    }

    private void writeTheStory() {
        designedStories();
        randomTrips(new Random(7_2026L));
    }

    /** The stories each figure is built around; comments give the expected effect. */
    private void designedStories() {
        // a chain of visits with gaps of exactly 1 h, 30 min, 21.5 h, ~6 days and 72 days
        buy("R-01", BAKERY, at(3, 3, 9, 0), line("Brot", 450));
        buy("R-01", BUTCHER, at(3, 3, 10, 0), line("Wurst", 820));
        buy("R-01", ORGANIC, at(3, 3, 10, 30), line("Gemüse", 610), line("Käse", 300));
        checkIn("R-01", CLUB, at(3, 4, 8, 0), null);
        buy("R-01", BAKERY, at(3, 9, 10, 0), line("Kuchen", 380));
        buy("R-01", BUTCHER, at(5, 20, 10, 0), line("Mittagstisch", 790));
        // bakery → butcher → organic shop on one day; the butcher's receipt is retracted later (re-link: 4 h)
        buy("R-02", BAKERY, at(4, 7, 10, 0), line("Brot", 300));
        buy("R-02", BUTCHER, at(4, 7, 11, 30), RETRACTED, line("Wurst", 1200));
        buy("R-02", ORGANIC, at(4, 7, 14, 0), line("Käse", 900));
        // R-03 (erased later): newsletter of the organic shop, then purchases there, a gift voucher bought at the
        // bookshop and redeemed by R-04 at the fashion house twice, an employer credit and spend, bonus points
        subscribe("R-03", ORGANIC, at(5, 1, 18, 0));
        sell("V-1", BOOKS, "R-03", at(5, 5, 11, 0), 5_000);
        buy("R-03", BAKERY, at(5, 6, 9, 0), line("Brot", 280), line("Kaffee", 320));
        buy("R-03", ORGANIC, at(5, 6, 9, 40), line("Gemüse", 450));
        bonus("R-03", BAKERY, at(5, 6, 9, 1), 200, true);
        checkIn("R-03", CLUB, at(5, 7, 19, 0), TRAINING);
        buy("R-03", BOOKS, at(4, 14, 16, 0), line("Buch", 2_400));
        credit("R-03", "klinikum-musterstadt", at(4, 1, 10, 0), 5_000);
        employerSpend("R-03", BOOKS, at(4, 15, 15, 0), 2_500);
        follow("R-03", FASHION, at(6, 2, 20, 0));
        buy("R-03", FASHION, at(6, 9, 12, 0), line("Damen", 6_900));
        redeem("R-04", "V-1", FASHION, at(6, 10, 15, 0), 3_000);
        redeem("R-04", "V-1", FASHION, at(7, 2, 16, 0), 2_000);
        buy("R-04", FASHION, at(6, 10, 15, 5), line("Damen", 8_900), line(UNMAPPED_GROUP, 300));
        // R-12 buys a voucher and redeems it herself; an anonymous sale redeemed by R-13 (seller unknown)
        sell("V-2", BOOKS, "R-12", at(8, 1, 10, 0), 2_500);
        redeem("R-12", "V-2", BOOKS, at(8, 20, 12, 0), 2_500);
        sell("V-3", BOOKS, null, at(9, 1, 10, 0), 4_000);
        redeem("R-13", "V-3", BAKERY, at(9, 3, 12, 0), 4_000);
        // a voucher bought by the resident without consent: redeemed by R-15, the seller is unknown
        sell("V-4", BOOKS, NO_CONSENT, at(10, 1, 10, 0), 3_000);
        redeem("R-15", "V-4", FASHION, at(10, 5, 12, 0), 3_000);
        // R-14 buys three 100-euro vouchers in one month (the third is cut to 0); R-16 redeems two of them and one
        // of R-12 in one month (the last is cut to 0); the resident without consent redeems nothing countable
        sell("V-5", BOOKS, "R-14", at(11, 2, 10, 0), 10_000);
        sell("V-6", BOOKS, "R-14", at(11, 3, 10, 0), 10_000);
        sell("V-7", BOOKS, "R-14", at(11, 4, 10, 0), 10_000);
        sell("V-8", BOOKS, "R-12", at(11, 5, 10, 0), 5_000);
        redeem(NO_CONSENT, "V-5", BAKERY, at(11, 10, 12, 0), 10_000);
        redeem("R-16", "V-6", BAKERY, at(11, 12, 12, 0), 10_000);
        redeem("R-16", "V-7", FASHION, at(11, 20, 12, 0), 10_000);
        redeem("R-16", "V-8", FASHION, at(11, 25, 12, 0), 5_000);
        // employer vouchers: five credits in one month (the fifth is cut to 0), a spend 29 days after the last
        for (int d = 1; d <= 5; d++) credit("R-08", "klinikum-musterstadt", at(3, d, 10, 0), 5_000);
        employerSpend("R-08", BAKERY, at(4, 3, 15, 0), 2_000);
        employerSpend("R-09", BUTCHER, at(6, 4, 15, 0), 1_500); // no credit: employer unknown
        credit("R-10", "stadtwerke-musterstadt", at(2, 1, 10, 0), 5_000);
        employerSpend("R-10", BAKERY, at(2, 20, 15, 0), 2_000);
        credit("R-10", "stahlwerk-ruhr", at(3, 1, 10, 0), 5_000);
        employerSpend("R-10", ORGANIC, at(3, 1, 15, 0), 3_000);
        credit(NO_CONSENT, "klinikum-musterstadt", at(3, 1, 10, 0), 5_000);
        employerSpend(NO_CONSENT, BAKERY, at(3, 2, 15, 0), 5_000);
        // bonus points: 6000 earned in one month (cut at 5000), some redeemed
        bonus("R-11", BAKERY, at(5, 2, 10, 0), 3_000, true);
        bonus("R-11", BUTCHER, at(5, 9, 10, 0), 3_000, true);
        bonus("R-11", ORGANIC, at(5, 20, 10, 0), 500, false);
        bonus(NO_CONSENT, BAKERY, at(5, 2, 10, 0), 1_000, true);
        // engagement: a follow then a purchase within 30 days (buyer), a subscription then a purchase after 47 days
        // (not a buyer), a purchase before the subscription (not a buyer), a follow at the end of July and a
        // purchase in August (buyer of July), the city newsletter (no buyers ever)
        follow("R-05", BAKERY, at(6, 1, 10, 0));
        buy("R-05", BAKERY, at(6, 20, 8, 15), line("Brot", 350));
        subscribe("R-06", ORGANIC, at(6, 3, 10, 0));
        buy("R-06", ORGANIC, at(7, 20, 11, 0), line("Gemüse", 720));
        buy("R-07", ORGANIC, at(6, 5, 11, 0), line("Käse", 540));
        subscribe("R-07", ORGANIC, at(6, 10, 10, 0));
        follow("R-17", BUTCHER, at(7, 28, 10, 0));
        buy("R-17", BUTCHER, at(8, 20, 17, 0), line("Wurst", 640));
        subscribe("R-18", PORTAL, at(6, 2, 10, 0));
        follow(NO_CONSENT, BAKERY, at(6, 1, 10, 0));
        buy(NO_CONSENT, BAKERY, at(6, 3, 10, 0), line("Brot", 350));
        buy(NO_CONSENT, BUTCHER, at(6, 3, 10, 20), line("Wurst", 350));
        // more than 20 visits in one month (visit rows stop at 20) and spend above the monthly cut
        for (int d = 1; d <= 22; d++) buy("R-19", BAKERY, at(8, d, 7, 30), line("Brot", 500));
        buy("R-20", FASHION, at(9, 6, 11, 0), line("Damen", 30_000));
        buy("R-20", FASHION, at(9, 13, 11, 0), line("Schmuck", 30_000));
        buy("R-20", BAKERY, at(9, 14, 8, 0), line("Brot", 300));
        // main category ties (the smaller id wins: gastronomie.cafe) and an all-unmapped receipt at the farm
        buy("R-21", BAKERY, at(10, 10, 9, 0), line("Brot", 300), line("Kaffee", 300));
        buy("R-21", FARM, at(10, 10, 9, 45), line(UNMAPPED_GROUP, 700));
        buy("R-21", BUTCHER, at(10, 10, 10, 15), line("Wurst", 300), line(UNMAPPED_GROUP, 5_000));
    }

    /** Everyone shops on a few days of the year, one to three stops a day, sometimes at the club; bonus points. */
    private void randomTrips(Random random) {
        List<String> stops = new ArrayList<>(SHOPS);
        stops.add(CLUB);
        for (int i = 1; i <= RESIDENTS + 1; i++) {
            String ref = String.format("R-%02d", i);
            int trips = 3 + random.nextInt(5);
            for (int t = 0; t < trips; t++) {
                LocalDateTime when = LocalDate.of(year, 1, 10).plusDays(random.nextInt(330))
                        .atTime(8 + random.nextInt(10), random.nextInt(60));
                int n = 1 + random.nextInt(3);
                List<String> order = new ArrayList<>(stops);
                java.util.Collections.shuffle(order, random);
                for (int s = 0; s < n; s++) {
                    String where = order.get(s);
                    if (where.equals(CLUB)) {
                        checkIn(ref, CLUB, when, random.nextBoolean() ? null : TRAINING);
                    } else {
                        List<String> groups = new ArrayList<>(new java.util.TreeSet<>(MAPPINGS.get(where).keySet()));
                        groups.add(UNMAPPED_GROUP);
                        List<Line> lines = new ArrayList<>();
                        int l = 1 + random.nextInt(3);
                        for (int k = 0; k < l; k++) {
                            lines.add(new Line(groups.get(random.nextInt(groups.size())), 1 + random.nextInt(3),
                                    50 + random.nextInt(3_000)));
                        }
                        buy(ref, where, when, null, lines.toArray(Line[]::new));
                        if (random.nextInt(5) == 0) bonus(ref, where, when.plusSeconds(30), 20 + random.nextInt(300), true);
                    }
                    when = when.plusMinutes(10 + random.nextInt(150));
                }
            }
        }
    }

    private static Line line(String group, long cents) {
        return new Line(group, 1, cents);
    }

    private Instant instant(LocalDateTime t) {
        return ZonedDateTime.of(t, ZONE).toInstant();
    }

    private void buy(String ref, String shop, LocalDateTime when, Line... lines) {
        buy(ref, shop, when, null, lines);
    }

    private void buy(String ref, String shop, LocalDateTime when, String receipt, Line... lines) {
        String id = receipt != null ? receipt : "J-" + (purchases.size() + 1);
        Instant t = instant(when);
        List<Map<String, Object>> json = java.util.Arrays.stream(lines).map(l -> Map.<String, Object>of("productGroup",
                l.productGroup(), "quantity", l.quantity(), "amountCents", l.amountCents())).toList();
        Posted p = post(shop, event("purchase", t, ref, Map.of("receipt", id, "lines", json)));
        purchases.put(id, p);
        oracle.purchase(ref, new Receipt(shop, id, t, List.of(lines)));
    }

    private void checkIn(String ref, String club, LocalDateTime when, String category) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("happening", "training-" + when.toLocalDate());
        if (category != null) data.put("category", category);
        ObjectNode e = event("event.checked_in", instant(when), ref, data);
        post(club, e);
        oracle.checkIn(ref, new CheckIn(club, e.get("eventId").asText(), instant(when), category));
    }

    private void subscribe(String ref, String participant, LocalDateTime when) {
        post(participant, event("newsletter.subscribed", instant(when), ref, Map.of("newsletter", participant + "-news")));
        oracle.engaged(ref, new Engagement(participant, instant(when)));
    }

    /** Follows are reported by the portal (the city app); P is the followed participant. */
    private void follow(String ref, String participant, LocalDateTime when) {
        post(PORTAL, event("participant.followed", instant(when), ref, Map.of("followed", participant)));
        oracle.engaged(ref, new Engagement(participant, instant(when)));
    }

    private void sell(String voucher, String seller, String buyer, LocalDateTime when, long cents) {
        post(seller, event("gift_voucher.sold", instant(when), buyer, Map.of("voucher", voucher, "amountCents", cents)));
        oracle.sale(new Sale(voucher, seller, buyer, instant(when), cents));
    }

    private void redeem(String ref, String voucher, String where, LocalDateTime when, long cents) {
        post(where, event("gift_voucher.redeemed", instant(when), ref, Map.of("voucher", voucher, "amountCents", cents)));
        oracle.giftRedemption(ref, new GiftRedemption(voucher, where, instant(when), cents));
    }

    /** Employer credits are reported by the city's voucher system. */
    private void credit(String ref, String employer, LocalDateTime when, long cents) {
        post(VOUCHERS, event("employer_voucher.credited", instant(when), ref, Map.of("employer", employer, "amountCents", cents)));
        oracle.credit(ref, new Credit(VOUCHERS, employer, instant(when), cents));
    }

    private void employerSpend(String ref, String where, LocalDateTime when, long cents) {
        post(where, event("employer_voucher.redeemed", instant(when), ref, Map.of("amountCents", cents)));
        oracle.employerSpend(ref, new Spend(where, instant(when), cents));
    }

    private void bonus(String ref, String where, LocalDateTime when, long points, boolean earned) {
        post(where, event(earned ? "bonus.earned" : "bonus.redeemed", instant(when), ref, Map.of("points", points)));
        oracle.bonus(ref, new Bonus(where, instant(when), points, earned));
    }

    private Posted post(String sender, ObjectNode e) {
        Posted p = new Posted(sender, e);
        story.add(p);
        return p;
    }

    ObjectNode event(String type, Instant time, String resident, Map<String, Object> data) {
        return BehaviourTestSupport.event("jr-" + (++eventSeq), type, time.toString(), resident, null, data);
    }

    /** In event-time order, batched while the sender stays the same. */
    private void postInTimeOrder(List<Posted> events) throws Exception {
        List<Posted> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(Posted::time));
        List<ObjectNode> batch = new ArrayList<>();
        String sender = null;
        for (Posted p : sorted) {
            if (sender != null && !p.sender().equals(sender)) {
                support.postEvents(keys.get(sender), batch);
                batch = new ArrayList<>();
            }
            sender = p.sender();
            batch.add(p.event());
        }
        if (!batch.isEmpty()) support.postEvents(keys.get(sender), batch);
    }

    // ---- waiting for Pinot -----------------------------------------------------------------------------------------

    private void awaitPinotEqualsTheOracle(String when) throws Exception {
        Map<String, Map<String, List<Long>>> expected = oracle.tableFigures();
        expected.forEach((figure, rows) -> assertThat(rows).as("fixture: the story has rows of " + figure).isNotEmpty());
        double seconds = BehaviourTestSupport.awaitNoDifference(when, VISIBLE_WITHIN, () ->
                BehaviourTestSupport.difference(expected, JourneyOracle.pinotFigures(support, CITY, CONTRIBUTIONS)));
        StringBuilder s = new StringBuilder();
        expected.forEach((name, rows) -> s.append(name, 0, name.indexOf(' ')).append(' ').append(rows.size()).append("; "));
        System.out.printf("[journey] %s: Pinot's exact sums equal the oracle after %.1f s (rows: %s)%n", when, seconds, s);
    }

    private void awaitCount(String what, String sql, long expected) throws Exception {
        support.awaitCount(what, sql, expected, VISIBLE_WITHIN);
    }
}
