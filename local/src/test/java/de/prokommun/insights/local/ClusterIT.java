package de.prokommun.insights.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Measures;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.local.cluster.ClusterClasspath;
import de.prokommun.insights.local.cluster.ClusterLayout;
import de.prokommun.insights.local.cluster.ClusterSystem;
import de.prokommun.insights.local.cluster.NodeProcess;
import de.prokommun.insights.local.demo.PortalTokens;
import de.prokommun.insights.query.QueryConfig;
import de.prokommun.insights.resident.ResidentConfig;
import de.prokommun.insights.testkit.PinotClusterConfig;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./run-cluster}'s topology for real: 15 JVMs (3 Kafka nodes, Pinot's ZooKeeper, controller, broker and 2
 * servers, a Flink JobManager and 2 TaskManagers, 2 ingestion instances, query service, resident API), the jobs
 * submitted as a jar through the JobManager's REST API. Residents registered through both ingestion instances are
 * counted exactly once; then, in the reduced chaos of CI, a Kafka broker and a TaskManager are killed with SIGKILL
 * while residents keep registering, started again, and every resident that got a 202 is counted exactly once
 * (the registration measure is additive: a replayed event after a crash would count twice). Last, the JobManager is
 * killed: started again, it gets both jobs back from their latest retained checkpoints, and nothing is lost or doubled.
 * Then a Pinot server is killed and the counts stay complete from the other replica while it is down, and an
 * ingestion instance is killed while it takes a batch of 500, which the sender sends again through the other one.
 * Two cities run in the one deployment (issue 17, item 3): Jena's portal registers residents with Musterstadt's
 * references and event ids — other people, counted in Jena only; erasing Jena's R-0 leaves Musterstadt's R-0 alone;
 * a Jena participant cannot assert a follow of a Musterstadt shop; Jena's ad-hoc share runs out on its own and every
 * audit line of Jena's operator names Jena.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CITY = "musterstadt";
    private static final String JENA = "jena";
    private static final String JWT_KEY = "cluster-test-resident-token-key-0123456789abcdef";
    private static final Duration COUNTED_WITHIN = Duration.ofMinutes(5);

    @TempDir
    static Path dir;

    private ClusterSystem cluster;
    private final Map<String, String> keys = new HashMap<>();
    private final Map<String, String> jenaKeys = new HashMap<>();
    private final Set<String> acceptedInJena = new HashSet<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Set<String> accepted = new HashSet<>(); // the oracle: residents whose registration got a 202
    private int seq;

    @BeforeAll
    void startTheCluster() throws Exception {
        Path citiesDir = BehaviourTestSupport.repositoryRoot().resolve("cities");
        Map<String, Map<String, String>> byCity = BehaviourTestSupport.writeParticipants(dir.resolve("participants.json"),
                Map.of(CITY, BehaviourTestSupport.portalMerchantOperator(), JENA, Map.of("portal", "PORTAL",
                        "buchhandlung", "PARTICIPANT", "stadtverwaltung", "OPERATOR")));
        keys.putAll(byCity.get(CITY));
        jenaKeys.putAll(byCity.get(JENA));
        Map<String, String> settings = new HashMap<>();
        settings.put(CommonConfig.PARTICIPANTS_FILE.name(), dir.resolve("participants.json").toString());
        settings.put(CommonConfig.CITIES_DIR.name(), citiesDir.toString());
        // no policy file: the query service loads every city's own privacy.json (cap, ad-hoc share, rules)
        settings.put(QueryConfig.AUDIT_LOG.name(), dir.resolve("audit.jsonl").toString());
        settings.put(QueryConfig.BUDGET_LEDGER.name(), dir.resolve("ledger.jsonl").toString());
        settings.put(FlinkJobsConfig.CITY_SECRETS.name(), CITY + ":cluster-test-secret-of-musterstadt,"
                + JENA + ":cluster-test-secret-of-jena");
        settings.put(ResidentConfig.JWT_KEY.name(), JWT_KEY);
        settings.put(FlinkJobsConfig.CHECKPOINT_INTERVAL.name(), "5s");
        settings.put(LocalConfig.DATA_DIR.name(), dir.resolve("cluster").toString());
        settings.put(LocalConfig.NODE_JVM_OPTIONS.name(), PinotClusterConfig.CLIENT_COMPILER_ONLY); // 15 short-lived JVMs
        cluster = ClusterSystem.start(dir.resolve("cluster"), LocalSettings.forQueryService(Settings.of(settings),
                dir.resolve("cluster")), ClusterLayout.standard(dir.resolve("cluster")), ClusterClasspath.ofBuild());
    }

    @AfterAll
    void stopTheCluster() {
        if (cluster != null) cluster.close();
    }

    @Test
    @Order(1)
    void everyNodeIsItsOwnProcessOnLoopbackWithTheReplicationAsked() throws Exception {
        List<NodeProcess> nodes = cluster.nodes();
        assertThat(nodes).extracting(NodeProcess::role).containsExactly("kafka-1", "kafka-2", "kafka-3", "pinot-zookeeper",
                "pinot-controller", "pinot-broker", "pinot-server-1", "pinot-server-2", "flink-jobmanager",
                "flink-taskmanager-1", "flink-taskmanager-2", "ingestion-1", "ingestion-2", "query-service", "resident-api");
        assertThat(nodes.stream().map(NodeProcess::pid).distinct()).as("one JVM per node").hasSize(15);
        List<ListeningSockets.Listener> listeners = ListeningSockets.ofThisProcessTree();
        for (NodeProcess node : nodes) {
            assertThat(listeners).as(node.role() + " listens on its port").anyMatch(l -> l.port() == node.port());
        }
        assertThat(listeners).filteredOn(l -> !l.loopback()).extracting(ListeningSockets.Listener::readable)
                .as("nothing of the cluster is reachable from the network").isEmpty();

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()))) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(3);
            String events = Topics.RAW_EVENTS.name(cluster.settings());
            TopicDescription raw = admin.describeTopics(List.of(events)).allTopicNames().get(30, TimeUnit.SECONDS).get(events);
            assertThat(raw.partitions()).allMatch(p -> p.replicas().size() == 3);
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, events);
            assertThat(admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic)
                    .get("min.insync.replicas").value()).isEqualTo("2");
        }

        JsonNode table = get(URI.create("http://" + cluster.settings().get(CommonConfig.PINOT_CONTROLLER) + "/tables/profiles"));
        assertThat(table.path("REALTIME").path("segmentsConfig").path("replicasPerPartition").asText()).isEqualTo("2");

        JsonNode taskManagers = get(cluster.flinkRestUrl().resolve("/taskmanagers"));
        assertThat(taskManagers.path("taskmanagers")).hasSize(2);
        JsonNode jars = get(cluster.flinkRestUrl().resolve("/jars"));
        assertThat(jars.path("files").toString()).as("the jobs arrived as a jar").contains("flink-jobs");
        assertThat(cluster.jobStates()).containsEntry("anonymise", "RUNNING").containsEntry("profile", "RUNNING")
                .containsEntry("campaign", "RUNNING");
    }

    @Test
    @Order(2)
    void residentsRegisteredThroughBothIngestionInstancesAreCountedOnce() throws Exception {
        List<String> ingestions = cluster.ingestionUrls();
        for (int i = 0; i < 30; i++) {
            ObjectNode registration = registration("R-" + i);
            register(ingestions.get(i % 2), registration);
            register(ingestions.get((i + 1) % 2), registration); // a retry through the other instance: the same event
        }
        awaitRegistrationsCounted();
    }

    @Test
    @Order(3)
    void killingABrokerAndATaskManagerUnderLoadLosesAndDoublesNothing() throws Exception {
        List<String> ingestions = cluster.ingestionUrls();
        NodeProcess broker = cluster.node("kafka-2");
        broker.kill();
        for (int i = 30; i < 60; i++) register(ingestions.get(i % 2), registration("R-" + i));
        broker.start(); // as a supervisor would
        NodeProcess taskManager = cluster.node("flink-taskmanager-1");
        taskManager.kill();
        for (int i = 60; i < 90; i++) register(ingestions.get(i % 2), registration("R-" + i));
        assertThat(cluster.restartEnded()).contains("flink-taskmanager-1");
        awaitRegistrationsCounted();
    }

    @Test
    @Order(4)
    void aJobManagerStartedAgainAfterACrashResumesBothJobsFromTheirCheckpoints() throws Exception {
        List<String> ingestions = cluster.ingestionUrls();
        Instant killed = Instant.now();
        cluster.node("flink-jobmanager").kill();
        for (int i = 90; i < 120; i++) register(ingestions.get(i % 2), registration("R-" + i));
        // no HA store: the JobManager comes back empty, the launcher submits both jobs from their retained checkpoints
        assertThat(cluster.restartEnded()).contains("flink-jobmanager");
        assertThat(cluster.jobStates()).containsKeys("anonymise", "profile", "campaign");
        awaitRegistrationsCounted();
        System.out.println("[cluster] JobManager killed to every registration counted: " + Duration.between(killed, Instant.now()));
    }

    @Test
    @Order(5)
    void aPinotServerDownAndAnIngestionInstanceKilledMidBatchLoseNothingAndQueriesAreAnsweredMeanwhile() throws Exception {
        List<String> ingestions = cluster.ingestionUrls();
        Instant killed = Instant.now();
        cluster.node("pinot-server-1").kill();
        // A resident's own data is read from both servers' segments: from the first read after the kill on, the
        // broker routes around the dead server (failure detector) and the resident API's one retry gets it complete.
        for (int read = 0; read < 5; read++) {
            assertThat(resident("GET", CITY, "R-0").statusCode()).as("resident read %d with a Pinot server down", read)
                    .isEqualTo(200);
            Thread.sleep(500);
        }
        for (int i = 120; i < 150; i++) register(ingestions.get(i % 2), registration("R-" + i));
        // Every segment lives on both servers: the broker answers, complete and including the new rows, from the other
        // one while this one stays down (no supervisor here).
        awaitRegistrationsCounted(false);
        assertThat(cluster.node("pinot-server-1").isAlive()).isFalse();
        System.out.println("[cluster] Pinot server killed to every registration counted without it: "
                + Duration.between(killed, Instant.now()));

        ArrayNode batch = JSON.createArrayNode();
        for (int i = 150; i < 650; i++) batch.add(registration("R-" + i));
        CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(eventsRequest(ingestions.get(0), keys.get("portal"), batch),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(30);
        cluster.node("ingestion-1").kill();
        String outcome;
        try {
            HttpResponse<String> answer = inFlight.get(60, TimeUnit.SECONDS);
            outcome = "answered " + answer.statusCode() + " before the kill";
        } catch (ExecutionException lost) {
            outcome = "connection lost mid-batch (" + lost.getCause() + ")";
        }
        System.out.println("[cluster] batch of 500 to the killed ingestion: " + outcome);
        // The sender cannot know what was made durable: it sends the same batch again through the other instance.
        register(ingestions.get(1), batch);
        assertThat(cluster.restartEnded()).contains("pinot-server-1", "ingestion-1");
        awaitRegistrationsCounted();
    }

    @Test
    @Order(6)
    void theSameReferenceAndEventIdInASecondCityAreAnotherResidentCountedInItsOwnCity() throws Exception {
        String ingestion = cluster.ingestionUrls().get(1); // it remembers Musterstadt's portal's event ids of test 2
        for (int i = 0; i < 5; i++) {
            ObjectNode registration = registration("R-" + i, "07743"); // Musterstadt's R-0..4, same event ids
            HttpResponse<String> r = http.send(eventsRequest(ingestion, jenaKeys.get("portal"),
                    JSON.createArrayNode().add(registration)), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("Jena's portal is not Musterstadt's: " + r.body()).isEqualTo(202);
            acceptedInJena.add(registration.get("resident").asText());
        }
        awaitCounted(JENA, acceptedInJena::size);
        assertThat(registrationsInPinot(CITY)).as("Musterstadt's figures unchanged").isEqualTo(accepted.size());
    }

    @Test
    @Order(7)
    void aResidentErasedInOneCityLeavesTheResidentOfTheSameReferenceInTheOtherAlone() throws Exception {
        HttpResponse<String> erased = resident("DELETE", JENA, "R-0");
        assertThat(erased.statusCode()).as(erased.body()).isEqualTo(202);
        acceptedInJena.remove("R-0");
        awaitCounted(JENA, acceptedInJena::size);
        assertThat(registrationsInPinot(CITY)).as("Musterstadt's figures unchanged").isEqualTo(accepted.size());
        HttpResponse<String> musterstadts = resident("GET", CITY, "R-0");
        assertThat(musterstadts.statusCode()).as(musterstadts.body()).isEqualTo(200);
        assertThat(JSON.readTree(musterstadts.body()).path("profile").path("district").asText())
                .as("Musterstadt's R-0 keeps their profile (postcode 45468)").isEqualTo("Altstadt");
    }

    @Test
    @Order(8)
    void eachCityHasItsOwnParticipantsAdHocShareAndAudit() throws Exception {
        // A Jena participant asserts facts about its own shop only: a follow of a Musterstadt shop is refused.
        ObjectNode follow = BehaviourTestSupport.event("follow-1", "participant.followed", Instant.now().toString(),
                "R-1", null, Map.of("followed", "baeckerei"));
        HttpResponse<String> forged = http.send(eventsRequest(cluster.ingestionUrls().get(0),
                jenaKeys.get("buchhandlung"), JSON.createArrayNode().add(follow)), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).as(forged.body()).isEqualTo(403);
        // Jena's operator spends its paced ad-hoc allowance until refused; Musterstadt's operator is still answered.
        int answered = 0;
        HttpResponse<String> last = null;
        for (int age = 31; age < 61 && (last == null || last.statusCode() == 200); age++) {
            last = audience(jenaKeys.get("stadtverwaltung"), age);
            if (last.statusCode() == 200) answered++;
        }
        assertThat(last.statusCode()).as("Jena's operator is refused at last: " + last.body()).isEqualTo(429);
        assertThat(answered).as("and was answered before").isPositive();
        HttpResponse<String> musterstadt = audience(keys.get("stadtmarketing"), 31);
        assertThat(musterstadt.statusCode()).as("Musterstadt's cap is its own: " + musterstadt.body()).isEqualTo(200);
        assertThat(JSON.readTree(musterstadt.body()).path("source").path("kind").asText()).isEqualTo("ad-hoc");
        List<String> audit = java.nio.file.Files.readAllLines(dir.resolve("audit.jsonl"));
        assertThat(audit).filteredOn(line -> line.contains("stadtverwaltung")).hasSizeGreaterThanOrEqualTo(answered)
                .allSatisfy(line -> assertThat(JSON.readTree(line).path("city").asText()).isEqualTo(JENA));
    }

    /** An ad-hoc audience (consent to offers is not in the publication), distinct per age. */
    private HttpResponse<String> audience(String key, int ageFrom) throws Exception {
        String body = JSON.createObjectNode().set("filter", JSON.createObjectNode().put("ageFrom", ageFrom)
                .put("ageTo", 90).put("consentOffers", true)).toString();
        return http.send(HttpRequest.newBuilder(URI.create(cluster.queryUrl() + "/api/v1/audiences/size"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The resident API as the city's portal calls it for one of its residents. */
    private HttpResponse<String> resident(String method, String city, String ref) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            String token = new PortalTokens(vertx, JWT_KEY, city, ResidentConfig.JWT_ISSUER.defaultValue(),
                    Duration.ofMinutes(10), java.time.Clock.systemUTC()).tokenFor(ref);
            return http.send(HttpRequest.newBuilder(URI.create(cluster.residentUrl() + "/api/v1/me"))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        } finally {
            vertx.close().await();
        }
    }

    /** Waits until Pinot holds exactly one registration per accepted resident (never more: more fails at once). */
    private void awaitRegistrationsCounted() throws Exception {
        awaitRegistrationsCounted(true);
    }

    /** @param supervise start nodes that ended again meanwhile, as a supervisor would */
    private void awaitRegistrationsCounted(boolean supervise) throws Exception {
        awaitCounted(CITY, accepted::size, supervise);
    }

    private void awaitCounted(String city, java.util.function.IntSupplier expected) throws Exception {
        awaitCounted(city, expected, true);
    }

    private void awaitCounted(String city, java.util.function.IntSupplier expected, boolean supervise) throws Exception {
        Instant deadline = Instant.now().plus(COUNTED_WITHIN);
        long counted = -1;
        while (Instant.now().isBefore(deadline)) {
            if (supervise) cluster.restartEnded(); // the test is the supervisor: a node that ended is started again
            counted = registrationsInPinot(city);
            if (counted == expected.getAsInt()) return;
            if (city.equals(CITY)) {
                assertThat(counted).as("registrations counted (every accepted one exactly once)")
                        .isLessThanOrEqualTo(expected.getAsInt());
            }
            Thread.sleep(2000);
        }
        throw new AssertionError(city + ": " + expected.getAsInt() + " residents expected, " + counted
                + " registrations counted after " + COUNTED_WITHIN + "; jobs " + cluster.jobStates());
    }

    private long registrationsInPinot(String city) throws Exception {
        String sql = "SELECT SUM(\"count\") FROM contributions WHERE measure = '" + Measures.REGISTRATION.name()
                + "' AND city = '" + city + "'";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://"
                        + cluster.settings().get(CommonConfig.PINOT_BROKER) + "/query/sql"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("sql", sql).toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode rows = JSON.readTree(r.body()).path("resultTable").path("rows");
        return rows.isEmpty() ? 0 : (long) rows.get(0).get(0).asDouble();
    }

    private ObjectNode registration(String ref) {
        return registration(ref, "45468");
    }

    private ObjectNode registration(String ref, String postcode) {
        Map<String, Object> data = new HashMap<>();
        data.put("birthDate", (1950 + seq % 50) + "-06-15");
        data.put("gender", seq % 2 == 0 ? "FEMALE" : "MALE");
        data.put("postcode", postcode);
        data.put("householdType", "SINGLE");
        data.put("interests", List.of());
        data.put("consents", Map.of("analytics", true, "offers", false, "newsletter", false));
        return BehaviourTestSupport.event("reg-" + ref, "resident.registered", Instant.now().minusSeconds(60 - (++seq % 30)).toString(),
                ref, null, data);
    }

    /**
     * Posts until answered: a 503 (the ingestion could not make the event durable, e.g. during a broker's failover)
     * is retried as a sender would; only a 202 puts the resident into the oracle.
     */
    private void register(String ingestion, ObjectNode event) throws Exception {
        register(ingestion, JSON.createArrayNode().add(event));
    }

    private void register(String ingestion, ArrayNode events) throws Exception {
        Instant deadline = Instant.now().plusSeconds(120);
        HttpResponse<String> r;
        do {
            r = http.send(eventsRequest(ingestion, keys.get("portal"), events), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 202) {
                events.forEach(event -> accepted.add(event.get("resident").asText()));
                return;
            }
            assertThat(r.statusCode()).as("only a temporary refusal may be retried: " + r.body()).isEqualTo(503);
            Thread.sleep(1000);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("the ingestion kept refusing " + events.size() + " events: " + r.body());
    }

    private HttpRequest eventsRequest(String ingestion, String key, ArrayNode events) {
        return HttpRequest.newBuilder(URI.create(ingestion + "/api/v1/events"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(events.toString())).build();
    }

    private JsonNode get(URI uri) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(uri + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
