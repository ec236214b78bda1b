package de.prokommun.insights.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.privacy.PrivacyPolicy;
import de.prokommun.insights.privacy.ReleasedCell;
import de.prokommun.insights.query.QueryConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * What the purchase-behaviour end-to-end tests share: events and mappings over real HTTP, questions to the query
 * service, exact sums read from Pinot (the developer's view, before the privacy layer), the pseudonym as the
 * anonymiser computes it, and whether the Flink jobs have consumed everything sent so far.
 */
final class BehaviourTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One event in the ingestion's JSON form; resident and card are left out when null. */
    static ObjectNode event(String id, String type, String eventTime, String resident, String card,
                            Map<String, Object> data) {
        ObjectNode e = JSON.createObjectNode();
        e.put("eventId", id);
        e.put("type", type);
        e.put("eventTime", eventTime);
        if (resident != null) e.put("resident", resident);
        if (card != null) e.put("card", card);
        e.set("data", JSON.valueToTree(data));
        return e;
    }

    private final LocalSystem system;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    BehaviourTestSupport(LocalSystem system) {
        this.system = system;
    }

    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    // ---- ingestion -------------------------------------------------------------------------------------------

    /** Posts the events in batches with the sender's key; every batch must be accepted (202). */
    void postEvents(String apiKey, List<ObjectNode> events) throws Exception {
        for (int from = 0; from < events.size(); from += 200) {
            ArrayNode batch = JSON.createArrayNode();
            events.subList(from, Math.min(events.size(), from + 200)).forEach(batch::add);
            Answer a = send("POST", system.ingestion().baseUrl() + "/api/v1/events", apiKey, "application/json", batch.toString());
            assertThat(a.status()).as(a.body()).isEqualTo(202);
        }
    }

    /** Replaces the shop's mappings of the named product groups (PUT, JSON); 200 only once Kafka has them. */
    void putMapping(String apiKey, Map<String, String> categoryByGroup) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode rows = body.putArray("mappings");
        categoryByGroup.forEach((group, category) -> rows.addObject().put("productGroup", group).put("category", category));
        Answer a = send("PUT", system.ingestion().baseUrl() + "/api/v1/product-groups/mapping", apiKey, "application/json",
                body.toString());
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.json().path("applied").asInt()).as(a.body()).isEqualTo(categoryByGroup.size());
    }

    /** Uploads a mapping CSV (the format the importer and the shops use). */
    void postMappingCsv(String apiKey, byte[] csv) throws Exception {
        Answer a = send("POST", system.ingestion().baseUrl() + "/api/v1/product-groups/mapping.csv", apiKey,
                "text/csv; charset=utf-8", new String(csv, StandardCharsets.UTF_8));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
    }

    // ---- query service ---------------------------------------------------------------------------------------

    JsonNode ask(String baseUrl, String apiKey, String path, String body) throws Exception {
        Answer a = send("POST", baseUrl + path, apiKey, "application/json", body);
        assertThat(a.status()).as(path + " " + body + " → " + a.body()).isEqualTo(200);
        // no answer to a participant or operator may carry a pseudonym (43-character base64url HMAC)
        assertThat(a.body()).doesNotContainPattern("[A-Za-z0-9_-]{43}");
        return a.json();
    }

    Answer send(String method, String url, String apiKey, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) b.header("Authorization", "Bearer " + apiKey);
        if (contentType != null) b.header("Content-Type", contentType);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    // ---- Pinot (exact, no privacy layer: the developer's view in a test) --------------------------------------

    /** Rows keyed by their first {@code dims} columns joined with '|', values as longs; all-zero rows dropped. */
    Map<String, List<Long>> pinotRows(String sql, int dims) {
        Map<String, List<Long>> out = new TreeMap<>();
        JsonNode answer = system.pinot().query(sql);
        JsonNode exceptions = answer.path("exceptions");
        if (exceptions.isArray() && !exceptions.isEmpty()) throw new IllegalStateException(sql + " → " + exceptions);
        for (JsonNode row : answer.path("resultTable").path("rows")) {
            List<String> key = new ArrayList<>();
            for (int i = 0; i < dims; i++) key.add(row.get(i).asText());
            List<Long> values = new ArrayList<>();
            for (int i = dims; i < row.size(); i++) values.add(Math.round(row.get(i).asDouble()));
            if (values.stream().anyMatch(v -> v != 0)) out.merge(String.join("|", key), values, BehaviourTestSupport::plus);
        }
        return out;
    }

    /** Waits until the count {@code sql} asks Pinot equals {@code expected}; fails after {@code within}. */
    void awaitCount(String what, String sql, long expected, Duration within) throws Exception {
        Instant deadline = Instant.now().plus(within);
        long seen = -1;
        while (Instant.now().isBefore(deadline)) {
            try {
                seen = system.pinot().queryCount(sql);
                if (seen == expected) return;
            } catch (IllegalStateException notYet) {
                // the consuming segment may not be queryable yet
            }
            Thread.sleep(300);
        }
        throw new AssertionError(what + ": Pinot shows " + seen + ", expected " + expected);
    }

    /**
     * Compares Pinot's exact figures with the oracle's every second until {@code difference} (see
     * {@link #difference}) is empty, and returns the seconds it took; an IllegalStateException (a table not yet
     * queryable) counts as a difference. Fails after {@code within} with the last difference.
     */
    static double awaitNoDifference(String when, Duration within, Callable<String> difference) throws Exception {
        Instant deadline = Instant.now().plus(within);
        long started = System.nanoTime();
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            try {
                last = difference.call();
            } catch (IllegalStateException notYet) {
                last = notYet.getMessage();
            }
            if (last.isEmpty()) return (System.nanoTime() - started) / 1e9;
            Thread.sleep(1000);
        }
        throw new AssertionError(when + ": Pinot's sums differ from the direct computation: " + last);
    }

    static List<Long> plus(List<Long> a, List<Long> b) {
        List<Long> sum = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) sum.add(a.get(i) + b.get(i));
        return sum;
    }

    /** The first figure whose rows differ, with up to five differing keys; "" when all are equal. */
    static String difference(Map<String, Map<String, List<Long>>> expected, Map<String, Map<String, List<Long>>> actual) {
        for (String figure : expected.keySet()) {
            Map<String, List<Long>> e = expected.get(figure);
            Map<String, List<Long>> a = actual.getOrDefault(figure, Map.of());
            if (e.equals(a)) continue;
            Set<String> keys = new java.util.TreeSet<>(e.keySet());
            keys.addAll(a.keySet());
            List<String> diffs = keys.stream().filter(k -> !java.util.Objects.equals(e.get(k), a.get(k)))
                    .limit(5).map(k -> k + " expected " + e.get(k) + " but Pinot " + a.get(k)).toList();
            return figure + ": " + diffs;
        }
        return "";
    }

    // ---- has the pipeline consumed everything? -----------------------------------------------------------------

    /**
     * How far each consumer group of the Flink jobs is behind (committed with a completed checkpoint) the end of
     * every partition it reads, keyed "group|topic-partition". Raw events and mappings are written without
     * transactions, so 0 there means everything was consumed; the anonymous events are written by Flink's
     * exactly-once sink and their partitions end with transaction markers the source never emits as records, so
     * there a small constant remainder is the end (callers wait for it to stop moving).
     */
    Map<String, Long> flinkLag() throws Exception {
        Settings settings = system.settings();
        String prefix = settings.get(FlinkJobsConfig.CONSUMER_GROUP_PREFIX);
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafka().bootstrapServers());
        Map<String, Long> lag = new TreeMap<>();
        try (Admin admin = Admin.create(p)) {
            List<String> groups = admin.listConsumerGroups().all().get().stream().map(g -> g.groupId())
                    .filter(g -> g.startsWith(prefix)).toList();
            for (String group : groups) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
                committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
                for (var e : committed.entrySet()) {
                    long end = ends.get(e.getKey()).offset();
                    lag.put(group + "|" + e.getKey(), e.getValue() == null ? end : end - e.getValue().offset());
                }
            }
        }
        return lag;
    }

    /** Whether every non-transactional input (raw events, mappings) has been consumed completely. */
    /**
     * The jobs have read every raw event and mapping: the topics ingestion writes without transactions, whose lag
     * is 0 when read to the end. The jobs' own topics are transactional: a reader stays a commit marker or two
     * behind their end for good (the campaign job reads four of them), so their lag says nothing here.
     */
    boolean rawInputConsumed(Map<String, Long> lag) {
        String raw = "|" + Topics.RAW_EVENTS.name(system.settings()) + "-";
        String mappings = "|" + Topics.PRODUCT_GROUP_MAPPINGS.name(system.settings()) + "-";
        if (lag.keySet().stream().noneMatch(k -> k.contains(raw))) return false;
        return lag.entrySet().stream().filter(e -> e.getKey().contains(raw) || e.getKey().contains(mappings))
                .allMatch(e -> e.getValue() == 0);
    }

    // ---- fixtures --------------------------------------------------------------------------------------------

    /**
     * Settings for a test that resolves everything it posts: the order across the anonymiser's resident and card
     * paths is not guaranteed, so a card purchase or an event of a person not yet registered waits long enough.
     */
    static final Map<String, String> RESOLVE_EVERY_PERSON = Map.of(
            FlinkJobsConfig.UNKNOWN_PERSON_WAIT.name(), "30m");

    /** A local system started for a test, with the participants' API keys, the test policy and the PRF key. */
    record StartedSystem(LocalSystem system, Map<String, String> keys, Path citiesDir, Path policyFile,
                         PrivacyPolicy policy, byte[] prfKey) {
        BehaviourTestSupport support() {
            return new BehaviourTestSupport(system);
        }
    }

    /**
     * Starts the local system on the repository's cities with everything a test needs in {@code dir}: the
     * participant directory for {id → role}, the test policy with the given day budget (see
     * {@link #writeTestPolicy}), a fresh PRF key, the audit log, the budget ledger and the city's secret.
     * {@code more} adds settings of a test, e.g. the anonymiser's waits.
     */
    /** In {@code more} of {@link #startSystem}: "true" keeps the city's dominance rule on the per-question path. */
    static final String KEEP_DOMINANCE = "test.keep-dominance";

    static StartedSystem startSystem(Path dir, String city, String citySecret, Map<String, String> roleById,
                                     long dayBudget, Map<String, String> more) throws Exception {
        Path citiesDir = repositoryRoot().resolve("cities");
        Path participants = dir.resolve("participants.json");
        Map<String, String> keys = writeParticipants(participants, city, roleById);
        // With publications (the local mode's own path) the city's dominance rule stays as configured; a test of the
        // rule itself keeps it with KEEP_DOMINANCE (not a setting of any service: removed below).
        boolean perQuestion = !"true".equals(more.get(QueryConfig.PUBLICATION_ENABLED.name()))
                && !"true".equals(more.get(KEEP_DOMINANCE));
        Path policyFile = writeTestPolicy(citiesDir, city, dir.resolve("privacy.json"), dayBudget, perQuestion);
        PrivacyPolicy policy = PrivacyPolicy.of(PrivacyPolicy.load(policyFile));
        byte[] prfKey = new byte[32];
        new SecureRandom().nextBytes(prfKey);
        Map<String, String> settings = new HashMap<>(more);
        settings.remove(KEEP_DOMINANCE);
        settings.put(CommonConfig.PARTICIPANTS_FILE.name(), participants.toString());
        settings.put(CommonConfig.CITIES_DIR.name(), citiesDir.toString());
        settings.put(QueryConfig.PRIVACY_POLICY_FILE.name(), policyFile.toString());
        settings.put(QueryConfig.PRF_KEY.name(), Base64.getUrlEncoder().withoutPadding().encodeToString(prfKey));
        settings.put(QueryConfig.DATA_VERSION_PERIOD.name(), "1s");
        settings.put(QueryConfig.AUDIT_LOG.name(), dir.resolve("audit.jsonl").toString());
        settings.put(QueryConfig.BUDGET_LEDGER.name(), dir.resolve("ledger.jsonl").toString());
        settings.put(FlinkJobsConfig.CITY_SECRETS.name(), city + ":" + citySecret);
        // These tests follow live figures through the per-question path; the published statistics (a snapshot per
        // period) are tested in the query service's PublicationIT.
        settings.putIfAbsent(QueryConfig.PUBLICATION_ENABLED.name(), "false");
        // The per-question path at the test policy's ε per question, which one account's part of the city-wide cap
        // could not pay: measured with the cap recording but not refusing (as DisclosureAttackIT does). A test with
        // publications runs with the local mode's own setting: the cap enforced.
        if ("false".equals(settings.get(QueryConfig.PUBLICATION_ENABLED.name()))) {
            settings.putIfAbsent(QueryConfig.CITY_BUDGET_ENFORCED.name(), "false");
        }
        LocalSystem system = ItSystems.start(dir.resolve("system"), Settings.of(settings));
        return new StartedSystem(system, keys, citiesDir, policyFile, policy, prfKey);
    }

    /** The roles the end-to-end tests use: the portal, one merchant ("baeckerei") and the operator. */
    static Map<String, String> portalMerchantOperator() {
        Map<String, String> roles = new LinkedHashMap<>();
        roles.put("portal", "PORTAL");
        roles.put("baeckerei", "PARTICIPANT");
        roles.put("stadtmarketing", "OPERATOR");
        return roles;
    }

    /** A participant directory (digests only) for {id → role}; returns {id → API key}. */
    static Map<String, String> writeParticipants(Path file, String city, Map<String, String> roleById) throws Exception {
        return writeParticipants(file, Map.of(city, roleById)).get(city);
    }

    /** One participant directory of several cities for {city → {id → role}}; returns {city → {id → API key}}. */
    static Map<String, Map<String, String>> writeParticipants(Path file, Map<String, Map<String, String>> rolesByCity)
            throws Exception {
        Map<String, Map<String, String>> keys = new LinkedHashMap<>();
        ArrayNode directory = JSON.createArrayNode();
        SecureRandom random = new SecureRandom();
        rolesByCity.forEach((city, roleById) -> roleById.forEach((id, role) -> {
            byte[] b = new byte[24];
            random.nextBytes(b);
            String key = "test-" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
            keys.computeIfAbsent(city, c -> new LinkedHashMap<>()).put(id, key);
            directory.addObject().put("id", id).put("city", city).put("role", role).put("name", id)
                    .put("apiKeySha256", ParticipantDirectory.digest(key));
        }));
        Files.writeString(file, directory.toString(), StandardCharsets.UTF_8);
        return keys;
    }

    /**
     * The city's own policy (clamps, display) with the discrete Laplace at ε 1 per question, minimum cell 1 and a large budget,
     * so that the small groups of a test are released and every figure can be compared.
     */
    static Path writeTestPolicy(Path citiesDir, String city, Path file) throws Exception {
        return writeTestPolicy(citiesDir, city, file, 5000);
    }

    /** As above with the given day budget (and ten times that per month), e.g. for live widgets. */
    static Path writeTestPolicy(Path citiesDir, String city, Path file, long dayBudget) throws Exception {
        return writeTestPolicy(citiesDir, city, file, dayBudget, true);
    }

    /**
     * As above; {@code withoutDominance} switches the city's dominance rule off (at least 1 seller, no share too
     * large): these tests compare per-question figures of test cities with two or three shops, where the rule
     * (issue 15, docs/PRIVACY.md section 24) would refuse most categories to every shop; the rule itself is tested
     * by the query service's SellerConfidentialityIT.
     */
    static Path writeTestPolicy(Path citiesDir, String city, Path file, long dayBudget, boolean withoutDominance)
            throws Exception {
        ObjectNode policy = (ObjectNode) JSON.readTree(citiesDir.resolve(city).resolve("privacy.json").toFile());
        if (withoutDominance) {
            policy.putObject("dominance").put("n", 1).put("kPercent", 100).put("minParticipants", 1)
                    .put("operatorExempt", true);
        }
        for (String role : Set.of("participant", "operator")) {
            ObjectNode rules = (ObjectNode) policy.get("roles").get(role);
            // The discrete Laplace at ε 1 (the city's ad-hoc rules use the Gaussian since issue 13; these tests compare
            // small figures and were calibrated for the Laplace's narrow noise).
            rules.put("mechanism", "discrete-laplace").put("delta", 0);
            rules.put("epsilonPerQuestion", 1);
            rules.put("minCellSize", 1);
            ((ObjectNode) rules.get("budget")).put("day", dayBudget).put("month", 10 * dayBudget);
        }
        Files.writeString(file, policy.toString(), StandardCharsets.UTF_8);
        return file;
    }

    /** The resident pseudonym exactly as the anonymiser computes it (HMAC-SHA256 under the city's secret). */
    static String pseudonym(String citySecret, String residentRef) {
        return de.prokommun.insights.contract.CitySecrets.parse("city:" + citySecret)
                .pseudonym("city", "resident", residentRef).orElseThrow();
    }

    static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("cities")) && Files.exists(p.resolve("pom.xml"))) return p;
        }
        throw new IllegalStateException("repository root not found");
    }

    /** Asserts a released cell of an answer equals the release expected for the directly computed truth. */
    static void assertCell(JsonNode actual, ReleasedCell expected, long truth, String where) {
        assertThat(actual).as(where + ": missing in the answer").isNotNull();
        assertThat(actual.isMissingNode()).as(where + ": missing in the answer").isFalse();
        JsonNode v = actual.get("value");
        Long value = v == null || v.isNull() ? null : v.asLong();
        String what = where + " (true figure from the posted events " + truth + ", expected release " + expected + ", got "
                + actual + ")";
        assertThat(actual.get("suppressed").asBoolean()).as(what).isEqualTo(expected.suppressed());
        assertThat(value).as(what).isEqualTo(expected.value());
        JsonNode display = actual.get("display");
        assertThat(display == null || display.isNull() ? null : display.asText()).as(what).isEqualTo(expected.display());
    }
}
