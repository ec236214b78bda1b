package de.prokommun.insights.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.IngestionRefusal;
import de.prokommun.insights.events.InteractionEvent;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.testkit.EmbeddedKafka;
import de.prokommun.insights.testkit.FreePorts;
import de.prokommun.insights.testkit.RawHttp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The endpoint over real HTTP against a real (embedded) Kafka broker. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestionIT {

    private static final String PORTAL_KEY = "portal-" + UUID.randomUUID();
    private static final String SHOP_KEY = "shop-" + UUID.randomUUID();
    private static final String OPERATOR_KEY = "operator-" + UUID.randomUUID();
    private static final int MAX_BATCH = 5;
    private static final long MAX_BODY = 16 * 1024;

    @TempDir
    static Path dir;

    private EmbeddedKafka kafka;
    private Vertx vertx;
    private IngestionServer server;
    private Settings settings;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    void start() throws Exception {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        vertx = Vertx.vertx();
        settings = settingsFor(kafka, dir);
        kafka.createTopics(settings, 2);
        server = IngestionServer.deploy(vertx, settings).await(60, TimeUnit.SECONDS);
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) server.undeploy().await(30, TimeUnit.SECONDS);
        if (vertx != null) vertx.close().await(30, TimeUnit.SECONDS);
        if (kafka != null) kafka.close();
    }

    static Settings settingsFor(EmbeddedKafka kafka, Path dir) throws IOException {
        Path participants = dir.resolve("participants-" + UUID.randomUUID() + ".json");
        JsonArray entries = new JsonArray()
                .add(participant("portal", "PORTAL", PORTAL_KEY))
                .add(participant("baeckerei-schmidt", "PARTICIPANT", SHOP_KEY))
                .add(participant("stadtmarketing", "OPERATOR", OPERATOR_KEY));
        Files.writeString(participants, entries.encodePrettily());
        Map<String, String> values = new HashMap<>();
        values.put(CommonConfig.KAFKA_BOOTSTRAP.name(), kafka.bootstrapServers());
        values.put(CommonConfig.TOPIC_PREFIX.name(), "ingestion-it.");
        values.put(IngestionConfig.PARTICIPANTS_FILE.name(), participants.toString());
        values.put(IngestionConfig.MAX_BATCH_EVENTS.name(), String.valueOf(MAX_BATCH));
        values.put(IngestionConfig.MAX_BODY_BYTES.name(), String.valueOf(MAX_BODY));
        values.put(IngestionConfig.RETRY_AFTER.name(), "7s");
        return Settings.of(values);
    }

    private static JsonObject participant(String id, String role, String key) {
        return new JsonObject().put("id", id).put("city", "musterstadt").put("role", role).put("name", id)
                .put("apiKeySha256", ParticipantDirectory.digest(key));
    }

    // ---- accepted ---------------------------------------------------------------------------------

    @Test
    void singleEventIsAcknowledgedAndLandsInTheRawTopicAsAvroKeyedByResident() throws Exception {
        String id = uniqueId();
        HttpResponse<String> response = post(SHOP_KEY, purchase(id).encode());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(json(response)).isEqualTo(new JsonObject().put("accepted", 1).put("eventIds", new JsonArray().add(id)));
        ConsumerRecord<String, InteractionEvent> record = readRawTopic().get(id);
        assertThat(record).as("record of %s in the raw topic", id).isNotNull();
        assertThat(record.key()).isEqualTo("musterstadt/R-000123");
        InteractionEvent event = record.value();
        assertThat(event.getParticipant()).isEqualTo("baeckerei-schmidt");
        assertThat(event.getCity()).isEqualTo("musterstadt");
        assertThat(event.getReceivedTime()).isGreaterThan(0);
        assertThat(((Purchase) event.getPayload()).getLines().get(0).getAmountCents()).isEqualTo(540L);
        assertThat(server.metrics().acceptedEvents()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void batchIsAcknowledgedAsAWholeWithKeysResidentThenCardThenEventId() throws Exception {
        String byResident = uniqueId();
        String byCard = uniqueId();
        String anonymous = uniqueId();
        JsonObject cardOnly = purchase(byCard);
        cardOnly.remove("resident");
        cardOnly.put("card", "C-99887766");
        JsonObject voucherSale = new JsonObject().put("eventId", anonymous).put("type", "gift_voucher.sold")
                .put("eventTime", "2026-01-02T10:00:00Z")
                .put("data", new JsonObject().put("voucher", "GV-7").put("amountCents", 2500));

        HttpResponse<String> response = post("X-Api-Key", SHOP_KEY, "application/json",
                new JsonArray().add(purchase(byResident)).add(cardOnly).add(voucherSale).encode());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(json(response).getInteger("accepted")).isEqualTo(3);
        assertThat(json(response).getJsonArray("eventIds").getList()).containsExactly(byResident, byCard, anonymous);
        Map<String, ConsumerRecord<String, InteractionEvent>> topic = readRawTopic();
        assertThat(topic.get(byResident).key()).isEqualTo("musterstadt/R-000123");
        assertThat(topic.get(byCard).key()).isEqualTo("musterstadt/C-99887766");
        assertThat(topic.get(anonymous).key()).isEqualTo("musterstadt/" + anonymous);
        assertThat(topic.get(anonymous).value().getResident()).isNull();
    }

    @Test
    void portalMaySendPortalTypes() throws Exception {
        String id = uniqueId();
        JsonObject consent = new JsonObject().put("eventId", id).put("type", "consent.changed")
                .put("eventTime", "2026-01-02T10:00:00Z").put("resident", "R-7")
                .put("data", new JsonObject().put("offers", false));
        HttpResponse<String> response = post(PORTAL_KEY, consent.encode());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(readRawTopic().get(id).value().getParticipant()).isEqualTo("portal");
    }

    // ---- 400 --------------------------------------------------------------------------------------

    @Test
    void invalidEventRejectsTheWholeBatchNamingIndexFieldAndReason() throws Exception {
        String goodId = uniqueId();
        String badId = uniqueId();
        JsonObject bad = purchase(badId);
        bad.getJsonObject("data").getJsonArray("lines")
                .add(new JsonObject().put("productGroup", "Brot").put("quantity", 1).put("amountCents", 10))
                .add(new JsonObject().put("productGroup", "Torte").put("quantity", 1).put("amountCents", -3));

        HttpResponse<String> response = post(SHOP_KEY, new JsonArray().add(purchase(goodId)).add(bad).encode());

        assertThat(response.statusCode()).isEqualTo(400);
        JsonObject body = error(response);
        assertThat(body.getString("code")).isEqualTo("invalid_events");
        assertThat(body.getString("message")).isEqualTo(
                "1 of 2 events are invalid; the request was rejected as a whole and no event was accepted");
        assertThat(body.getInteger("accepted")).isEqualTo(0);
        assertThat(body.getJsonArray("problems")).containsExactly(new JsonObject().put("index", 1).put("eventId", badId)
                .put("field", "data.lines[2].amountCents").put("reason", "must be 0–100000000 but is -3"));
        assertThat(readRawTopic()).doesNotContainKeys(goodId, badId);
    }

    @Test
    void everyBadEventOfABatchIsListed() throws Exception {
        JsonObject noReceipt = purchase(uniqueId());
        noReceipt.getJsonObject("data").remove("receipt");
        HttpResponse<String> response = post(SHOP_KEY, new JsonArray().add("not an event").add(purchase(uniqueId()))
                .add(noReceipt.put("colour", "red")).encode());

        assertThat(response.statusCode()).isEqualTo(400);
        JsonArray errors = error(response).getJsonArray("problems");
        assertThat(errors).contains(new JsonObject().put("index", 0).put("field", "(event)")
                .put("reason", "an event must be a JSON object"));
        assertThat(errors.stream().map(o -> ((JsonObject) o).getInteger("index") + ":" + ((JsonObject) o).getString("field")))
                .containsExactlyInAnyOrder("0:(event)", "2:colour", "2:data.receipt");
        assertThat(error(response).getString("message")).startsWith("2 of 3 events are invalid");
    }

    @Test
    void malformedJsonNamesThePosition() throws Exception {
        HttpResponse<String> response = post(SHOP_KEY, "{\"eventId\": \"x\",\n  \"type\": purchase}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).getString("code")).isEqualTo("malformed_json");
        assertThat(error(response).getString("message")).startsWith("malformed JSON at line 2, column ");

        HttpResponse<String> duplicate = post(SHOP_KEY, "{\"eventId\": \"a\", \"eventId\": \"b\"}");
        assertThat(duplicate.statusCode()).isEqualTo(400);
        assertThat(error(duplicate).getString("message")).startsWith("malformed JSON at line 1, column ")
                .contains("Duplicate field 'eventId'");

        HttpResponse<String> scalar = post(SHOP_KEY, "42");
        assertThat(scalar.statusCode()).isEqualTo(400);
        assertThat(error(scalar).getString("message"))
                .isEqualTo("the body must be a JSON object (one event) or a JSON array (a batch of events)");
    }

    // ---- 401 / 403 --------------------------------------------------------------------------------

    @Test
    void missingOrUnknownKeyIsUnauthorizedWithAChallenge() throws Exception {
        HttpResponse<String> missing = send(HttpRequest.newBuilder(uri("/api/v1/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(purchase(uniqueId()).encode())));
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"prokommun-insights\"");
        assertThat(error(missing).getString("message")).startsWith("missing API key");

        HttpResponse<String> unknown = post("not-a-key", purchase(uniqueId()).encode());
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(json(unknown)).isEqualTo(shape(401, "unauthorized", "unknown API key"));

        HttpResponse<String> basic = post("Authorization", "Basic dXNlcjpwdw==", "application/json", "{}");
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(error(basic).getString("message")).startsWith("unsupported Authorization scheme");
    }

    @Test
    void participantMaySubmitOnlyInItsOwnNameAndCity() throws Exception {
        String otherName = uniqueId();
        HttpResponse<String> response = post(SHOP_KEY, purchase(otherName).put("participant", "metzgerei-meier").encode());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(error(response).getString("code")).isEqualTo("forbidden");
        JsonObject error = error(response).getJsonArray("problems").getJsonObject(0);
        assertThat(error.getString("field")).isEqualTo("participant");
        assertThat(error.getString("reason")).contains("own name");

        HttpResponse<String> city = post(SHOP_KEY, purchase(uniqueId()).put("city", "nachbarstadt").encode());
        assertThat(city.statusCode()).isEqualTo(403);
        assertThat(error(city).getJsonArray("problems").getJsonObject(0).getString("field")).isEqualTo("city");
        assertThat(error(city).getString("message")).isEqualTo(
                "1 of 1 event may not be submitted with this API key; the request was rejected as a whole and no event was accepted");
        assertThat(readRawTopic()).doesNotContainKey(otherName);
    }

    /** Issue 15, finding 2: a participant asserts facts about its own shop only; nothing of a forged batch is published. */
    @Test
    void forgedFollowRetractionOrVoucherOfAnotherShopIsForbiddenAndNothingIsPublished() throws Exception {
        String ownFollow = uniqueId();
        String forgedFollow = uniqueId();
        JsonArray batch = new JsonArray()
                .add(follow(ownFollow, "participant.followed", "baeckerei-schmidt"))
                .add(follow(forgedFollow, "participant.followed", "weinhandlung-berg"));
        HttpResponse<String> follows = post(SHOP_KEY, batch.encode());
        assertThat(follows.statusCode()).as(follows.body()).isEqualTo(403);
        assertThat(error(follows).getString("code")).isEqualTo("forbidden");
        JsonObject error = error(follows).getJsonArray("problems").getJsonObject(0);
        assertThat(error.getInteger("index")).isEqualTo(1);
        assertThat(error.getString("field")).isEqualTo("data.followed");
        assertThat(error.getString("reason")).contains("may report follows of itself only").contains("weinhandlung-berg");

        String forgedUnfollow = uniqueId();
        HttpResponse<String> unfollow = post(SHOP_KEY, follow(forgedUnfollow, "participant.unfollowed", "weinhandlung-berg").encode());
        assertThat(unfollow.statusCode()).isEqualTo(403);
        assertThat(error(unfollow).getJsonArray("problems").getJsonObject(0).getString("field")).isEqualTo("data.followed");

        String retraction = uniqueId();
        HttpResponse<String> retract = post(SHOP_KEY, new JsonObject().put("eventId", retraction)
                .put("type", "purchase.retracted").put("eventTime", "2026-01-02T10:00:00Z").put("resident", "R-000123")
                .put("participant", "weinhandlung-berg").put("data", new JsonObject().put("receipt", "W-1")).encode());
        assertThat(retract.statusCode()).isEqualTo(403);
        assertThat(error(retract).getJsonArray("problems").getJsonObject(0).getString("field")).isEqualTo("participant");

        String voucher = uniqueId();
        HttpResponse<String> sold = post(SHOP_KEY, new JsonObject().put("eventId", voucher).put("type", "gift_voucher.sold")
                .put("eventTime", "2026-01-02T10:00:00Z").put("participant", "weinhandlung-berg")
                .put("data", new JsonObject().put("voucher", "GV-W-1").put("amountCents", 2500)).encode());
        assertThat(sold.statusCode()).isEqualTo(403);
        assertThat(error(sold).getJsonArray("problems").getJsonObject(0).getString("field")).isEqualTo("participant");

        assertThat(readRawTopic()).doesNotContainKeys(ownFollow, forgedFollow, forgedUnfollow, retraction, voucher);

        String portalFollow = uniqueId();
        HttpResponse<String> byPortal = post(PORTAL_KEY, follow(portalFollow, "participant.followed", "weinhandlung-berg").encode());
        assertThat(byPortal.statusCode()).as("the portal reports residents' follows of any shop").isEqualTo(202);
        HttpResponse<String> own = post(SHOP_KEY, follow(uniqueId(), "participant.followed", "baeckerei-schmidt").encode());
        assertThat(own.statusCode()).as("a shop reports follows of itself").isEqualTo(202);
    }

    /**
     * Issue 15, finding 5: ingestion's refusals reach the operator's audit — each 401/403/400/413 is written to the
     * topic ingestion-refusals with the asker (never the key), route, status, the reason the sender was given and the
     * request's fingerprint; the query service reads that topic into its audit of refusals (ParticipantAttackIT).
     */
    @Test
    void everyRefusalIsWrittenForTheOperatorsAuditWithTheAskerButNeverTheKey() throws Exception {
        String rival = "rivale-" + UUID.randomUUID();
        String forgedBody = follow(uniqueId(), "participant.followed", rival).encode();
        assertThat(post(SHOP_KEY, forgedBody).statusCode()).isEqualTo(403);
        String guessed = "guessed-" + UUID.randomUUID();
        assertThat(post(guessed, "[]").statusCode()).isEqualTo(401);
        String broken = "[{\"eventId\": \"" + uniqueId() + "\", ";
        assertThat(post(SHOP_KEY, broken).statusCode()).isEqualTo(400);
        assertThat(post(SHOP_KEY, "[\"" + "x".repeat((int) MAX_BODY) + "\"]").statusCode()).isEqualTo(413);

        String route = "ingestion POST /api/v1/events";
        String brokenFingerprint = de.prokommun.insights.privacy.audit.RequestFingerprint.of("POST", "/api/v1/events",
                Map.of(), broken.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        // the refusals are written asynchronously and need not arrive in the order they were made: wait for each one
        List<IngestionRefusal> refusals = awaitRefusals(list -> list.stream().anyMatch(r -> r.getStatus() == 413
                && r.getAsker().equals("baeckerei-schmidt")) && list.stream().anyMatch(r -> r.getReason().contains(rival))
                && list.stream().anyMatch(r -> r.getAsker().equals(keyDigest(guessed)))
                && list.stream().anyMatch(r -> r.getFingerprint().equals(brokenFingerprint)));
        assertThat(refusals).anySatisfy(r -> {
            assertThat(r.getAsker()).isEqualTo("baeckerei-schmidt");
            assertThat(r.getCity()).isEqualTo("musterstadt");
            assertThat(r.getRole()).isEqualTo("PARTICIPANT");
            assertThat(r.getRoute()).isEqualTo(route);
            assertThat(r.getStatus()).isEqualTo(403);
            assertThat(r.getReason()).contains("data.followed").contains("may report follows of itself only").contains(rival);
            assertThat(r.getFingerprint()).isEqualTo(de.prokommun.insights.privacy.audit.RequestFingerprint.of("POST",
                    "/api/v1/events", Map.of(), forgedBody.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }).anySatisfy(r -> {
            assertThat(r.getAsker()).isEqualTo(keyDigest(guessed));
            assertThat(r.getStatus()).isEqualTo(401);
            assertThat(r.getCity()).isEmpty();
            assertThat(r.getReason()).contains("unknown API key");
        }).anySatisfy(r -> {
            assertThat(r.getAsker()).isEqualTo("baeckerei-schmidt");
            assertThat(r.getStatus()).isEqualTo(400);
            assertThat(r.getFingerprint()).isEqualTo(brokenFingerprint);
        }).anySatisfy(r -> {
            assertThat(r.getAsker()).isEqualTo("baeckerei-schmidt");
            assertThat(r.getStatus()).isEqualTo(413);
            assertThat(r.getRoute()).isEqualTo(route);
        });
        assertThat(refusals).allSatisfy(r -> assertThat(r.toString()).doesNotContain(SHOP_KEY).doesNotContain(guessed));
    }

    private static String keyDigest(String key) {
        return "key:" + ParticipantDirectory.digest(key).substring(0, 12);
    }

    /** The records of the topic ingestion-refusals, read until {@code complete} holds (they are sent after the answer). */
    private List<IngestionRefusal> awaitRefusals(java.util.function.Predicate<List<IngestionRefusal>> complete) {
        String topic = Topics.INGESTION_REFUSALS.name(settings);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<IngestionRefusal> all = new java.util.ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && !complete.test(all)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    all.add(Topics.INGESTION_REFUSALS.codec().decode(r.value()));
                }
            }
        }
        assertThat(complete.test(all)).as("refusals on " + topic + ": " + all).isTrue();
        return all;
    }

    private static JsonObject follow(String eventId, String type, String followed) {
        return new JsonObject().put("eventId", eventId).put("type", type).put("eventTime", "2026-01-02T10:00:00Z")
                .put("resident", "R-000123").put("data", new JsonObject().put("followed", followed));
    }

    @Test
    void onlyThePortalMaySendPortalTypesAndOperatorsNothing() throws Exception {
        JsonObject erasure = new JsonObject().put("eventId", uniqueId()).put("type", "erasure.requested")
                .put("eventTime", "2026-01-02T10:00:00Z").put("resident", "R-1").put("data", new JsonObject());
        HttpResponse<String> byShop = post(SHOP_KEY, erasure.encode());
        assertThat(byShop.statusCode()).isEqualTo(403);
        assertThat(error(byShop).getJsonArray("problems").getJsonObject(0))
                .isEqualTo(new JsonObject().put("index", 0).put("eventId", erasure.getString("eventId")).put("field", "type")
                        .put("reason", "'erasure.requested' may only be sent by the city portal"));

        HttpResponse<String> byOperator = post(OPERATOR_KEY, purchase(uniqueId()).encode());
        assertThat(byOperator.statusCode()).isEqualTo(403);
        assertThat(error(byOperator).getString("message")).isEqualTo("operator keys cannot submit events");
    }

    // ---- 413 / 415 / 404 / 405 --------------------------------------------------------------------

    @Test
    void tooLargeBodyOrBatchIsRefused() throws Exception {
        String padding = "x".repeat((int) MAX_BODY);
        HttpResponse<String> big = post(SHOP_KEY, purchase(uniqueId()).put("padding", padding).encode());
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(error(big).getString("code")).isEqualTo("payload_too_large");
        assertThat(error(big).getString("message")).isEqualTo("the request body exceeds " + MAX_BODY + " bytes; split the batch");

        JsonArray batch = new JsonArray();
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i <= MAX_BATCH; i++) {
            String id = uniqueId();
            ids.add(id);
            batch.add(purchase(id));
        }
        HttpResponse<String> many = post(SHOP_KEY, batch.encode());
        assertThat(many.statusCode()).isEqualTo(413);
        assertThat(error(many).getString("code")).isEqualTo("batch_too_large");
        assertThat(error(many).getString("message"))
                .isEqualTo("a batch may hold at most " + MAX_BATCH + " events but has " + (MAX_BATCH + 1) + "; split it");
        assertThat(readRawTopic()).doesNotContainKeys(ids.toArray(String[]::new));
    }

    @Test
    void wrongContentTypeIsUnsupported() throws Exception {
        HttpResponse<String> response = post("Authorization", "Bearer " + SHOP_KEY, "text/plain", purchase(uniqueId()).encode());
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(json(response)).isEqualTo(shape(415, "unsupported_media_type", "Content-Type must be application/json but is 'text/plain'"));
        HttpResponse<String> withCharset = post("Authorization", "Bearer " + SHOP_KEY, "application/json; charset=utf-8",
                purchase(uniqueId()).encode());
        assertThat(withCharset.statusCode()).isEqualTo(202);
    }

    @Test
    void unknownPathAndWrongMethodAnswerInJson() throws Exception {
        HttpResponse<String> notFound = send(HttpRequest.newBuilder(uri("/api/v1/event")).GET());
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(json(notFound)).isEqualTo(shape(404, "not_found", "no resource at /api/v1/event; events go to POST /api/v1/events"));

        HttpResponse<String> wrongMethod = send(HttpRequest.newBuilder(uri("/api/v1/events")).GET());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(json(wrongMethod)).isEqualTo(shape(405, "method_not_allowed", "GET is not allowed on /api/v1/events"));

        URI base = URI.create(server.baseUrl());
        RawHttp.Response badEscape = RawHttp.get(base.getHost(), base.getPort(), "/api/v1/%zz");
        assertThat(badEscape.status()).isEqualTo(400);
        assertThat(new JsonObject(badEscape.body())).isEqualTo(shape(400, "malformed_path", "the path has an invalid percent-escape '%zz' at position 8 (a '%' must be followed by"
                        + " two hexadecimal digits)"));
    }

    @Test
    void healthAndMetricsAreServed() throws Exception {
        post(SHOP_KEY, purchase(uniqueId()).encode());
        post("not-a-key", purchase(uniqueId()).encode());

        HttpResponse<String> health = send(HttpRequest.newBuilder(uri("/health")).GET());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).getString("status")).isEqualTo("UP");

        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(uri("/metrics")).GET());
        assertThat(anonymous.statusCode()).as("issue 15: /metrics only with an operator key").isEqualTo(401);
        assertThat(anonymous.body()).doesNotContain("prokommun_ingestion");
        HttpResponse<String> byShop = send(HttpRequest.newBuilder(uri("/metrics")).header("Authorization", "Bearer " + SHOP_KEY).GET());
        assertThat(byShop.statusCode()).isEqualTo(403);
        assertThat(error(byShop).getString("message")).isEqualTo("only an operator's API key may read /metrics");

        HttpResponse<String> metrics = send(HttpRequest.newBuilder(uri("/metrics")).header("Authorization", "Bearer " + OPERATOR_KEY).GET());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        String text = metrics.body();
        assertThat(text).contains("# TYPE prokommun_ingestion_accepted_events_total counter")
                .contains("prokommun_ingestion_accepted_events_total " + server.metrics().acceptedEvents())
                .contains("prokommun_ingestion_rejected_requests_total{reason=\"unauthorized\"} "
                        + server.metrics().rejectedRequests(RejectionReason.UNAUTHORIZED))
                .contains("prokommun_ingestion_request_duration_seconds_bucket{le=\"+Inf\"} ")
                .contains("prokommun_ingestion_request_duration_seconds_count ");
        assertThat(server.metrics().acceptedEvents()).isGreaterThanOrEqualTo(1);
        assertThat(server.metrics().rejectedRequests(RejectionReason.UNAUTHORIZED)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void nanInABodyIsRefusedInOurWordsNamingTheField() throws Exception {
        String id = uniqueId();
        String body = purchase(id).encode().replace("\"amountCents\":540", "\"amountCents\":NaN");
        assertThat(body).contains("NaN");
        HttpResponse<String> response = post(SHOP_KEY, body);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).getString("code")).isEqualTo("malformed_json");
        assertThat(error(response).getString("message")).contains("'NaN' is not a number JSON allows")
                .doesNotContain("JsonReadFeature");
        assertThat(error(response).getJsonArray("problems").getJsonObject(0).getString("field"))
                .isEqualTo("data.lines[0].amountCents");
        assertThat(readRawTopic()).doesNotContainKey(id);
    }

    // ---- 503 --------------------------------------------------------------------------------------

    @Test
    void brokerDownAnswers503WithRetryAfterAndNothingIsAcknowledged() throws Exception {
        Path kafkaDir = dir.resolve("kafka-503");
        int brokerPort = FreePorts.next();
        int controllerPort = FreePorts.next();
        EmbeddedKafka ownKafka = EmbeddedKafka.start(kafkaDir, brokerPort, controllerPort);
        Settings own = settingsFor(ownKafka, dir).with(Map.of(
                IngestionConfig.DELIVERY_TIMEOUT.name(), "3s", IngestionConfig.MAX_BLOCK.name(), "2s"));
        ownKafka.createTopics(own, 1);
        IngestionServer ownServer = IngestionServer.deploy(vertx, own).await(60, TimeUnit.SECONDS);
        String before = uniqueId();
        String during = uniqueId();
        try {
            assertThat(post(ownServer, SHOP_KEY, purchase(before).encode()).statusCode()).isEqualTo(202);
            ownKafka.close();

            HttpResponse<String> response = post(ownServer, SHOP_KEY, purchase(during).encode());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
            assertThat(error(response).getString("code")).isEqualTo("kafka_unavailable");
            assertThat(error(response).getInteger("accepted")).isEqualTo(0);
            assertThat(error(response).getString("message")).contains("nothing of this request was accepted");
            assertThat(ownServer.metrics().rejectedEvents(RejectionReason.KAFKA_UNAVAILABLE)).isEqualTo(1);
            assertThat(ownServer.metrics().acceptedEvents()).isEqualTo(1);
        } finally {
            ownServer.undeploy().await(30, TimeUnit.SECONDS);
        }
        try (EmbeddedKafka restarted = EmbeddedKafka.start(kafkaDir, brokerPort, controllerPort)) {
            Map<String, ConsumerRecord<String, InteractionEvent>> topic = readTopic(restarted, own);
            assertThat(topic).containsKey(before).doesNotContainKey(during);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static String uniqueId() {
        return "it-" + UUID.randomUUID();
    }

    static JsonObject purchase(String eventId) {
        return new JsonObject().put("eventId", eventId).put("type", "purchase").put("eventTime", "2026-01-02T10:15:00+01:00")
                .put("resident", "R-000123")
                .put("data", new JsonObject().put("receipt", "B-42").put("lines", new JsonArray()
                        .add(new JsonObject().put("productGroup", "Brot").put("quantity", 2).put("amountCents", 540))));
    }

    private URI uri(String path) {
        return URI.create(server.baseUrl() + path);
    }

    private HttpResponse<String> post(String apiKey, String body) throws Exception {
        return post(server, apiKey, body);
    }

    private HttpResponse<String> post(IngestionServer target, String apiKey, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(target.baseUrl() + "/api/v1/events"))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> post(String header, String value, String contentType, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri("/api/v1/events")).header(header, value).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The error object of the one error shape of every service: {"error": {"status", "code", "message", ...}}. */
    private static JsonObject error(HttpResponse<String> response) {
        JsonObject error = json(response).getJsonObject("error");
        assertThat(error).as("an error in the one shape: " + response.body()).isNotNull();
        assertThat(error.getInteger("status")).isEqualTo(response.statusCode());
        return error;
    }

    /** An error of the one shape with no problems: {"error": {"status", "code", "message", "retriable": false}}. */
    private static JsonObject shape(int status, String code, String message) {
        return new JsonObject().put("error", new JsonObject().put("status", status).put("code", code).put("message", message)
                .put("retriable", false));
    }

    private static JsonObject json(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return new JsonObject(response.body());
    }

    private Map<String, ConsumerRecord<String, InteractionEvent>> readRawTopic() {
        return readTopic(kafka, settings);
    }

    /** Every record of the raw topic by event id, read to the end offsets as they are now. */
    static Map<String, ConsumerRecord<String, InteractionEvent>> readTopic(EmbeddedKafka broker, Settings settings) {
        String topic = Topics.RAW_EVENTS.name(settings);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, ConsumerRecord<String, InteractionEvent>> byId = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline
                    && !end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    InteractionEvent event = Topics.RAW_EVENTS.codec().decode(r.value());
                    byId.put(event.getEventId(), new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(), event));
                }
            }
        }
        return byId;
    }
}
