package de.prokommun.insights.local;

import static de.prokommun.insights.local.BehaviourTestSupport.JSON;
import static de.prokommun.insights.local.BehaviourTestSupport.assertCell;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.local.demo.CompleteJourneyDemo;
import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.importer.ImportReport;
import de.prokommun.insights.importer.Progress;
import de.prokommun.insights.importer.completejourney.CompleteJourney;
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
import de.prokommun.insights.query.QueryConfig;
import de.prokommun.insights.query.QueryServer;
import de.prokommun.insights.query.api.QueryVerticle;
import de.prokommun.insights.query.audience.AudienceFilter;
import de.prokommun.insights.query.audience.AudienceQuery;
import de.prokommun.insights.query.audience.Breakdown;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Complete Journey sample (../shared/data/completejourney, 75,000 purchase lines of 2017) imported through the
 * real ingestion of the whole local system — twice. Once the jobs have consumed everything and Pinot has settled,
 * the figures read exactly from Pinot (sums per measure, buyers per category and year and per month, customers
 * per shop, profiles and their tags) must be the same after the second import as after the first, and the
 * import report must count every row of the file.
 * <p>In between, the worked example of docs/INSIGHTS.md is asked of the imported data: a store asks who bought a
 * category in 2017, which personas over-buy it and how many of the buyers are still active. The data end in
 * 2017, so that question is asked of a query service whose clock stands at 31 December 2017 (noon, Berlin);
 * Musterstadt's real privacy policy applies. The released answer must equal an independent release of the exact
 * figures; both are printed ("[complete-journey]" lines) — the exact ones are the developer's view in this test,
 * never available to a participant. The journey example of docs/JOURNEY.md follows: the operator asks the
 * cross-shopping matrix and the flows between the stores with the most customers
 * ({@link CompleteJourneyCrossShopping}); the exact sums in Pinot must equal those computed directly from the
 * stored purchase records.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompleteJourneyImportIT {

    private static final String CITY = CompleteJourney.CITY;
    private static final String SECRET = "complete-journey-secret-of-musterstadt";
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final Duration SETTLE_WITHIN = Duration.ofMinutes(8);
    private static final String CONTRIBUTIONS = PinotTables.CONTRIBUTIONS.name();
    private static final String PROFILES = PinotTables.PROFILES.name();
    /** The worked example: a category with many buyers in the sample, and three personas to compare. */
    static final String EXAMPLE_CATEGORY = "lebensmittel.backwaren";
    static final List<String> EXAMPLE_PERSONAS = List.of("family", "single", "senior");
    static final Instant EXAMPLE_TODAY = ZonedDateTime.of(2017, 12, 31, 12, 0, 0, 0, ZONE).toInstant();

    @TempDir
    static Path dir;

    private Path cj;
    private Path citiesDir;
    private LocalSystem system;
    private BehaviourTestSupport support;
    private Map<String, String> keys;
    private byte[] prfKey;

    @BeforeAll
    void startTheSystem() throws Exception {
        cj = completeJourney();
        citiesDir = BehaviourTestSupport.repositoryRoot().resolve("cities");
        Path dataDir = dir.resolve("system");
        Files.createDirectories(dataDir);
        keys = CompleteJourneyDemo.participants(cj, LocalSettings.participantsFile(dataDir), dir.resolve("cj-keys.json"));
        prfKey = new byte[32];
        new SecureRandom().nextBytes(prfKey);
        // the settings of ./run-local --demo complete-journey (2017's data accepted, the query clock at the end of
        // 2017, questions answered one by one), with this test's own secrets
        Map<String, String> values = new java.util.HashMap<>(CompleteJourneyDemo.settings());
        values.put(FlinkJobsConfig.CITY_SECRETS.name(), CITY + ":" + SECRET);
        values.put(QueryConfig.PRF_KEY.name(), Base64.getUrlEncoder().withoutPadding().encodeToString(prfKey));
        Settings settings = LocalSettings.forDataDir(Settings.of(values),
                dataDir, citiesDir, CITY);
        system = ItSystems.start(dataDir, settings);
        support = new BehaviourTestSupport(system);
    }

    @AfterAll
    void stopTheSystem() {
        if (system != null) system.close();
    }

    @Test
    void importingTheSampleTwiceYieldsTheSameFiguresAsOnceAndTheReportCountsEveryRow() throws Exception {
        long rowsInFile = dataRows(cj.resolve(CompleteJourney.TRANSACTIONS));
        uploadMappingsAndAwaitThem();

        long t0 = System.nanoTime();
        ImportReport first = CompleteJourney.importAll(cj, URI.create(system.ingestion().baseUrl()), keys, citiesDir, 1000,
                Progress.disabled());
        double imported = (System.nanoTime() - t0) / 1e9;
        first.print(System.out, true);
        System.out.printf("[complete-journey] first import sent in %.1f s%n", imported);
        assertThat(first.abortedBecause()).isNull();
        assertThat(first.rowsRead()).as("rows read = data rows of " + CompleteJourney.TRANSACTIONS).isEqualTo(rowsInFile)
                .isEqualTo(75_000);
        assertThat(first.balanced()).as("rows read = imported + rejected").isTrue();
        assertThat(first.rowsImported()).isPositive();
        Map<String, Map<String, List<Long>>> once = awaitSettled("first import");
        System.out.printf("[complete-journey] first import: sent in %.1f s, settled in Pinot %.1f s after the start%n",
                imported, (System.nanoTime() - t0) / 1e9);
        print(once);
        assertThat(once.get("sums per measure")).containsKeys("purchase", "buyer_year", "spend_clamped", "registration");

        workedExample();

        long t1 = System.nanoTime();
        ImportReport second = CompleteJourney.importAll(cj, URI.create(system.ingestion().baseUrl()), keys, citiesDir, 1000,
                Progress.disabled());
        assertThat(second.toJson()).as("the second report").isEqualTo(first.toJson());
        Map<String, Map<String, List<Long>>> twice = awaitSettled("second import");
        System.out.printf("[complete-journey] second import settled %.1f s after its start%n", (System.nanoTime() - t1) / 1e9);
        // the unmapped-groups report counts every submitted purchase, a re-sent one too (issue 15: counted before the
        // consent wait and the de-duplication, docs/INSIGHTS.md): its rows are the only ones a second import adds
        for (String figure : List.of("contribution rows", "sums per measure")) {
            assertThat(twice.get(figure).get(SUBMITTED)).as("submitted unmapped lines after the second import: " + figure)
                    .isEqualTo(once.get(figure).get(SUBMITTED).stream().map(v -> 2 * v).toList());
        }
        assertThat(BehaviourTestSupport.difference(withoutSubmitted(once), withoutSubmitted(twice)))
                .as("figures after the second import").isEmpty();
        assertThat(withoutSubmitted(twice)).isEqualTo(withoutSubmitted(once));
    }

    private static final String SUBMITTED = "submitted_unmapped_line";

    private static Map<String, Map<String, List<Long>>> withoutSubmitted(Map<String, Map<String, List<Long>>> figures) {
        Map<String, Map<String, List<Long>>> out = new java.util.TreeMap<>();
        figures.forEach((name, rows) -> {
            Map<String, List<Long>> kept = new java.util.TreeMap<>(rows);
            kept.remove(SUBMITTED);
            out.put(name, kept);
        });
        return out;
    }

    // ---- import ------------------------------------------------------------------------------------------------

    /**
     * Every store's mapping is uploaded first, and the wait of ./run-local --demo complete-journey must be enough: a
     * probe resident of the CJ portal who buys a mapped group right after it is seen with the category at once (then
     * erased). A mapping applies to purchases processed after it arrived.
     */
    private void uploadMappingsAndAwaitThem() throws Exception {
        int stores = CompleteJourneyDemo.uploadMappingsAndAwaitThem(URI.create(system.ingestion().baseUrl()), keys,
                system.settings(), Duration.ofMinutes(5));
        List<String> someStores = keys.keySet().stream().filter(k -> k.startsWith("cj-store-")).limit(3).toList();
        Instant t = Instant.parse("2016-12-30T09:00:00Z");
        String ref = "cj-probe-1";
        support.postEvents(keys.get(CompleteJourney.PORTAL), List.of(event(ref + "-r", "resident.registered", t, ref,
                Map.of("birthDate", "1980-05-05", "gender", "UNKNOWN", "postcode", "45468", "householdType", "SINGLE",
                        "consents", Map.of("analytics", true, "offers", false, "newsletter", false)))));
        for (String store : someStores) {
            support.postEvents(keys.get(store), List.of(event(ref + "-" + store, "purchase", t.plusSeconds(60), ref,
                    Map.of("receipt", ref + "-" + store, "lines", List.of(Map.of("productGroup", "SOFT DRINKS",
                            "quantity", 1, "amountCents", 100))))));
        }
        String records = "SELECT COUNT(*) FROM " + PinotTables.PERSON_RECORDS.name() + " WHERE pseudonym = '"
                + BehaviourTestSupport.pseudonym(SECRET, ref) + "' AND kind = 'purchase' AND deleted = false";
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (count(records) < 3) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("the probe's purchases never reached Pinot");
            Thread.sleep(300);
        }
        assertThat(count(records + " AND categories = 'unmapped'")).as("probe purchases sent after the wait for the"
                + " mappings of " + stores + " stores, counted unmapped").isZero();
        support.postEvents(keys.get(CompleteJourney.PORTAL), List.of(event(ref + "-e", "erasure.requested",
                t.plusSeconds(120), ref, Map.of())));
        System.out.printf("[complete-journey] mappings of %d stores applied%n", stores);
    }

    private static ObjectNode event(String id, String type, Instant time, String resident, Map<String, Object> data) {
        return BehaviourTestSupport.event(id, type, time.toString(), resident, null, data);
    }

    private long count(String sql) {
        try {
            return system.pinot().queryCount(sql);
        } catch (IllegalStateException notYet) {
            return -1;
        }
    }

    /** Data rows of the CSV: lines that are not blank, without the header. */
    private static long dataRows(Path gz) throws Exception {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)),
                StandardCharsets.UTF_8))) {
            return in.lines().filter(l -> !l.isBlank()).count() - 1;
        }
    }

    private static Path completeJourney() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("data").resolve("completejourney");
            if (Files.isRegularFile(candidate.resolve(CompleteJourney.TRANSACTIONS))) return candidate;
        }
        throw new IllegalStateException("shared/data/completejourney not found above " + Path.of("").toAbsolutePath());
    }

    // ---- figures -----------------------------------------------------------------------------------------------

    /**
     * Waits until both jobs have consumed every raw event and mapping, and the jobs' remaining offsets and Pinot's
     * figures have stayed the same for ten seconds.
     */
    private Map<String, Map<String, List<Long>>> awaitSettled(String when) throws Exception {
        Instant deadline = Instant.now().plus(SETTLE_WITHIN);
        Map<String, Map<String, List<Long>>> last = null;
        Map<String, Long> lastLag = null;
        Instant stableSince = null;
        Instant lastReport = Instant.now();
        String why = "";
        while (Instant.now().isBefore(deadline)) {
            Map<String, Long> lag = support.flinkLag();
            boolean consumed = support.rawInputConsumed(lag);
            Map<String, Map<String, List<Long>>> now = consumed ? figures() : null;
            if (now != null && now.equals(last) && lag.equals(lastLag)) {
                if (stableSince == null) stableSince = Instant.now();
                if (Duration.between(stableSince, Instant.now()).toSeconds() >= 10) return now;
            } else {
                stableSince = null;
                why = !consumed ? "raw input not consumed, lag " + lag
                        : !lag.equals(lastLag) ? "offsets still moving " + lag
                        : "figures still changing: " + (last == null ? "first read" : BehaviourTestSupport.difference(last, now));
            }
            if (Duration.between(lastReport, Instant.now()).toSeconds() >= 30) {
                System.out.println("[complete-journey] " + when + ": waiting, " + why);
                lastReport = Instant.now();
            }
            last = now;
            lastLag = lag;
            Thread.sleep(2000);
        }
        throw new AssertionError(when + ": the pipeline did not settle within " + SETTLE_WITHIN + ": " + why);
    }

    private Map<String, Map<String, List<Long>>> figures() {
        String c = " FROM " + CONTRIBUTIONS + " WHERE city = '" + CITY + "'";
        String p = " FROM " + PROFILES + " WHERE city = '" + CITY + "' AND deleted = false";
        String limit = " LIMIT 100000";
        Map<String, Map<String, List<Long>>> f = new TreeMap<>();
        f.put("sums per measure", support.pinotRows("SELECT measure, SUM(count), SUM(quantity), SUM(amountCents)" + c
                + " GROUP BY measure" + limit, 1));
        f.put("buyers per category and year", support.pinotRows("SELECT category, year, SUM(count)" + c
                + " AND measure = 'buyer_year' GROUP BY category, year" + limit, 2));
        f.put("buyers per category and month", support.pinotRows("SELECT category, month, SUM(count)" + c
                + " AND measure = 'buyer_month' GROUP BY category, month" + limit, 2));
        f.put("purchases and spend per shop and category", support.pinotRows("SELECT participant, category, SUM(count),"
                + " SUM(quantity), SUM(amountCents)" + c + " AND measure = 'purchase' GROUP BY participant, category" + limit, 2));
        f.put("customers per shop and year", support.pinotRows("SELECT participant, year, SUM(count)" + c
                + " AND measure = 'customer_year' GROUP BY participant, year" + limit, 2));
        f.put("clamped per category", support.pinotRows("SELECT category, SUM(count), SUM(amountCents)" + c
                + " AND measure IN ('purchase_clamped', 'spend_clamped') GROUP BY category" + limit, 1));
        f.put("unmapped lines per group", support.pinotRows("SELECT category, SUM(count)" + c
                + " AND measure = 'unmapped_line' GROUP BY category" + limit, 1));
        f.put("profiles", support.pinotRows("SELECT city, COUNT(*)" + p + " GROUP BY city" + limit, 1));
        f.put("profiles per persona", support.pinotRows("SELECT personas, COUNT(*)" + p + " GROUP BY personas" + limit, 1));
        f.put("profile tags", support.pinotRows("SELECT purchaseTags, COUNT(*)" + p + " GROUP BY purchaseTags" + limit, 1));
        f.put("contribution rows", support.pinotRows("SELECT measure, COUNT(*)" + c + " GROUP BY measure" + limit, 1));
        return f;
    }

    private static void print(Map<String, Map<String, List<Long>>> figures) {
        figures.forEach((name, rows) -> {
            if (rows.size() <= 20) {
                System.out.println("[complete-journey] " + name + ": " + rows);
            } else {
                List<Map.Entry<String, List<Long>>> top = new ArrayList<>(rows.entrySet());
                top.sort((a, b) -> Long.compare(b.getValue().get(0), a.getValue().get(0)));
                System.out.println("[complete-journey] " + name + " (" + rows.size() + " rows, top 12): " + top.subList(0, 12));
            }
        });
    }

    // ---- the worked example ------------------------------------------------------------------------------------

    /**
     * The store with the most customers in 2017 asks about {@link #EXAMPLE_CATEGORY}: affinity by persona (three
     * personas) and the product history of 2017 with its still-active buyers, as of 31 December 2017.
     */
    private void workedExample() throws Exception {
        Map<String, List<Long>> customers = support.pinotRows("SELECT participant, SUM(count) FROM " + CONTRIBUTIONS
                + " WHERE city = '" + CITY + "' AND measure = 'customer_year' AND year = 2017 GROUP BY participant"
                + " ORDER BY SUM(count) DESC LIMIT 1000", 1);
        String store = customers.entrySet().stream().max(Map.Entry.comparingByValue((a, b) -> Long.compare(a.get(0), b.get(0))))
                .orElseThrow().getKey();
        System.out.println("[complete-journey] example store " + store + " with " + customers.get(store).get(0)
                + " customers (residents with a profile) in 2017");

        Path exampleDir = Files.createDirectories(dir.resolve("example-query"));
        // a query service of its own, as the local mode sets one up (city-wide journal in its directory, not enforced)
        Settings settings = LocalSettings.forQueryService(system.settings(), exampleDir).with(Map.of(
                QueryConfig.PORT.name(), "0",
                QueryConfig.AUDIT_LOG.name(), exampleDir.resolve("audit.jsonl").toString(),
                QueryConfig.BUDGET_LEDGER.name(), exampleDir.resolve("ledger.jsonl").toString()));
        Vertx vertx = Vertx.vertx();
        try {
            QueryVerticle verticle = QueryServer.create(settings, Clock.fixed(EXAMPLE_TODAY, ZONE));
            vertx.deployVerticle(verticle).await(60, TimeUnit.SECONDS);
            String url = "http://" + settings.get(QueryConfig.HOST) + ":" + verticle.actualPort();
            askTheExample(url, store);
            new CompleteJourneyCrossShopping(system, support, CITY, keys.get(CompleteJourney.OPERATOR)).askAndCompare(url);
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    private void askTheExample(String url, String store) throws Exception {
        Asker merchant = new Asker(CITY, store, AskerRole.PARTICIPANT);
        PrivacyPolicy policy = PrivacyPolicy.of(PrivacyPolicy.load(citiesDir.resolve(CITY).resolve("privacy.json")));
        String category = EXAMPLE_CATEGORY;

        ObjectNode affinityBody = JSON.createObjectNode().put("category", category).put("year", 2017).put("segmentBy", "persona");
        EXAMPLE_PERSONAS.forEach(affinityBody.putArray("personas")::add);
        JsonNode affinity = support.ask(url, keys.get(store), "/api/v1/insights/affinity", affinityBody.toString());
        System.out.println("[complete-journey] POST /api/v1/insights/affinity " + affinityBody);
        System.out.println("[complete-journey] → " + affinity.toPrettyString());

        String historyBody = JSON.createObjectNode().put("category", category).put("granularity", "year").put("from", 2017)
                .put("to", 2017).toString();
        JsonNode history = support.ask(url, keys.get(store), "/api/v1/insights/product-history", historyBody);
        System.out.println("[complete-journey] POST /api/v1/insights/product-history " + historyBody);
        System.out.println("[complete-journey] → " + history.toPrettyString());

        // the exact figures behind the answers (developer's view, read from Pinot in this test)
        String c = " FROM " + CONTRIBUTIONS + " WHERE city = '" + CITY + "' AND category = '" + category + "' AND year = 2017"
                + " AND measure = 'buyer_year'";
        String p = " FROM " + PROFILES + " WHERE city = '" + CITY + "' AND deleted = false";
        long buyers = sum("SELECT SUM(count)" + c);
        long population = system.pinot().queryCount("SELECT COUNT(*)" + p);
        long today = LocalDate.ofInstant(EXAMPLE_TODAY, ZONE).toEpochDay();
        long stillActive = system.pinot().queryCount("SELECT COUNT(*)" + p + " AND purchaseTags = 'category:" + category
                + ":2017' AND lastPurchaseDay >= " + (today - 90));
        System.out.printf("[complete-journey] exact: buyers %d, population %d, still active %d (%.3f of the buyers)%n",
                buyers, population, stillActive, (double) stillActive / buyers);

        String version = affinity.get("dataVersion").asText();
        DisclosureControl disclosure = new DisclosureControl(policy, BudgetLedger.inMemory(), AuditLog.inMemory(), prfKey,
                Clock.fixed(EXAMPLE_TODAY, ZONE));
        ReleasedCell allBuyers = disclosure.releaseCounts(merchant, CanonicalQuestion.of("insights.buyers")
                .param("category", category).param("period", "2017").build(), version, List.of(new TrueCell("", buyers))).cells().get(0);
        ReleasedCell allPeople = disclosure.releaseCounts(merchant, audience(null, null), version,
                List.of(new TrueCell("", population))).cells().get(0);
        JsonNode city = affinity.path("tables").path("city").get(0);
        assertCell(city.get("buyers"), allBuyers, buyers, "example: buyers 2017");
        assertCell(city.get("population"), allPeople, population, "example: population");
        for (JsonNode row : affinity.path("tables").path("segments")) {
            String persona = row.get("label").asText();
            long personaBuyers = sum("SELECT SUM(count)" + c + " AND personas = '" + persona + "'");
            long personaPopulation = system.pinot().queryCount("SELECT COUNT(*)" + p + " AND personas = '" + persona + "'");
            double exactLift = ((double) personaBuyers / personaPopulation) / ((double) buyers / population);
            System.out.printf("[complete-journey] exact %s: buyers %d, population %d, lift %.3f%n", persona, personaBuyers,
                    personaPopulation, exactLift);
            ReleasedCell b = disclosure.releaseCounts(merchant, CanonicalQuestion.of("insights.buyers").param("category", category)
                    .param("period", "2017").param("breakdown", "persona").param("cell", persona).build(), version,
                    List.of(new TrueCell(persona, personaBuyers))).cells().get(0);
            ReleasedCell pop = disclosure.releaseCounts(merchant, audience(Breakdown.PERSONA, persona), version,
                    List.of(new TrueCell(persona, personaPopulation))).cells().get(0);
            assertCell(row.get("buyers"), b, personaBuyers, "example: " + persona + " buyers");
            assertCell(row.get("population"), pop, personaPopulation, "example: " + persona + " population");
        }
        ReleasedCell still = disclosure.releaseCounts(merchant, new AudienceQuery(PROFILES, CITY, AudienceFilter.everyone()
                .withBoughtCategory(new AudienceFilter.BoughtCategory(category, 2017)).withActiveWithinDays(90),
                Optional.empty()).question(), history.get("dataVersion").asText(), List.of(new TrueCell("", stillActive))).cells().get(0);
        assertCell(history.path("tables").path("stillActive").get(0).get("stillActive"), still, stillActive, "example: still active");
    }

    private long sum(String sql) {
        JsonNode rows = system.pinot().query(sql).path("resultTable").path("rows");
        return rows.isEmpty() ? 0 : Math.round(rows.get(0).get(0).asDouble());
    }

    private static Question audience(Breakdown b, String cell) {
        AudienceQuery q = new AudienceQuery(PROFILES, CITY, AudienceFilter.everyone(), Optional.ofNullable(b));
        return cell == null ? q.question() : q.cellQuestion(cell);
    }
}
