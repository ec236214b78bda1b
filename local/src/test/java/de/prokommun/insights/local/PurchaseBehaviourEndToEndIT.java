package de.prokommun.insights.local;

import static de.prokommun.insights.local.BehaviourTestSupport.JSON;
import static de.prokommun.insights.local.BehaviourTestSupport.assertCell;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.importer.ColumnMapping;
import de.prokommun.insights.importer.HistoryImport;
import de.prokommun.insights.importer.ImportReport;
import de.prokommun.insights.importer.Progress;
import de.prokommun.insights.local.PurchaseOracle.Line;
import de.prokommun.insights.local.PurchaseOracle.Person;
import de.prokommun.insights.local.PurchaseOracle.Receipt;
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
import de.prokommun.insights.query.audience.AudienceFilter;
import de.prokommun.insights.query.audience.AudienceQuery;
import de.prokommun.insights.query.audience.Breakdown;
import de.prokommun.insights.query.audience.CityCatalog;
import de.prokommun.insights.query.audience.CityVocabulary;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
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
 * Purchase behaviour end to end (issue 5) with real engines: shops upload product-group mappings, the portal
 * registers residents and links cards, purchases arrive over HTTP (by card and by resident) and through the
 * historical importer (a CSV export of one shop, {@link HistoryImport} against the ingestion URL), the Flink jobs
 * run on a MiniCluster at parallelism 2, Pinot in its own JVM, and the insights are asked over HTTP.
 * <p>{@link PurchaseOracle} computes every figure from the posted events in plain Java. First the exact sums in
 * Pinot (no privacy layer) must equal the oracle's; then every figure of affinity, product history, trend and the
 * assortment check must equal what an independent {@link DisclosureControl} (same key and policy, fresh ledger)
 * releases for the oracle's truth — noise included, so an off-by-one anywhere shows. Then one purchase is
 * retracted by its shop and one resident erased by the portal, and everything is compared again.
 * <p>The story spans the two calendar years before this one plus recent weeks (so "still active" has members);
 * the residents' ages are chosen so that no age band or age-based persona changes over those years.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PurchaseBehaviourEndToEndIT {

    private static final String CITY = "musterstadt";
    private static final String SECRET = "purchase-behaviour-secret-of-musterstadt";
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(180);
    private static final int ACTIVE_DAYS = 90;
    private static final String PROFILES = PinotTables.PROFILES.name();
    private static final String CONTRIBUTIONS = PinotTables.CONTRIBUTIONS.name();

    private static final String PORTAL = "portal";
    private static final String BAKERY = "baeckerei";
    private static final String MARKET = "markt";
    private static final String FARM = "hofladen";
    private static final String OPERATOR = "stadtmarketing";

    private static final String BREAD = "lebensmittel.backwaren";
    private static final String VEG = "lebensmittel.obst-gemuese";
    private static final String MEAT = "lebensmittel.fleisch-wurst";
    private static final String DRINKS = "lebensmittel.getraenke";
    private static final String CAFE = "gastronomie.cafe";
    private static final String DAIRY = "lebensmittel.molkerei-kaese";

    private static final Map<String, Map<String, String>> MAPPINGS = Map.of(
            BAKERY, Map.of("Brot", BREAD, "Brötchen", BREAD, "Kuchen", BREAD, "Kaffee", CAFE),
            MARKET, Map.of("Obst", VEG, "Gemüse", VEG, "Wurst", MEAT, "Brot", BREAD, "Getränke", DRINKS),
            FARM, Map.of("Brot", BREAD, "Gemüse", VEG, "Eier", DAIRY));
    /** What the shops sell; the market's "Sonderposten" stays unmapped on purpose. */
    private static final Map<String, List<String>> GROUPS = Map.of(
            BAKERY, List.of("Brot", "Brötchen", "Kuchen", "Kaffee"),
            MARKET, List.of("Obst", "Gemüse", "Wurst", "Brot", "Getränke", "Sonderposten"),
            FARM, List.of("Brot", "Gemüse", "Eier"));
    /** Ages this year: none crosses an age band or an age rule of a persona within the last two years. */
    private static final int[] AGES = {22, 28, 32, 40, 46, 55, 60, 70, 76, 85};
    private static final String[] GENDERS = {"FEMALE", "MALE", "FEMALE", "DIVERSE", "MALE"};
    private static final String[] POSTCODES = {"45468", "45470", "45472", "45476", "45481"};
    private static final String[] HOUSEHOLDS = {"FAMILY", "COUPLE", "SINGLE", "SINGLE_PARENT", "COUPLE", "FAMILY", "SHARED"};
    private static final String ERASED = "R-05";

    @TempDir
    static Path dir;

    private LocalSystem system;
    private BehaviourTestSupport support;
    private Map<String, String> keys;
    private PrivacyPolicy policy;
    private byte[] prfKey;
    private CityVocabulary vocabulary;
    private PurchaseOracle oracle;
    private final LocalDate storyDay = LocalDate.now(ZONE);
    private final int thisYear = storyDay.getYear();
    private final int lastYear = thisYear - 1;
    private final int yearBefore = thisYear - 2;
    private int eventSeq;
    private int receiptSeq;
    private final Map<String, ObjectNode> postedPurchases = new LinkedHashMap<>();
    private final Map<String, String> senderOf = new LinkedHashMap<>();

    @BeforeAll
    void startTheSystem() throws Exception {
        Map<String, String> roles = new LinkedHashMap<>();
        roles.put(PORTAL, "PORTAL");
        roles.put(BAKERY, "PARTICIPANT");
        roles.put(MARKET, "PARTICIPANT");
        roles.put(FARM, "PARTICIPANT");
        roles.put(OPERATOR, "OPERATOR");
        BehaviourTestSupport.StartedSystem started = BehaviourTestSupport.startSystem(dir, CITY, SECRET, roles, 5000,
                BehaviourTestSupport.RESOLVE_EVERY_PERSON);
        system = started.system();
        support = started.support();
        keys = started.keys();
        policy = started.policy();
        prfKey = started.prfKey();
        vocabulary = new CityCatalog(started.citiesDir()).city(CITY).orElseThrow();
        JsonNode clamps = JSON.readTree(started.policyFile().toFile()).path("clamps");
        oracle = new PurchaseOracle(ZONE, CitySegments.of(started.citiesDir(), CITY, thisYear),
                clamps.get("purchasesPerPersonMonth").asLong(), clamps.get("spendCentsPerPersonMonth").asLong());
    }

    @AfterAll
    void stopTheSystem() {
        if (system != null) system.close();
    }

    // ---- the story -----------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void everyFigureEqualsTheReleaseOfTheDirectComputation() throws Exception {
        long started = System.nanoTime();
        uploadMappings();
        registerResidents();
        awaitMappingsApplied();
        List<ObjectNode> purchases = purchasesOverHttp();
        postInTimeOrder(purchases);
        ImportReport report = importTheFarmShopsExport();
        assertThat(oracle.residents()).hasSize(20);
        System.out.printf("[purchase-behaviour] %d purchases over HTTP, %d receipts imported (%d rows read), %d live residents%n",
                purchases.size(), report.eventsAccepted(), report.rowsRead(), oracle.residents().size());

        awaitPinotEqualsTheOracle("after purchases and import");
        askEverythingAndCompare();
        System.out.printf("[purchase-behaviour] all figures equal (%.1f s since the first mapping)%n",
                (System.nanoTime() - started) / 1e9);
    }

    @Test
    @Order(2)
    void retractingOnePurchaseAndErasingOnePersonChangeEveryFigureByExactlyTheirContributions() throws Exception {
        Map<String, Map<String, List<Long>>> before = oracle.tableFigures(LocalDate.now(ZONE), ACTIVE_DAYS);
        Person erased = oracle.people.get(ERASED);
        Receipt retracted = pickReceiptToRetract();
        Person owner = oracle.people.values().stream().filter(p -> p.receipts.containsValue(retracted)).findFirst().orElseThrow();
        long breadBuyersBefore = oracle.buyers(BREAD, m -> m.getYear() == lastYear, p -> true);
        long spendBefore = oracle.clampedSpend(MEAT, m -> m.getYear() == lastYear, p -> true);

        ObjectNode original = postedPurchases.get(retracted.ref());
        ObjectNode retraction = event("purchase.retracted", retracted.time().plusMinutes(5).toInstant(),
                original.path("resident").asText(null), original.path("card").asText(null),
                Map.of("receipt", retracted.ref()));
        support.postEvents(keys.get(senderOf.get(retracted.ref())), List.of(retraction));
        support.postEvents(keys.get(PORTAL), List.of(event("erasure.requested",
                ZonedDateTime.of(storyDay.minusDays(1).atTime(12, 0), ZONE).toInstant(), ERASED, null, Map.of())));
        oracle.retract(owner, retracted.ref());
        oracle.erase(erased);

        // the change has teeth: one bread buyer less (the retracted receipt was its owner's only bread purchase of the
        // year, the erased resident bought bread too), the erased resident's clamped meat spend gone
        assertThat(oracle.buyers(BREAD, m -> m.getYear() == lastYear, p -> true)).isEqualTo(breadBuyersBefore - 2);
        assertThat(oracle.clampedSpend(MEAT, m -> m.getYear() == lastYear, p -> true)).isLessThanOrEqualTo(spendBefore - 50_000);
        Map<String, Map<String, List<Long>>> after = oracle.tableFigures(LocalDate.now(ZONE), ACTIVE_DAYS);
        assertThat(after).isNotEqualTo(before);

        awaitPinotEqualsTheOracle("after the retraction of " + retracted.ref() + " and the erasure of " + ERASED);
        askEverythingAndCompare();
        long noLiveRow = system.pinot().queryCount("SELECT COUNT(*) FROM " + PROFILES + " WHERE deleted = false AND pseudonym = '"
                + BehaviourTestSupport.pseudonym(SECRET, ERASED) + "'");
        assertThat(noLiveRow).as("the erased resident's profile").isZero();
    }

    // ---- posting -------------------------------------------------------------------------------------------------

    private void uploadMappings() throws Exception {
        for (String shop : List.of(BAKERY, MARKET)) {
            support.putMapping(keys.get(shop), MAPPINGS.get(shop));
        }
        // the farm shop uploads its mapping as CSV; the importer uploads the same again before its events
        support.postMappingCsv(keys.get(FARM), farmMappingCsv());
        MAPPINGS.forEach((shop, m) -> m.forEach((group, category) -> oracle.mapping(shop, group, category)));
    }

    private static byte[] farmMappingCsv() {
        StringBuilder csv = new StringBuilder("productGroup;category\n");
        new java.util.TreeMap<>(MAPPINGS.get(FARM)).forEach((g, c) -> csv.append(g).append(';').append(c).append('\n'));
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** 20 residents with analytics consent (14 link a card) and one without consent who links a card too. */
    private void registerResidents() throws Exception {
        Instant at = ZonedDateTime.of(LocalDate.of(yearBefore, 1, 2).atTime(9, 0), ZONE).toInstant();
        List<ObjectNode> events = new ArrayList<>();
        for (int i = 1; i <= 21; i++) {
            int age = AGES[(i - 1) % AGES.length];
            Person p = oracle.register(new Person(String.format("R-%02d", i), thisYear - age, GENDERS[i % GENDERS.length],
                    POSTCODES[(i / 2) % POSTCODES.length], HOUSEHOLDS[i % HOUSEHOLDS.length], i <= 20));
            assertThat(oracle.bandOf(age - 2)).as("fixture: age band stable over the story").isEqualTo(oracle.bandOf(age));
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("birthDate", p.birthYear + "-07-01");
            data.put("gender", p.gender);
            data.put("postcode", p.postcode);
            data.put("householdType", p.household);
            data.put("interests", List.of());
            data.put("consents", Map.of("analytics", p.consent, "offers", true, "newsletter", false));
            events.add(event("resident.registered", at.plusSeconds(i), p.ref, null, data));
            if (i <= 14 || i == 21) {
                String card = String.format("C-%02d", i);
                oracle.link(p, card);
                events.add(event("card.linked", at.plusSeconds(100 + i), p.ref, null, Map.of("card", card)));
            }
        }
        support.postEvents(keys.get(PORTAL), events);
        awaitCount("profiles of the consenting residents", "SELECT COUNT(*) FROM " + PROFILES
                + " WHERE deleted = false AND pseudonym IN (" + pseudonyms(oracle.residents()) + ")", 20);
        awaitCount("card links of the consenting residents", "SELECT COUNT(*) FROM " + PinotTables.PERSON_RECORDS.name()
                + " WHERE deleted = false AND kind = 'card.linked'", 14);
    }

    /**
     * A mapping applies to purchases processed after it arrived. Probe residents buy one mapped group in every shop
     * until their purchase records show no unmapped category; the probes are then erased (and never in the oracle).
     */
    private void awaitMappingsApplied() throws Exception {
        Instant t = ZonedDateTime.of(LocalDate.of(yearBefore, 1, 3).atTime(9, 0), ZONE).toInstant();
        for (int probe = 1; probe <= 20; probe++) {
            String ref = "PROBE-" + probe;
            support.postEvents(keys.get(PORTAL), List.of(event("resident.registered", t, ref, null, Map.of(
                    "birthDate", "1980-05-05", "gender", "FEMALE", "postcode", "45468", "householdType", "SINGLE",
                    "consents", Map.of("analytics", true, "offers", false, "newsletter", false)))));
            for (String shop : List.of(BAKERY, MARKET, FARM)) {
                String group = new TreeSet<>(MAPPINGS.get(shop).keySet()).first();
                support.postEvents(keys.get(shop), List.of(event("purchase", t.plusSeconds(60), ref, null, Map.of(
                        "receipt", ref + "-" + shop, "lines", List.of(Map.of("productGroup", group, "quantity", 1, "amountCents", 100))))));
            }
            String records = "SELECT COUNT(*) FROM " + PinotTables.PERSON_RECORDS.name() + " WHERE pseudonym = '"
                    + BehaviourTestSupport.pseudonym(SECRET, ref) + "' AND kind = 'purchase' AND deleted = false";
            awaitCount("purchase records of " + ref, records, 3);
            long unmapped = system.pinot().queryCount(records + " AND categories = 'unmapped'");
            support.postEvents(keys.get(PORTAL), List.of(event("erasure.requested", t.plusSeconds(120), ref, null, Map.of())));
            if (unmapped == 0) return;
            Thread.sleep(1000);
        }
        throw new AssertionError("the product-group mappings never reached the profile job");
    }

    /**
     * Two to five receipts per resident in each of the two years before this one, recent receipts for some (still
     * active), an old one for others, a resident with 22 receipts in one month (above the purchase clamp) and one
     * with a single receipt above the spend clamp. Card holders pay by card most of the time.
     */
    private List<ObjectNode> purchasesOverHttp() {
        Random random = new Random(5_2026L);
        List<ObjectNode> out = new ArrayList<>();
        for (Person p : oracle.people.values()) {
            for (int year : List.of(yearBefore, lastYear)) {
                int n = 2 + random.nextInt(4);
                for (int k = 0; k < n; k++) {
                    LocalDateTime when = LocalDate.of(year, 1 + random.nextInt(12), 1 + random.nextInt(28))
                            .atTime(8 + random.nextInt(11), random.nextInt(60));
                    if (when.toLocalDate().isBefore(LocalDate.of(yearBefore, 1, 5))) when = when.plusDays(7);
                    out.add(purchase(p, random.nextBoolean() ? BAKERY : MARKET, when, randomLines(random), random));
                }
            }
            double r = random.nextDouble();
            if (r < 0.5) {
                out.add(purchase(p, MARKET, storyDay.minusDays(3 + random.nextInt(70)).atTime(11, 0), randomLines(random), random));
            } else if (r < 0.75) {
                out.add(purchase(p, BAKERY, storyDay.minusDays(100 + random.nextInt(100)).atTime(11, 0), randomLines(random), random));
            }
        }
        Person heavy = oracle.people.get("R-03");
        for (int d = 1; d <= 22; d++) {
            out.add(purchase(heavy, BAKERY, LocalDate.of(lastYear, 3, d).atTime(7, 30), List.of(new Line("Brötchen", 1, 45)), random));
        }
        Person spender = oracle.people.get(ERASED);
        out.add(purchase(spender, MARKET, LocalDate.of(lastYear, 5, 10).atTime(10, 0), List.of(new Line("Wurst", 3, 65_000)), random));
        out.add(purchase(spender, MARKET, LocalDate.of(lastYear, 6, 10).atTime(10, 0), List.of(new Line("Brot", 1, 350)), random));
        return out;
    }

    private List<Line> randomLines(Random random) {
        List<Line> lines = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) lines.add(new Line(null, 1 + random.nextInt(4), 50 + random.nextInt(1950)));
        return lines;
    }

    private ObjectNode purchase(Person p, String shop, LocalDateTime when, List<Line> template, Random random) {
        List<String> groups = GROUPS.get(shop);
        List<Line> lines = template.stream().map(l -> l.productGroup() != null ? l
                : new Line(groups.get(random.nextInt(groups.size())), l.quantity(), l.amountCents())).toList();
        String ref = (shop.equals(BAKERY) ? "B-" : "M-") + (++receiptSeq);
        boolean byCard = p.card != null && random.nextInt(10) < 7;
        ZonedDateTime time = ZonedDateTime.of(when, ZONE);
        Receipt r = new Receipt(shop, ref, time, lines, byCard, false);
        List<Map<String, Object>> json = lines.stream().map(l -> Map.<String, Object>of("productGroup", l.productGroup(),
                "quantity", l.quantity(), "amountCents", l.amountCents())).toList();
        ObjectNode e = event("purchase", time.toInstant(), byCard ? null : p.ref, byCard ? p.card : null,
                Map.of("receipt", ref, "lines", json));
        oracle.purchase(r, byCard ? null : p.ref, byCard ? p.card : null);
        postedPurchases.put(ref, e);
        senderOf.put(ref, shop);
        return e;
    }

    private void postInTimeOrder(List<ObjectNode> purchases) throws Exception {
        List<ObjectNode> sorted = new ArrayList<>(purchases);
        sorted.sort(Comparator.comparing(e -> Instant.parse(e.get("eventTime").asText())));
        List<ObjectNode> batch = new ArrayList<>();
        String sender = null;
        for (ObjectNode e : sorted) {
            String shop = senderOf.get(e.get("data").get("receipt").asText());
            if (sender != null && !shop.equals(sender)) {
                support.postEvents(keys.get(sender), batch);
                batch = new ArrayList<>();
            }
            sender = shop;
            batch.add(e);
        }
        if (!batch.isEmpty()) support.postEvents(keys.get(sender), batch);
    }

    /**
     * The farm shop's till export (card number, receipt, date and time, product group, quantity, amount in euros)
     * through the importer: one receipt per card holder and year for most card holders, one anonymous sale that
     * must be rejected at reading.
     */
    private ImportReport importTheFarmShopsExport() throws Exception {
        Random random = new Random(77L);
        StringBuilder csv = new StringBuilder("Kartennr;Bon;Datum;Uhrzeit;Warengruppe;Menge;Betrag\n");
        DateTimeFormatter date = DateTimeFormatter.ofPattern("dd.MM.yyyy");
        DateTimeFormatter time = DateTimeFormatter.ofPattern("HH:mm");
        int rows = 0;
        for (Person p : oracle.people.values()) {
            if (p.card == null || p.ref.equals("R-02")) continue;
            for (int year : List.of(yearBefore, lastYear)) {
                String ref = "H-" + (++receiptSeq);
                LocalDateTime when = LocalDate.of(year, 2 + random.nextInt(10), 1 + random.nextInt(28)).atTime(9 + random.nextInt(8), 15);
                List<Line> lines = new ArrayList<>();
                int n = 1 + random.nextInt(2);
                for (int i = 0; i < n; i++) {
                    Line l = new Line(GROUPS.get(FARM).get(random.nextInt(3)), 1 + random.nextInt(3), 100 + random.nextInt(900));
                    lines.add(l);
                    csv.append(p.card.substring(2)).append(';').append(ref).append(';').append(when.format(date)).append(';')
                            .append(when.format(time)).append(';').append(l.productGroup()).append(';').append(l.quantity())
                            .append(';').append(String.format(java.util.Locale.GERMANY, "%d,%02d", l.amountCents() / 100,
                                    l.amountCents() % 100)).append('\n');
                    rows++;
                }
                oracle.purchase(new Receipt(FARM, ref, ZonedDateTime.of(when, ZONE), lines, true, true), null, p.card);
            }
        }
        csv.append(";H-anonym;01.03.").append(lastYear).append(";10:00;Brot;1;2,50\n");
        rows++;
        Path file = Files.writeString(dir.resolve("hofladen-export.csv"), csv.toString(), StandardCharsets.UTF_8);
        ColumnMapping columns = ColumnMapping.fromJson(JSON.readTree("""
                {"card": {"column": "Kartennr", "format": "C-{}"}, "receipt": "Bon",
                 "timestamp": {"column": "Datum", "timeColumn": "Uhrzeit", "format": "dd.MM.yyyy HH:mm", "zone": "Europe/Berlin"},
                 "productGroup": "Warengruppe", "quantity": "Menge",
                 "amount": {"column": "Betrag", "decimalSeparator": ",", "unit": "major"}}
                """), dir);
        HistoryImport.Options options = new HistoryImport.Options(URI.create(system.ingestion().baseUrl()),
                Map.of(FARM, keys.get(FARM)), FARM, columns, file, farmMappingCsv(), 100, 900_000, 8, Progress.disabled());
        ImportReport report = new HistoryImport(options).run();
        assertThat(report.rowsRead()).as("rows read = rows in the file").isEqualTo(rows);
        assertThat(report.rowsRejected()).as("the anonymous sale").isEqualTo(1);
        assertThat(report.rowsImported()).isEqualTo(rows - 1);
        assertThat(report.balanced()).isTrue();
        assertThat(report.eventsRejected()).isZero();
        assertThat(report.mappingUploads()).singleElement().satisfies(u -> assertThat(u.status()).isEqualTo(200));
        return report;
    }

    private ObjectNode event(String type, Instant time, String resident, String card, Map<String, Object> data) {
        return BehaviourTestSupport.event("pb-" + (++eventSeq), type, time.toString(), resident, card, data);
    }

    /** A receipt posted over HTTP by card, with bread last year, that was its owner's only bread purchase that year. */
    private Receipt pickReceiptToRetract() {
        for (Person p : oracle.residents()) {
            if (p.ref.equals(ERASED)) continue;
            List<Receipt> bread = p.receipts.values().stream().filter(r -> r.month().getYear() == lastYear)
                    .filter(r -> r.lines().stream().anyMatch(l -> oracle.category(r, l).equals(BREAD))).toList();
            if (bread.size() == 1 && bread.get(0).byCard() && !bread.get(0).imported()) return bread.get(0);
        }
        throw new AssertionError("fixture: no card receipt to retract");
    }

    // ---- waiting for Pinot -----------------------------------------------------------------------------------------

    private void awaitPinotEqualsTheOracle(String when) throws Exception {
        double seconds = BehaviourTestSupport.awaitNoDifference(when, VISIBLE_WITHIN, () -> {
            LocalDate today = LocalDate.now(ZONE); // the oracle's and Pinot's figures for the same day
            return BehaviourTestSupport.difference(oracle.tableFigures(today, ACTIVE_DAYS),
                    PurchaseOracle.pinotFigures(support, CITY, CONTRIBUTIONS, PROFILES, today, ACTIVE_DAYS));
        });
        System.out.printf("[purchase-behaviour] %s: Pinot's exact sums equal the oracle after %.1f s: %s%n", when, seconds,
                summary(oracle.tableFigures(LocalDate.now(ZONE), ACTIVE_DAYS)));
    }

    private static String summary(Map<String, Map<String, List<Long>>> figures) {
        StringBuilder s = new StringBuilder();
        figures.forEach((name, rows) -> s.append(name).append(": ").append(rows.size()).append(" rows; "));
        return s.toString();
    }

    private void awaitCount(String what, String sql, long expected) throws Exception {
        support.awaitCount(what, sql, expected, VISIBLE_WITHIN);
    }

    private static String pseudonyms(List<Person> people) {
        return String.join(",", people.stream().map(p -> "'" + BehaviourTestSupport.pseudonym(SECRET, p.ref) + "'").toList());
    }

    // ---- asking and comparing --------------------------------------------------------------------------------------

    private void askEverythingAndCompare() throws Exception {
        Asker operator = new Asker(CITY, OPERATOR, AskerRole.OPERATOR);
        Asker bakery = new Asker(CITY, BAKERY, AskerRole.PARTICIPANT);
        Asker market = new Asker(CITY, MARKET, AskerRole.PARTICIPANT);
        affinity(operator, BREAD, lastYear, Breakdown.AGE_BAND, List.of());
        affinity(operator, VEG, yearBefore, Breakdown.HOUSEHOLD_TYPE, List.of());
        affinity(bakery, BREAD, lastYear, Breakdown.PERSONA, List.of("family", "couple", "single"));
        historyByYear(operator, BREAD, yearBefore, thisYear, Breakdown.DISTRICT);
        historyByMonth(operator, VEG, YearMonth.of(lastYear, 1), YearMonth.of(lastYear, 12), Breakdown.GENDER);
        trend(operator, BREAD, new Segment(Set.of(), Set.of(), Set.of(), Set.of(), Set.of("FAMILY", "COUPLE")), true,
                yearBefore, thisYear);
        trend(operator, MEAT, new Segment(Set.of(), Set.of("FEMALE", "MALE"), Set.of(), Set.of(), Set.of()), false,
                lastYear * 100 + 1, lastYear * 100 + 6);
        assortment(market, VEG, 3, List.of("family", "couple", "single"));
        audienceWithPurchaseBehaviour(bakery);
    }

    /** One answer's expected releases: each question released by a fresh DisclosureControl with the same key and policy. */
    private final class Expected {
        final Asker asker;
        final String version;
        final Set<String> questions = new TreeSet<>();

        Expected(Asker asker, JsonNode answer) {
            this.asker = asker;
            this.version = answer.get("dataVersion").asText();
        }

        List<ReleasedCell> counts(Question q, List<TrueCell> truth) {
            questions.add(q.canonicalForm());
            return disclosure().releaseCounts(asker, q, version, truth).cells();
        }

        List<ReleasedCell> sums(Question q, List<TrueCell> truth, long clamp) {
            questions.add(q.canonicalForm());
            return disclosure().releaseSums(asker, q, version, truth, clamp).cells();
        }

        void askedExactlyThese(JsonNode answer) {
            Set<String> asked = new TreeSet<>();
            answer.get("questions").forEach(q -> asked.add(q.asText()));
            assertThat(asked).as("questions released").isEqualTo(questions);
        }

        LocalDate today() {
            return LocalDate.parse(version.substring(0, 10));
        }
    }

    private DisclosureControl disclosure() {
        return new DisclosureControl(policy, BudgetLedger.inMemory(), AuditLog.inMemory(), prfKey, Clock.systemUTC());
    }

    private long policyClamp(String name) {
        try {
            return JSON.readTree(dir.resolve("privacy.json").toFile()).path("clamps").get(name).asLong();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Question figure(String kind, String category, String period, Segment segment, Breakdown b, String cell) {
        CanonicalQuestion q = CanonicalQuestion.of(kind).param("category", category).param("period", period);
        if (segment != null) segment.addTo(q);
        if (b != null) q.param("breakdown", b.apiName());
        if (cell != null) q.param("cell", cell);
        return q.build();
    }

    private static Question audience(AudienceFilter filter, Breakdown b) {
        return new AudienceQuery(PROFILES, CITY, filter, Optional.ofNullable(b)).question();
    }

    private static Question audienceCell(AudienceFilter filter, Breakdown b, String cell) {
        return new AudienceQuery(PROFILES, CITY, filter, Optional.of(b)).cellQuestion(cell);
    }

    /** The cells a breakdown reports (vocabulary order, "other" for open dimensions), narrowed to named personas. */
    private List<String> labels(Breakdown b, List<String> personas) {
        List<String> labels = new ArrayList<>(vocabulary.labels(b));
        if (b.hasOpenDomain()) labels.add("other");
        if (b == Breakdown.PERSONA && !personas.isEmpty()) labels.removeIf(l -> !personas.contains(l));
        return labels;
    }

    private Predicate<Person> in(Breakdown b, String label) {
        if (b == Breakdown.PERSONA) return p -> oracle.personas(p).contains(label);
        Function<Person, String> value = switch (b) {
            case AGE_BAND -> oracle::ageBand;
            case GENDER -> p -> p.gender;
            case DISTRICT -> oracle::district;
            case HOUSEHOLD_TYPE -> p -> p.household;
            case PERSONA -> throw new IllegalStateException();
        };
        List<String> known = vocabulary.labels(b);
        if (label.equals("other")) return p -> !known.contains(value.apply(p));
        return p -> label.equals(value.apply(p));
    }

    private static List<TrueCell> cells(List<String> labels, Function<String, Long> truth) {
        return labels.stream().map(l -> new TrueCell(l, truth.apply(l))).toList();
    }

    private static JsonNode rows(JsonNode answer, String table) {
        JsonNode rows = answer.path("tables").path(table);
        assertThat(rows.isArray()).as("table " + table + " in " + answer).isTrue();
        return rows;
    }

    private static JsonNode row(JsonNode rows, String label) {
        for (JsonNode r : rows) if (r.get("label").asText().equals(label)) return r;
        throw new AssertionError("no row " + label + " in " + rows);
    }

    private static Double lift(ReleasedCell buyers, ReleasedCell pop, ReleasedCell allBuyers, ReleasedCell population) {
        Double segment = ratio(buyers, pop);
        Double city = ratio(allBuyers, population);
        if (segment == null || city == null || city == 0) return null;
        return round(segment / city);
    }

    private static Double ratio(ReleasedCell part, ReleasedCell whole) {
        if (part.suppressed() || whole.suppressed() || whole.value() == null || whole.value() == 0 || part.value() == null) return null;
        return (double) part.value() / whole.value();
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    private static void assertDerived(JsonNode row, String name, Double expected) {
        JsonNode v = row.get(name);
        assertThat(v == null || v.isNull() ? null : v.asDouble()).as(name + " of " + row).isEqualTo(expected);
    }

    private void affinity(Asker asker, String category, int year, Breakdown by, List<String> personas) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("category", category).put("year", year).put("segmentBy", by.apiName());
        if (!personas.isEmpty()) personas.forEach(body.putArray("personas")::add);
        JsonNode a = support.ask(system.queryUrl(), keys.get(asker.id()), "/api/v1/insights/affinity", body.toString());
        Expected e = new Expected(asker, a);
        String period = String.valueOf(year);
        Predicate<YearMonth> inYear = m -> m.getYear() == year;
        long clampP = policyClamp("purchasesPerPersonMonth") * 12;
        long clampS = policyClamp("spendCentsPerPersonMonth") * 12;
        String where = "affinity " + category + " " + year + " by " + by.apiName();

        long allBuyersTruth = oracle.buyers(category, inYear, p -> true);
        ReleasedCell allBuyers = e.counts(figure("insights.buyers", category, period, null, null, null),
                List.of(new TrueCell("", allBuyersTruth))).get(0);
        long populationTruth = oracle.population(p -> true);
        ReleasedCell population = e.counts(audience(AudienceFilter.everyone(), null), List.of(new TrueCell("", populationTruth))).get(0);
        JsonNode city = row(rows(a, "city"), "all");
        assertCell(city.get("buyers"), allBuyers, allBuyersTruth, where + " city buyers");
        assertCell(city.get("population"), population, populationTruth, where + " city population");

        List<String> labels = labels(by, personas);
        List<TrueCell> buyersT = cells(labels, l -> oracle.buyers(category, inYear, in(by, l)));
        List<TrueCell> popT = cells(labels, l -> oracle.population(in(by, l)));
        List<TrueCell> purchasesT = cells(labels, l -> oracle.clampedPurchases(category, inYear, in(by, l)));
        List<TrueCell> spendT = cells(labels, l -> oracle.clampedSpend(category, inYear, in(by, l)));
        List<ReleasedCell> buyers = new ArrayList<>();
        List<ReleasedCell> pops = new ArrayList<>();
        List<ReleasedCell> purchases = new ArrayList<>();
        List<ReleasedCell> spend = new ArrayList<>();
        if (by.cellsDisjoint()) {
            buyers.addAll(e.counts(figure("insights.buyers", category, period, null, by, null), buyersT));
            pops.addAll(e.counts(audience(AudienceFilter.everyone(), by), popT));
            purchases.addAll(e.sums(figure("insights.purchases", category, period, null, by, null), purchasesT, clampP));
            spend.addAll(e.sums(figure("insights.spend", category, period, null, by, null), spendT, clampS));
        } else {
            for (int i = 0; i < labels.size(); i++) {
                String l = labels.get(i);
                buyers.add(e.counts(figure("insights.buyers", category, period, null, by, l), List.of(buyersT.get(i))).get(0));
                pops.add(e.counts(audienceCell(AudienceFilter.everyone(), by, l), List.of(popT.get(i))).get(0));
                purchases.add(e.sums(figure("insights.purchases", category, period, null, by, l), List.of(purchasesT.get(i)), clampP).get(0));
                spend.add(e.sums(figure("insights.spend", category, period, null, by, l), List.of(spendT.get(i)), clampS).get(0));
            }
        }
        JsonNode segments = rows(a, "segments");
        assertThat(segments.size()).as(where + " rows").isEqualTo(labels.size());
        int lifts = 0;
        for (int i = 0; i < labels.size(); i++) {
            JsonNode r = segments.get(i);
            String l = labels.get(i);
            assertThat(r.get("label").asText()).isEqualTo(l);
            assertCell(r.get("buyers"), buyers.get(i), buyersT.get(i).count(), where + " " + l + " buyers");
            assertCell(r.get("population"), pops.get(i), popT.get(i).count(), where + " " + l + " population");
            assertCell(r.get("purchases"), purchases.get(i), purchasesT.get(i).count(), where + " " + l + " purchases (clamped)");
            assertCell(r.get("spendCents"), spend.get(i), spendT.get(i).count(), where + " " + l + " spend (clamped)");
            Double lift = lift(buyers.get(i), pops.get(i), allBuyers, population);
            assertDerived(r, "lift", lift);
            if (lift != null) lifts++;
        }
        assertThat(lifts).as(where + ": lifts computed").isPositive();
        e.askedExactlyThese(a);
    }

    private void historyByYear(Asker asker, String category, int from, int to, Breakdown by) throws Exception {
        String body = JSON.createObjectNode().put("category", category).put("granularity", "year").put("from", from)
                .put("to", to).put("segmentBy", by.apiName()).toString();
        JsonNode h = support.ask(system.queryUrl(), keys.get(asker.id()), "/api/v1/insights/product-history", body);
        Expected e = new Expected(asker, h);
        List<String> labels = labels(by, List.of());
        JsonNode periods = rows(h, "periods");
        JsonNode bySegment = rows(h, "bySegment");
        JsonNode still = rows(h, "stillActive");
        int stillActiveSomewhere = 0;
        for (int y = from; y <= to; y++) {
            int year = y;
            String where = "history " + category + " " + y;
            long buyersTruth = oracle.buyers(category, m -> m.getYear() == year, p -> true);
            ReleasedCell buyers = e.counts(figure("insights.buyers", category, "" + y, null, null, null),
                    List.of(new TrueCell("", buyersTruth))).get(0);
            assertCell(row(periods, "" + y).get("buyers"), buyers, buyersTruth, where + " buyers");
            List<TrueCell> segT = cells(labels, l -> oracle.buyers(category, m -> m.getYear() == year, in(by, l)));
            List<ReleasedCell> seg = e.counts(figure("insights.buyers", category, "" + y, null, by, null), segT);
            for (int i = 0; i < labels.size(); i++) {
                assertCell(row(bySegment, "" + y).get(labels.get(i)), seg.get(i), segT.get(i).count(), where + " " + labels.get(i));
            }
            long stillTruth = oracle.stillActive(category, y, e.today(), ACTIVE_DAYS, p -> true);
            if (stillTruth > 0) stillActiveSomewhere++;
            ReleasedCell stillActive = e.counts(audience(AudienceFilter.everyone()
                    .withBoughtCategory(new AudienceFilter.BoughtCategory(category, y)).withActiveWithinDays(ACTIVE_DAYS), null),
                    List.of(new TrueCell("", stillTruth))).get(0);
            JsonNode stillRow = row(still, "" + y);
            assertCell(stillRow.get("stillActive"), stillActive, stillTruth, where + " still active");
            assertDerived(stillRow, "shareOfBuyers", ratio(stillActive, buyers) == null ? null : round(ratio(stillActive, buyers)));
        }
        assertThat(stillActiveSomewhere).as("fixture: some buyers are still active").isPositive();
        e.askedExactlyThese(h);
    }

    private void historyByMonth(Asker asker, String category, YearMonth from, YearMonth to, Breakdown by) throws Exception {
        String body = JSON.createObjectNode().put("category", category).put("granularity", "month").put("from", from.toString())
                .put("to", to.toString()).put("segmentBy", by.apiName()).toString();
        JsonNode h = support.ask(system.queryUrl(), keys.get(asker.id()), "/api/v1/insights/product-history", body);
        Expected e = new Expected(asker, h);
        List<String> labels = labels(by, List.of());
        Set<Integer> years = new TreeSet<>();
        for (YearMonth m = from; !m.isAfter(to); m = m.plusMonths(1)) {
            YearMonth month = m;
            years.add(m.getYear());
            String where = "history " + category + " " + m;
            long truth = oracle.buyers(category, month::equals, p -> true);
            ReleasedCell buyers = e.counts(figure("insights.buyers", category, m.toString(), null, null, null),
                    List.of(new TrueCell("", truth))).get(0);
            assertCell(row(rows(h, "periods"), m.toString()).get("buyers"), buyers, truth, where + " buyers");
            List<TrueCell> segT = cells(labels, l -> oracle.buyers(category, month::equals, in(by, l)));
            List<ReleasedCell> seg = e.counts(figure("insights.buyers", category, m.toString(), null, by, null), segT);
            for (int i = 0; i < labels.size(); i++) {
                assertCell(row(rows(h, "bySegment"), m.toString()).get(labels.get(i)), seg.get(i), segT.get(i).count(),
                        where + " " + labels.get(i));
            }
        }
        for (int y : years) {
            long stillTruth = oracle.stillActive(category, y, e.today(), ACTIVE_DAYS, p -> true);
            ReleasedCell stillActive = e.counts(audience(AudienceFilter.everyone()
                    .withBoughtCategory(new AudienceFilter.BoughtCategory(category, y)).withActiveWithinDays(ACTIVE_DAYS), null),
                    List.of(new TrueCell("", stillTruth))).get(0);
            assertCell(row(rows(h, "stillActive"), "" + y).get("stillActive"), stillActive, stillTruth, "still active " + y);
        }
        e.askedExactlyThese(h);
    }

    /** A trend segment in the dimensions contribution rows carry. */
    private record Segment(Set<String> ageBands, Set<String> genders, Set<String> personas, Set<String> districts,
                           Set<String> householdTypes) {
        void addTo(CanonicalQuestion q) {
            if (!ageBands.isEmpty()) q.anyOf("ageBands", ageBands);
            if (!genders.isEmpty()) q.anyOf("genders", genders);
            if (!personas.isEmpty()) q.anyOf("personas", personas);
            if (!districts.isEmpty()) q.anyOf("districts", districts);
            if (!householdTypes.isEmpty()) q.anyOf("householdTypes", householdTypes);
        }

        ObjectNode json() {
            ObjectNode s = JSON.createObjectNode();
            if (!ageBands.isEmpty()) ageBands.forEach(s.putArray("ageBands")::add);
            if (!genders.isEmpty()) genders.forEach(s.putArray("genders")::add);
            if (!personas.isEmpty()) personas.forEach(s.putArray("personas")::add);
            if (!districts.isEmpty()) districts.forEach(s.putArray("districts")::add);
            if (!householdTypes.isEmpty()) householdTypes.forEach(s.putArray("householdTypes")::add);
            return s;
        }
    }

    private Predicate<Person> in(Segment s) {
        return p -> (s.ageBands().isEmpty() || s.ageBands().contains(oracle.ageBand(p)))
                && (s.genders().isEmpty() || s.genders().contains(p.gender))
                && (s.personas().isEmpty() || s.personas().stream().anyMatch(oracle.personas(p)::contains))
                && (s.districts().isEmpty() || s.districts().contains(oracle.district(p)))
                && (s.householdTypes().isEmpty() || s.householdTypes().contains(p.household));
    }

    /** Years (from/to as yyyy) or months (from/to as yyyyMM). */
    private void trend(Asker asker, String category, Segment segment, boolean years, int from, int to) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("category", category).put("granularity", years ? "year" : "month");
        body.set("segment", segment.json());
        List<String> labels = new ArrayList<>();
        List<Predicate<YearMonth>> periods = new ArrayList<>();
        if (years) {
            body.put("from", from).put("to", to);
            for (int y = from; y <= to; y++) {
                int year = y;
                labels.add("" + y);
                periods.add(m -> m.getYear() == year);
            }
        } else {
            YearMonth first = YearMonth.of(from / 100, from % 100);
            YearMonth last = YearMonth.of(to / 100, to % 100);
            body.put("from", first.toString()).put("to", last.toString());
            for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
                labels.add(m.toString());
                periods.add(m::equals);
            }
        }
        JsonNode t = support.ask(system.queryUrl(), keys.get(asker.id()), "/api/v1/insights/trend", body.toString());
        Expected e = new Expected(asker, t);
        int months = years ? 12 : 1;
        Predicate<Person> who = in(segment);
        long nonZero = 0;
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            Predicate<YearMonth> period = periods.get(i);
            String where = "trend " + category + " " + segment + " " + label;
            JsonNode r = row(rows(t, "periods"), label);
            long b = oracle.buyers(category, period, who);
            long pc = oracle.clampedPurchases(category, period, who);
            long sp = oracle.clampedSpend(category, period, who);
            nonZero += b;
            assertCell(r.get("buyers"), e.counts(figure("insights.buyers", category, label, segment, null, null),
                    List.of(new TrueCell("", b))).get(0), b, where + " buyers");
            assertCell(r.get("purchases"), e.sums(figure("insights.purchases", category, label, segment, null, null),
                    List.of(new TrueCell("", pc)), policyClamp("purchasesPerPersonMonth") * months).get(0), pc, where + " purchases");
            assertCell(r.get("spendCents"), e.sums(figure("insights.spend", category, label, segment, null, null),
                    List.of(new TrueCell("", sp)), policyClamp("spendCentsPerPersonMonth") * months).get(0), sp, where + " spend");
        }
        assertThat(nonZero).as("fixture: the trend segment bought " + category).isPositive();
        e.askedExactlyThese(t);
    }

    /** The participant's assortment check: interested, trend, seasonality, personas by lift, own customers vs city. */
    private void assortment(Asker asker, String category, int years, List<String> personas) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("category", category).put("years", years);
        personas.forEach(body.putArray("personas")::add);
        JsonNode a = support.ask(system.queryUrl(), keys.get(asker.id()), "/api/v1/insights/assortment-check", body.toString());
        Expected e = new Expected(asker, a);
        int toYear = e.today().getYear();
        int fromYear = toYear - years + 1;
        int personaYear = toYear - 1;
        String where = "assortment " + category;
        for (int y = fromYear; y <= toYear; y++) {
            int year = y;
            long still = oracle.stillActive(category, y, e.today(), ACTIVE_DAYS, p -> true);
            assertCell(row(rows(a, "interested"), "" + y).get("stillActive"), e.counts(audience(AudienceFilter.everyone()
                    .withBoughtCategory(new AudienceFilter.BoughtCategory(category, y)).withActiveWithinDays(ACTIVE_DAYS), null),
                    List.of(new TrueCell("", still))).get(0), still, where + " interested " + y);
            long b = oracle.buyers(category, m -> m.getYear() == year, p -> true);
            assertCell(row(rows(a, "trend"), "" + y).get("buyers"), e.counts(figure("insights.buyers", category, "" + y,
                    null, null, null), List.of(new TrueCell("", b))).get(0), b, where + " trend " + y);
        }
        List<TrueCell> seasonT = new ArrayList<>();
        for (int month = 1; month <= 12; month++) {
            int m = month;
            seasonT.add(new TrueCell(String.format("%02d", m), oracle.clampedPurchases(category,
                    ym -> ym.getMonthValue() == m && ym.getYear() >= fromYear && ym.getYear() <= toYear, p -> true)));
        }
        List<ReleasedCell> season = e.sums(CanonicalQuestion.of("insights.seasonality").param("category", category)
                .param("measure", "purchases").range("years", fromYear, toYear).build(), seasonT,
                policyClamp("purchasesPerPersonMonth") * 12 * years);
        for (int i = 0; i < 12; i++) {
            assertCell(row(rows(a, "seasonality"), seasonT.get(i).label()).get("purchases"), season.get(i),
                    seasonT.get(i).count(), where + " seasonality " + seasonT.get(i).label());
        }
        long allBuyersT = oracle.buyers(category, m -> m.getYear() == personaYear, p -> true);
        ReleasedCell allBuyers = e.counts(figure("insights.buyers", category, "" + personaYear, null, null, null),
                List.of(new TrueCell("", allBuyersT))).get(0);
        long populationT = oracle.population(p -> true);
        ReleasedCell population = e.counts(audience(AudienceFilter.everyone(), null), List.of(new TrueCell("", populationT))).get(0);
        AudienceFilter mine = AudienceFilter.everyone().withCustomerOf(asker.id());
        long customersT = oracle.customers(asker.id(), p -> true);
        ReleasedCell customers = e.counts(audience(mine, null), List.of(new TrueCell("", customersT))).get(0);
        JsonNode city = row(rows(a, "city"), "all");
        assertCell(city.get("buyers"), allBuyers, allBuyersT, where + " city buyers");
        assertCell(city.get("population"), population, populationT, where + " population");
        assertCell(city.get("customers"), customers, customersT, where + " own customers");

        List<Double> lifts = new ArrayList<>();
        for (String persona : labels(Breakdown.PERSONA, personas)) {
            Predicate<Person> has = in(Breakdown.PERSONA, persona);
            long bT = oracle.buyers(category, m -> m.getYear() == personaYear, has);
            long pT = oracle.population(has);
            long cT = oracle.customers(asker.id(), has);
            ReleasedCell b = e.counts(figure("insights.buyers", category, "" + personaYear, null, Breakdown.PERSONA, persona),
                    List.of(new TrueCell(persona, bT))).get(0);
            ReleasedCell pop = e.counts(audienceCell(AudienceFilter.everyone(), Breakdown.PERSONA, persona),
                    List.of(new TrueCell(persona, pT))).get(0);
            ReleasedCell c = e.counts(audienceCell(mine, Breakdown.PERSONA, persona), List.of(new TrueCell(persona, cT))).get(0);
            JsonNode pr = row(rows(a, "personas"), persona);
            assertCell(pr.get("buyers"), b, bT, where + " " + persona + " buyers");
            assertCell(pr.get("population"), pop, pT, where + " " + persona + " population");
            Double lift = lift(b, pop, allBuyers, population);
            assertDerived(pr, "lift", lift);
            lifts.add(lift);
            JsonNode cr = row(rows(a, "customers"), persona);
            assertCell(cr.get("customers"), c, cT, where + " " + persona + " own customers");
            Double share = ratio(c, customers) == null ? null : round(ratio(c, customers));
            Double cityShare = ratio(pop, population) == null ? null : round(ratio(pop, population));
            assertDerived(cr, "share", share);
            assertDerived(cr, "cityShare", cityShare);
            assertDerived(cr, "index", share == null || cityShare == null || cityShare == 0 ? null : round(share / cityShare));
        }
        List<Double> shown = new ArrayList<>();
        rows(a, "personas").forEach(r -> shown.add(r.get("lift").isNull() ? null : r.get("lift").asDouble()));
        List<Double> sorted = new ArrayList<>(lifts);
        sorted.sort(Comparator.nullsLast(Comparator.reverseOrder()));
        assertThat(shown).as(where + ": personas sorted by lift, highest first").isEqualTo(sorted);
        e.askedExactlyThese(a);
    }

    /** The audience filter with purchase behaviour: bought bread last year, own customer, active within 90 days. */
    private void audienceWithPurchaseBehaviour(Asker asker) throws Exception {
        String body = "{\"filter\": {\"boughtCategory\": {\"category\": \"" + BREAD + "\", \"year\": " + lastYear
                + "}, \"customerOf\": \"" + asker.id() + "\", \"activeWithinDays\": " + ACTIVE_DAYS + "}}";
        JsonNode a = support.ask(system.queryUrl(), keys.get(asker.id()), "/api/v1/audiences/size", body);
        Expected e = new Expected(asker, a);
        AudienceFilter filter = AudienceFilter.everyone().withBoughtCategory(new AudienceFilter.BoughtCategory(BREAD, lastYear))
                .withCustomerOf(asker.id()).withActiveWithinDays(ACTIVE_DAYS);
        Set<String> customers = new HashSet<>();
        oracle.residents().stream().filter(p -> p.receipts.values().stream().anyMatch(r -> r.participant().equals(asker.id())))
                .forEach(p -> customers.add(p.ref));
        long truth = oracle.stillActive(BREAD, lastYear, e.today(), ACTIVE_DAYS, p -> customers.contains(p.ref));
        ReleasedCell expected = e.counts(audience(filter, null), List.of(new TrueCell("", truth))).get(0);
        assertCell(a.get("count"), expected, truth, "audience bought bread " + lastYear + ", customer, active");
        assertThat(a.get("question").asText()).isEqualTo(audience(filter, null).canonicalForm());
    }
}
