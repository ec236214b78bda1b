package de.prokommun.insights.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.DeadLetter;
import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.privacy.CanonicalQuestion;
import de.prokommun.insights.privacy.DisclosureControl;
import de.prokommun.insights.privacy.PrivacyPolicy;
import de.prokommun.insights.privacy.ReleasedCell;
import de.prokommun.insights.privacy.TrueCell;
import de.prokommun.insights.privacy.audit.AuditLog;
import de.prokommun.insights.privacy.budget.BudgetLedger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP attack suite of issue 15 ("Nobody can poison, probe or read what is not theirs"): a dishonest participant
 * with a valid key (a drinks shop of the Musterstadt catalogue) against the whole local system — ingestion, embedded Kafka, both Flink jobs, Pinot,
 * the query service — over HTTP, one test per finding. The victim is a wine shop. What a figure is,
 * is read exactly from Pinot (the developer's view behind the privacy layer), so "changes none of its figures" is an
 * equality, not a noisy comparison; what the attacker is told is read over HTTP.
 * <p>
 * Single-seller categories (finding 3): test 5 reads a segment cell one seller dominates (the suite keeps the city's
 * dominance rule); the publication's rule is {@code PublicationIT}, {@code PurchaseStatisticsTest}, the ad-hoc routes
 * {@code SellerConfidentialityIT}. The last test reads the operator's audit of refusals, ingestion's included.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ParticipantAttackIT {

    private static final String CITY = "musterstadt";
    private static final String VICTIM = "weinhaus-broich";
    private static final String ATTACKER = "getraenke-ruhr";
    private static final String OPERATOR = "stadtmarketing";
    /** A third seller of the category of test 5. */
    private static final String THIRD = "drogerie-altstadt";
    private static final Duration WITHIN = Duration.ofSeconds(150);
    private static final List<String> CONSENTING = List.of("R-101", "R-102", "R-103", "R-104", "R-105");
    private static final List<String> NOT_CONSENTING = List.of("R-106", "R-107", "R-108", "R-109", "R-110");
    private static final int PROBE_LINES = 40;

    @TempDir
    static Path dir;

    private LocalSystem system;
    private BehaviourTestSupport support;
    private final Map<String, String> keys = new LinkedHashMap<>();
    private PrivacyPolicy policy;
    private byte[] prfKey;
    /** Event times: a few hours ago, one minute apart (inside every retention and the current month's figures). */
    private Instant clock = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(3));
    private int ids;

    @BeforeAll
    void startTheSystemWithTenResidentsHalfOfThemConsenting() throws Exception {
        Map<String, String> roles = new LinkedHashMap<>();
        roles.put("portal", "PORTAL");
        roles.put(VICTIM, "PARTICIPANT");
        roles.put(ATTACKER, "PARTICIPANT");
        roles.put(THIRD, "PARTICIPANT");
        roles.put(OPERATOR, "OPERATOR");
        BehaviourTestSupport.StartedSystem started = BehaviourTestSupport.startSystem(dir, CITY,
                "attack-test-secret-of-musterstadt", roles, 5000, withDominance());
        system = started.system();
        keys.putAll(started.keys());
        policy = started.policy();
        prfKey = started.prfKey();
        support = started.support();
        List<ObjectNode> registrations = new ArrayList<>();
        for (String ref : CONSENTING) registrations.add(registration(ref, true));
        for (String ref : NOT_CONSENTING) registrations.add(registration(ref, false));
        support.postEvents(keys.get("portal"), registrations);
        support.awaitCount("profiles of the consenting residents", "SELECT COUNT(*) FROM " + PinotTables.PROFILES.name()
                + " WHERE city = '" + CITY + "' AND deleted = false", CONSENTING.size(), WITHIN);
    }

    /** The city's dominance rule as configured (test 5 reads a segment cell one seller dominates). */
    private static Map<String, String> withDominance() {
        Map<String, String> more = new LinkedHashMap<>(BehaviourTestSupport.RESOLVE_EVERY_PERSON);
        more.put(BehaviourTestSupport.KEEP_DOMINANCE, "true");
        return more;
    }

    @AfterAll
    void stopTheSystem() {
        if (system != null) system.close();
    }

    /**
     * Finding 1: one purchase per known resident with a unique unmapped product group and 40 lines. The unmapped-groups
     * report must not tell consenting from non-consenting residents: behind it every probe group has its 40 lines
     * whoever bought, and the released answer is exactly the release of that consent-free truth.
     */
    @Test
    @Order(1)
    void aMembershipProbeThroughUnmappedGroupsLearnsNothing() throws Exception {
        List<ObjectNode> probes = new ArrayList<>();
        List<String> everyone = new ArrayList<>(CONSENTING);
        everyone.addAll(NOT_CONSENTING);
        for (String ref : everyone) {
            List<Map<String, Object>> lines = new ArrayList<>();
            for (int i = 0; i < PROBE_LINES; i++) lines.add(Map.of("productGroup", "probe-" + ref, "quantity", 1, "amountCents", 100));
            probes.add(event("purchase", ref, Map.of("receipt", "P-" + ref, "lines", lines)));
        }
        support.postEvents(keys.get(ATTACKER), probes);

        Map<String, List<Long>> truth = new TreeMap<>();
        everyone.forEach(ref -> truth.put("probe-" + ref, List.of((long) PROBE_LINES)));
        String sql = "SELECT category, SUM(count) FROM " + PinotTables.CONTRIBUTIONS.name() + " WHERE city = '" + CITY
                + "' AND measure = 'submitted_unmapped_line' AND participant = '" + ATTACKER + "' GROUP BY category LIMIT 1000";
        awaitRows("the lines behind the report, the same for both groups", sql, truth);

        BehaviourTestSupport.Answer a = support.send("GET", system.queryUrl() + "/api/v1/product-groups/unmapped",
                keys.get(ATTACKER), null, null);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        JsonNode answer = a.json();
        List<TrueCell> cells = new ArrayList<>();
        truth.forEach((group, n) -> cells.add(new TrueCell(group, n.get(0))));
        List<ReleasedCell> expected = disclosure().releaseCounts(new Asker(CITY, ATTACKER, AskerRole.PARTICIPANT),
                CanonicalQuestion.of("product-groups.unmapped").param("participant", ATTACKER).build(),
                answer.get("dataVersion").asText(), cells).cells();
        List<ReleasedCell> shown = expected.stream().filter(c -> !c.suppressed()).toList();
        JsonNode rows = answer.path("tables").path("productGroups");
        assertThat(rows.size()).as("rows of " + a.body()).isEqualTo(shown.size());
        for (int i = 0; i < shown.size(); i++) {
            assertThat(rows.get(i).get("label").asText()).isEqualTo(shown.get(i).label());
            BehaviourTestSupport.assertCell(rows.get(i).get("lines"), shown.get(i), PROBE_LINES, shown.get(i).label());
        }
        assertThat(shown).as("residents of both groups are listed alike")
                .anyMatch(c -> NOT_CONSENTING.contains(c.label().substring("probe-".length())))
                .anyMatch(c -> CONSENTING.contains(c.label().substring("probe-".length())));
    }

    /** Finding 2: follows of a competitor are refused with 403 naming the field; the competitor's followers stay. */
    @Test
    @Order(2)
    void aForgedFollowOfAnotherShopIsRefusedAndChangesNoneOfItsFigures() throws Exception {
        support.postEvents(keys.get(VICTIM), List.of(follow("R-101", VICTIM), follow("R-102", VICTIM)));
        String followers = "SELECT COUNT(*) FROM " + PinotTables.PROFILES.name() + " WHERE city = '" + CITY
                + "' AND deleted = false AND purchaseTags = 'follows:%s'";
        support.awaitCount("the wine shop's own followers", followers.formatted(VICTIM), 2, WITHIN);

        for (String ref : List.of("R-103", "R-104", "R-105")) {
            BehaviourTestSupport.Answer refused = post(ATTACKER, follow(ref, VICTIM));
            assertThat(refused.status()).as(refused.body()).isEqualTo(403);
            assertThat(refused.json().path("error").path("accepted").asInt()).isZero();
            assertThat(refused.json().path("error").path("problems").get(0).path("field").asText()).isEqualTo("data.followed");
        }
        // the attacker's own follow afterwards: once it is visible, anything sent before has been processed
        support.postEvents(keys.get(ATTACKER), List.of(follow("R-103", ATTACKER)));
        support.awaitCount("the attacker's own follower", followers.formatted(ATTACKER), 1, WITHIN);
        assertThat(system.pinot().queryCount(followers.formatted(VICTIM))).as("the wine shop's followers").isEqualTo(2);
    }

    /**
     * Finding 2: a retraction of the wine shop's receipt — 403 when it names the shop, a dead letter when it names only
     * the receipt (ingestion does not know whose receipt it is) — and the same receipt number sent as the attacker's own
     * sale (a new sale of the attacker, issue 15): the wine shop's sale, spend and record stay.
     */
    @Test
    @Order(3)
    void aForgedRetractionOrAReusedReceiptNumberChangesNoneOfTheShopsSales() throws Exception {
        support.postEvents(keys.get(VICTIM), List.of(event("purchase", "R-104", Map.of("receipt", "W-1",
                "lines", List.of(Map.of("productGroup", "rotwein", "quantity", 2, "amountCents", 2590))))));
        String sales = "SELECT participant, SUM(count), SUM(amountCents) FROM " + PinotTables.CONTRIBUTIONS.name()
                + " WHERE city = '" + CITY + "' AND measure = 'purchase' AND participant IN ('" + VICTIM + "', '" + ATTACKER
                + "') GROUP BY participant LIMIT 10";
        Map<String, List<Long>> victimsSale = withAttackersProbes(Map.of(VICTIM, List.of(1L, 2590L)));
        awaitRows("the wine shop's sale", sales, victimsSale);
        String records = "SELECT COUNT(*) FROM " + PinotTables.PERSON_RECORDS.name() + " WHERE city = '" + CITY
                + "' AND deleted = false AND kind = 'purchase' AND participant = '" + VICTIM + "'";
        support.awaitCount("the wine shop's purchase record", records, 1, WITHIN);

        ObjectNode namingTheShop = event("purchase.retracted", "R-104", Map.of("receipt", "W-1"));
        namingTheShop.put("participant", VICTIM);
        BehaviourTestSupport.Answer refused = post(ATTACKER, namingTheShop);
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.json().path("error").path("problems").get(0).path("field").asText()).isEqualTo("participant");

        ObjectNode bare = event("purchase.retracted", "R-104", Map.of("receipt", "W-1"));
        support.postEvents(keys.get(ATTACKER), List.of(bare));
        DeadLetter dead = awaitDeadLetter(bare.get("eventId").asText());
        assertThat(dead.getReason()).startsWith("forged assertion about another participant: data.receipt: ")
                .contains("'" + ATTACKER + "'").contains("'" + VICTIM + "'");

        support.postEvents(keys.get(ATTACKER), List.of(event("purchase", "R-104", Map.of("receipt", "W-1",
                "lines", List.of(Map.of("productGroup", "bier", "quantity", 1, "amountCents", 990))))));
        Map<String, List<Long>> both = new TreeMap<>(victimsSale);
        both.merge(ATTACKER, List.of(1L, 990L), BehaviourTestSupport::plus);
        awaitRows("the reused receipt number is the attacker's new sale; the wine shop's stays", sales, both);
        assertThat(system.pinot().queryCount(records)).as("the wine shop's purchase record").isEqualTo(1);
    }

    /**
     * Finding 2: the wine shop sold a gift voucher, redeemed later; the attacker reports a sale of the same voucher id,
     * backdated so that the earliest-sale rule would make it the seller. 403 when it names the wine shop; otherwise a
     * dead letter (whose voucher it is is known only in Flink), and the wine shop's sold and redeemed-from figures stay.
     */
    @Test
    @Order(4)
    void aForgedSaleOfAnotherShopsVoucherIdChangesNoneOfItsFigures() throws Exception {
        Instant soldAt = next();
        ObjectNode sale = BehaviourTestSupport.event(id(), "gift_voucher.sold", soldAt.toString(), "R-102", null,
                Map.of("voucher", "GV-W-1", "amountCents", 5000));
        support.postEvents(keys.get(VICTIM), List.of(sale, event("gift_voucher.redeemed", "R-103",
                Map.of("voucher", "GV-W-1", "amountCents", 3000))));
        String vouchers = "SELECT measure, participant, counterpart, SUM(count), SUM(amountCents) FROM "
                + PinotTables.CONTRIBUTIONS.name() + " WHERE city = '" + CITY + "' AND measure IN ('gift_voucher_sold',"
                + " 'gift_voucher_redeemed') GROUP BY measure, participant, counterpart LIMIT 100";
        Map<String, List<Long>> victims = Map.of(
                "gift_voucher_sold|" + VICTIM + "|null", List.of(1L, 5000L),
                "gift_voucher_redeemed|" + VICTIM + "|" + VICTIM, List.of(1L, 3000L));
        awaitRows3("the wine shop's voucher sold and redeemed", vouchers, victims);

        ObjectNode namingTheShop = BehaviourTestSupport.event(id(), "gift_voucher.sold",
                soldAt.minus(Duration.ofDays(1)).toString(), "R-105", null, Map.of("voucher", "GV-W-1", "amountCents", 9000));
        namingTheShop.put("participant", VICTIM);
        BehaviourTestSupport.Answer refused = post(ATTACKER, namingTheShop);
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.json().path("error").path("problems").get(0).path("field").asText()).isEqualTo("participant");

        ObjectNode forged = BehaviourTestSupport.event(id(), "gift_voucher.sold",
                soldAt.minus(Duration.ofDays(1)).toString(), "R-105", null, Map.of("voucher", "GV-W-1", "amountCents", 9000));
        support.postEvents(keys.get(ATTACKER), List.of(forged));
        DeadLetter dead = awaitDeadLetter(forged.get("eventId").asText());
        assertThat(dead.getStage()).isEqualTo("voucher-circulation");
        assertThat(dead.getReason()).startsWith("forged assertion about another participant: data.voucher: ")
                .contains("'" + ATTACKER + "'").contains("'" + VICTIM + "'");
        // a later sale of the wine shop to the same resident: once it is visible, the forged sale has been processed
        support.postEvents(keys.get(VICTIM), List.of(event("gift_voucher.sold", "R-105",
                Map.of("voucher", "GV-W-2", "amountCents", 1000))));
        Map<String, List<Long>> after = new TreeMap<>(victims);
        after.put("gift_voucher_sold|" + VICTIM + "|null", List.of(2L, 6000L));
        awaitRows3("no row of the forged sale, no re-linked redemption", vouchers, after);

        // finding 6: GV-W-1 was sold for 5,000 and 3,000 of it are redeemed; the attacker reports a redemption of
        // 3,000 more at its own shop: dead-lettered, never counted, the links into it and out of the wine shop unchanged
        ObjectNode over = event("gift_voucher.redeemed", "R-104", Map.of("voucher", "GV-W-1", "amountCents", 3000));
        support.postEvents(keys.get(ATTACKER), List.of(over));
        DeadLetter overRedeemed = awaitDeadLetter(over.get("eventId").asText());
        assertThat(overRedeemed.getStage()).isEqualTo("voucher-circulation");
        assertThat(overRedeemed.getReason()).startsWith("over-redemption: data.amountCents: ").contains("'" + ATTACKER + "'")
                .contains("'GV-W-1'").contains("for 5000 cents");
        // a legitimate redemption of what is left (2,000) right after it counts: once it is visible, both are processed
        support.postEvents(keys.get(ATTACKER), List.of(event("gift_voucher.redeemed", "R-105",
                Map.of("voucher", "GV-W-1", "amountCents", 2000))));
        after.put("gift_voucher_redeemed|" + ATTACKER + "|" + VICTIM, List.of(1L, 2000L));
        awaitRows3("the over-redemption has no row; the redemption that fits counts", vouchers, after);
    }

    /**
     * Section 24 (issue 15, finding 3, segment cells): three shops sell the city's fine food, so the category as a
     * whole is not one seller's; but among the residents born around 2001 only the wine shop sells it. The attacker
     * asks the trend of the category restricted to that age band: 403 naming 'segment' and the cell, never the shop.
     * The same question about everyone is answered. Category flows between categories are the operator's only.
     */
    @Test
    @Order(5)
    void aCompetitorCannotReadASingleSellersSegmentCellOrCategoryFlows() throws Exception {
        String category = "lebensmittel.feinkost-bio";
        for (String shop : List.of(VICTIM, ATTACKER, THIRD)) {
            BehaviourTestSupport.Answer mapped = support.send("PUT", system.ingestion().baseUrl()
                    + "/api/v1/product-groups/mapping", keys.get(shop), "application/json",
                    "{\"mappings\":[{\"productGroup\":\"feinkost-" + shop + "\",\"category\":\"" + category + "\"}]}");
            assertThat(mapped.status()).as(mapped.body()).isEqualTo(200);
        }
        Map<String, Object> young = new LinkedHashMap<>();
        young.put("birthDate", "2001-06-15");
        young.put("gender", "FEMALE");
        young.put("postcode", "45468");
        young.put("householdType", "SINGLE");
        young.put("interests", List.of());
        young.put("consents", Map.of("analytics", true, "offers", true, "newsletter", false));
        support.postEvents(keys.get("portal"), List.of(event("resident.registered", "R-111", young)));
        Thread.sleep(3_000); // the mappings reach the profile job's broadcast state before the purchases
        String[][] sales = {{VICTIM, "R-101"}, {ATTACKER, "R-102"}, {THIRD, "R-103"}, {VICTIM, "R-111"}};
        for (String[] sale : sales) {
            support.postEvents(keys.get(sale[0]), List.of(event("purchase", sale[1], Map.of("receipt", "F-" + sale[1],
                    "lines", List.of(Map.of("productGroup", "feinkost-" + sale[0], "quantity", 1, "amountCents", 1000))))));
        }
        String byBand = "SELECT ageBand, participant, SUM(amountCents) FROM " + PinotTables.CONTRIBUTIONS.name()
                + " WHERE city = '" + CITY + "' AND measure = 'purchase' AND category = '" + category
                + "' GROUP BY ageBand, participant LIMIT 100";
        Instant deadline = Instant.now().plus(WITHIN);
        Map<String, List<Long>> rows = Map.of();
        while (Instant.now().isBefore(deadline)) {
            rows = support.pinotRows(byBand, 2);
            if (rows.values().stream().mapToLong(v -> v.get(0)).sum() == 4_000) break;
            Thread.sleep(500);
        }
        assertThat(rows.values().stream().mapToLong(v -> v.get(0)).sum()).as("the four sales filed under " + category
                + ": " + rows).isEqualTo(4_000);
        Map<String, List<Long>> filed = rows;
        String youngBand = filed.keySet().stream().filter(k -> k.endsWith("|" + VICTIM))
                .map(k -> k.substring(0, k.indexOf('|')))
                .filter(band -> filed.keySet().stream().noneMatch(k -> k.startsWith(band + "|") && !k.endsWith("|" + VICTIM)))
                .findFirst().orElseThrow(() -> new AssertionError("an age band only the wine shop sold to: " + byBand));

        int year = java.time.Year.now(java.time.ZoneOffset.UTC).getValue();
        String whole = "{\"category\":\"" + category + "\",\"granularity\":\"year\",\"from\":" + year + ",\"to\":" + year;
        BehaviourTestSupport.Answer everyone = support.send("POST", system.queryUrl() + "/api/v1/insights/trend",
                keys.get(ATTACKER), "application/json", whole + "}");
        assertThat(everyone.status()).as("three sellers, none dominant: " + everyone.body()).isEqualTo(200);
        BehaviourTestSupport.Answer cell = support.send("POST", system.queryUrl() + "/api/v1/insights/trend",
                keys.get(ATTACKER), "application/json", whole + ",\"segment\":{\"ageBands\":[\"" + youngBand + "\"]}}");
        assertThat(cell.status()).as(cell.body()).isEqualTo(403);
        JsonNode problem = cell.json().path("error").path("problems").get(0);
        assertThat(problem.path("field").asText()).isEqualTo("segment");
        assertThat(problem.path("reason").asText()).contains("'" + category + "'").contains("in the segment asked")
                .contains("dominance rule").doesNotContain(VICTIM);
        BehaviourTestSupport.Answer own = support.send("POST", system.queryUrl() + "/api/v1/insights/trend",
                keys.get(VICTIM), "application/json", whole + ",\"segment\":{\"ageBands\":[\"" + youngBand + "\"]}}");
        assertThat(own.status()).as("the cell's only seller reads its own: " + own.body()).isEqualTo(200);

        // the same cell through an audience: bought the category this year, aged within the band (its lower bound
        // plus one: a resident of the lower bound may have been in the band below when buying)
        String[] bounds = youngBand.split("[-+]");
        String ages = "\"ageFrom\":" + (Integer.parseInt(bounds[0]) + 1) + (bounds.length > 1 ? ",\"ageTo\":" + bounds[1] : "");
        String bought = "\"boughtCategory\":{\"category\":\"" + category + "\",\"year\":" + year + "}";
        BehaviourTestSupport.Answer buyers = support.send("POST", system.queryUrl() + "/api/v1/audiences/size",
                keys.get(ATTACKER), "application/json", "{\"filter\":{" + bought + "}}");
        assertThat(buyers.status()).as("the category's buyers, three sellers: " + buyers.body()).isEqualTo(200);
        BehaviourTestSupport.Answer buyersCell = support.send("POST", system.queryUrl() + "/api/v1/audiences/size",
                keys.get(ATTACKER), "application/json", "{\"filter\":{" + bought + "," + ages + "}}");
        assertThat(buyersCell.status()).as(buyersCell.body()).isEqualTo(403);
        JsonNode audienceProblem = buyersCell.json().path("error").path("problems").get(0);
        assertThat(audienceProblem.path("field").asText()).isEqualTo("filter.ageFrom");
        assertThat(audienceProblem.path("reason").asText()).contains("'" + category + "'").contains("in the segment asked")
                .contains("dominance rule").doesNotContain(VICTIM);
        BehaviourTestSupport.Answer ownBuyers = support.send("POST", system.queryUrl() + "/api/v1/audiences/size",
                keys.get(VICTIM), "application/json", "{\"filter\":{" + bought + "," + ages + "}}");
        assertThat(ownBuyers.status()).as("the cell's only seller: " + ownBuyers.body()).isEqualTo(200);

        String month = java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString().replace("-", "");
        BehaviourTestSupport.Answer flows = support.send("POST", system.queryUrl() + "/api/v1/journey/flows",
                keys.get(ATTACKER), "application/json", "{\"period\":{\"month\":" + month + "},\"level\":\"category\","
                        + "\"nodes\":[\"" + category + "\",\"lebensmittel.getraenke\"]}");
        assertThat(flows.status()).as("category flows are the operator's: " + flows.body()).isEqualTo(403);
    }

    /**
     * Finding 4: a port scan of the running local system finds only loopback listeners — no exceptions: Pinot 0.11's
     * server query port (which pinot-core binds to the wildcard address) is bound by the runner's own QueryServer.
     */
    @Test
    @Order(6)
    void aPortScanOfTheRunningLocalSystemFindsOnlyLoopbackListeners() {
        List<ListeningSockets.Listener> listeners = ListeningSockets.ofThisProcessTree();
        assertThat(listeners).as("listeners of the local system").hasSizeGreaterThan(8);
        assertThat(listeners).filteredOn(l -> !l.loopback())
                .extracting(ListeningSockets.Listener::readable).isEmpty();
        for (int port : List.of(system.pinot().ports().zookeeper(), system.pinot().ports().serverNetty(),
                system.pinot().ports().serverAdmin(), system.pinot().ports().broker(), system.pinot().ports().controller())) {
            assertThat(listeners).as("the listener on port " + port).filteredOn(l -> l.port() == port)
                    .isNotEmpty().allMatch(ListeningSockets.Listener::loopback);
        }
        assertThat(listeners).as("Pinot's gRPC query server is off").noneMatch(l -> l.port() == system.pinot().ports().serverGrpc());
    }

    /**
     * Finding 5: every refused question of the attacker (and of an unknown key) is in the operator's audit of refusals —
     * the query service's own and ingestion's (403 of the forged follow, retraction and voucher sale, 401 of a guessed
     * key), each with asker, route, reason and fingerprint, never the key.
     */
    @Test
    @Order(7)
    void everyRefusalOfIngestionAndTheQueryServiceIsInTheAuditOfRefusals() throws Exception {
        String month = java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString().replace("-", "");
        BehaviourTestSupport.Answer competitor = support.send("POST", system.queryUrl() + "/api/v1/journey/engagement",
                keys.get(ATTACKER), "application/json", "{\"period\":{\"month\":" + month + "},\"participant\":\"" + VICTIM + "\"}");
        assertThat(competitor.status()).as(competitor.body()).isEqualTo(403);
        BehaviourTestSupport.Answer audit = support.send("GET", system.queryUrl() + "/api/v1/audit/refusals",
                keys.get(ATTACKER), null, null);
        assertThat(audit.status()).as(audit.body()).isEqualTo(403);
        BehaviourTestSupport.Answer unknown = support.send("POST", system.queryUrl() + "/api/v1/audiences/size",
                "not-a-key-of-anyone", "application/json", "{\"filter\":{}}");
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(401);
        BehaviourTestSupport.Answer guessed = support.send("POST", system.ingestion().baseUrl() + "/api/v1/events",
                "a-guessed-ingestion-key", "application/json", "[]");
        assertThat(guessed.status()).as(guessed.body()).isEqualTo(401);

        // ingestion's refusals (the forged follows of test 2, the forged retraction and voucher sale of tests 3 and 4)
        // travel through the topic ingestion-refusals into the same audit: wait until the view lists them
        BehaviourTestSupport.Answer view = null;
        List<JsonNode> refusals = new ArrayList<>();
        Instant deadline = Instant.now().plus(WITHIN);
        while (Instant.now().isBefore(deadline)) {
            view = support.send("GET", system.queryUrl() + "/api/v1/audit/refusals?limit=1000", keys.get(OPERATOR), null, null);
            assertThat(view.status()).as(view.body()).isEqualTo(200);
            refusals.clear();
            view.json().path("refusals").forEach(refusals::add);
            // the 403s of tests 2-4 and the guessed key's 401 just sent (each arrives through Kafka a moment later)
            if (refusals.stream().filter(r -> r.path("route").asText().startsWith("ingestion ")
                    && r.path("status").asInt() == 403).count() >= 5
                    && refusals.stream().anyMatch(r -> r.path("route").asText().startsWith("ingestion ")
                    && r.path("status").asInt() == 401)) break;
            Thread.sleep(500);
        }
        assertThat(refusals).as(view.body())
                .anySatisfy(r -> {
                    assertThat(r.path("asker").asText()).isEqualTo(ATTACKER);
                    assertThat(r.path("route").asText()).isEqualTo("ingestion POST /api/v1/events");
                    assertThat(r.path("status").asInt()).isEqualTo(403);
                    assertThat(r.path("reason").asText()).contains("data.followed").contains(VICTIM);
                    assertThat(r.path("fingerprint").asText()).isNotBlank();
                })
                .anySatisfy(r -> {
                    assertThat(r.path("asker").asText()).isEqualTo(ATTACKER);
                    assertThat(r.path("route").asText()).isEqualTo("ingestion POST /api/v1/events");
                    assertThat(r.path("status").asInt()).isEqualTo(403);
                    // the forged retraction and voucher sale named the wine shop in the envelope: refused by 'participant'
                    assertThat(r.path("reason").asText()).contains("participant: the API key belongs to participant '"
                            + ATTACKER + "'");
                })
                .anySatisfy(r -> {
                    assertThat(r.path("asker").asText()).startsWith("key:");
                    assertThat(r.path("route").asText()).isEqualTo("ingestion POST /api/v1/events");
                    assertThat(r.path("status").asInt()).isEqualTo(401);
                })
                .anySatisfy(r -> {
                    assertThat(r.path("asker").asText()).isEqualTo(ATTACKER);
                    assertThat(r.path("route").asText()).contains("/api/v1/journey/engagement");
                    assertThat(r.path("status").asInt()).isEqualTo(403);
                    assertThat(r.path("reason").asText()).contains(VICTIM);
                    assertThat(r.path("fingerprint").asText()).isNotBlank();
                })
                .anySatisfy(r -> {
                    assertThat(r.path("asker").asText()).isEqualTo(ATTACKER);
                    assertThat(r.path("route").asText()).contains("/api/v1/audit/refusals");
                    assertThat(r.path("status").asInt()).isEqualTo(403);
                })
                .anySatisfy(r -> {
                    assertThat(r.path("asker").asText()).startsWith("key:");
                    assertThat(r.path("status").asInt()).isEqualTo(401);
                });
        assertThat(view.body()).doesNotContain(keys.get(ATTACKER)).doesNotContain("not-a-key-of-anyone")
                .doesNotContain("a-guessed-ingestion-key");
    }

    // ---- events ---------------------------------------------------------------------------------------------

    private ObjectNode registration(String ref, boolean analytics) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("birthDate", "1980-06-15");
        data.put("gender", "FEMALE");
        data.put("postcode", "45468");
        data.put("householdType", "SINGLE");
        data.put("interests", List.of());
        data.put("consents", Map.of("analytics", analytics, "offers", true, "newsletter", false));
        return event("resident.registered", ref, data);
    }

    private ObjectNode follow(String ref, String followed) {
        return event("participant.followed", ref, Map.of("followed", followed));
    }

    private ObjectNode event(String type, String ref, Map<String, Object> data) {
        return BehaviourTestSupport.event(id(), type, next().toString(), ref, null, data);
    }

    private String id() {
        return "attack-" + (++ids);
    }

    private Instant next() {
        clock = clock.plus(Duration.ofMinutes(1));
        return clock;
    }

    private BehaviourTestSupport.Answer post(String sender, ObjectNode event) throws Exception {
        return support.send("POST", system.ingestion().baseUrl() + "/api/v1/events", keys.get(sender), "application/json",
                BehaviourTestSupport.JSON.createArrayNode().add(event).toString());
    }

    // ---- reading what happened --------------------------------------------------------------------------------

    /** The attacker's probe purchases of test 1 are sales too (unmapped): they stay in every later sales figure. */
    private Map<String, List<Long>> withAttackersProbes(Map<String, List<Long>> figures) {
        Map<String, List<Long>> all = new TreeMap<>(figures);
        all.put(ATTACKER, List.of((long) CONSENTING.size(), (long) CONSENTING.size() * PROBE_LINES * 100));
        return all;
    }

    private void awaitRows(String what, String sql, Map<String, List<Long>> expected) throws Exception {
        BehaviourTestSupport.awaitNoDifference(what, WITHIN,
                () -> BehaviourTestSupport.difference(Map.of(what, expected), Map.of(what, support.pinotRows(sql, 1))));
    }

    private Map<String, List<Long>> rows3(String sql) {
        return support.pinotRows(sql, 3);
    }

    private void awaitRows3(String what, String sql, Map<String, List<Long>> expected) throws Exception {
        BehaviourTestSupport.awaitNoDifference(what, WITHIN,
                () -> BehaviourTestSupport.difference(Map.of(what, expected), Map.of(what, rows3(sql))));
    }

    /** Waits for the dead letter of this event on the dead-letter topic (committed records only). */
    private DeadLetter awaitDeadLetter(String eventId) throws Exception {
        String topic = Topics.DEAD_LETTERS.name(system.settings());
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafka().bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Instant deadline = Instant.now().plus(WITHIN);
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    DeadLetter d = Topics.DEAD_LETTERS.codec().decode(r.value());
                    if (eventId.equals(d.getEventId())) return d;
                    seen.add(d.getEventId() + ": " + d.getReason());
                }
            }
        }
        throw new AssertionError("no dead letter for " + eventId + " within " + WITHIN + "; seen " + seen);
    }

    private DisclosureControl disclosure() {
        return new DisclosureControl(policy, BudgetLedger.inMemory(), AuditLog.inMemory(), prfKey, Clock.systemUTC());
    }
}
