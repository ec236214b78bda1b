package de.prokommun.insights.ingestion.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.ProductGroupMapping;
import de.prokommun.insights.ingestion.IngestionConfig;
import de.prokommun.insights.ingestion.IngestionServer;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.testkit.EmbeddedKafka;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

/** The mapping API over real HTTP against an embedded Kafka broker and the real Musterstadt taxonomy. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProductGroupMappingIT {

    private static final String SHOP_KEY = "shop-" + UUID.randomUUID();
    private static final String OTHER_SHOP_KEY = "shop2-" + UUID.randomUUID();
    private static final String PORTAL_KEY = "portal-" + UUID.randomUUID();
    private static final String OPERATOR_KEY = "operator-" + UUID.randomUUID();
    private static final long MAX_BODY = 8 * 1024;

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
        Path participants = dir.resolve("participants.json");
        Files.writeString(participants, new JsonArray()
                .add(participant("baeckerei-schmidt", "PARTICIPANT", SHOP_KEY))
                .add(participant("fischhaus", "PARTICIPANT", OTHER_SHOP_KEY))
                .add(participant("portal", "PORTAL", PORTAL_KEY))
                .add(participant("stadtmarketing", "OPERATOR", OPERATOR_KEY)).encodePrettily());
        Map<String, String> values = new HashMap<>();
        values.put(CommonConfig.KAFKA_BOOTSTRAP.name(), kafka.bootstrapServers());
        values.put(CommonConfig.TOPIC_PREFIX.name(), "mapping-it.");
        values.put(CommonConfig.CITIES_DIR.name(), Path.of("../cities").toAbsolutePath().normalize().toString());
        values.put(IngestionConfig.PARTICIPANTS_FILE.name(), participants.toString());
        values.put(IngestionConfig.MAX_BODY_BYTES.name(), String.valueOf(MAX_BODY));
        values.put(IngestionConfig.RETRY_AFTER.name(), "7s");
        settings = Settings.of(values);
        kafka.createTopics(settings, 2);
        server = IngestionServer.deploy(vertx, settings).await(60, TimeUnit.SECONDS);
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) server.undeploy().await(30, TimeUnit.SECONDS);
        if (vertx != null) vertx.close().await(30, TimeUnit.SECONDS);
        if (kafka != null) kafka.close();
    }

    private static JsonObject participant(String id, String role, String key) {
        return new JsonObject().put("id", id).put("city", "musterstadt").put("role", role).put("name", id)
                .put("apiKeySha256", ParticipantDirectory.digest(key));
    }

    // ---- accepted ---------------------------------------------------------------------------------

    @Test
    void jsonUploadIsPublishedOneRecordPerRowKeyedByCityParticipantAndGroup() throws Exception {
        String group = "Brötchen-" + UUID.randomUUID();
        JsonObject body = new JsonObject().put("mappings", new JsonArray()
                .add(row(group, "lebensmittel.backwaren"))
                .add(row(group + "-alt", null)));

        HttpResponse<String> response = put(SHOP_KEY, body.encode());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(new JsonObject(response.body())).isEqualTo(new JsonObject().put("city", "musterstadt")
                .put("participant", "baeckerei-schmidt").put("rows", 2).put("mapped", 1).put("removed", 1).put("applied", 2));
        Map<String, ProductGroupMapping> topic = readMappings();
        ProductGroupMapping mapped = topic.get("musterstadt/baeckerei-schmidt/" + group);
        assertThat(mapped).isNotNull();
        assertThat(mapped.getCategory()).isEqualTo("lebensmittel.backwaren");
        assertThat(mapped.getParticipant()).isEqualTo("baeckerei-schmidt");
        assertThat(mapped.getUpdatedAt()).isPositive();
        ProductGroupMapping removed = topic.get("musterstadt/baeckerei-schmidt/" + group + "-alt");
        assertThat(removed).isNotNull();
        assertThat(removed.getCategory()).isNull();
    }

    @Test
    void csvUploadWithCommasQuotesAndUmlautsIsPublishedInTheSendersName() throws Exception {
        String tag = UUID.randomUUID().toString();
        String csv = "productGroup,category\r\n\"Räucherfisch, " + tag + "\",lebensmittel.fisch\r\nSalat " + tag
                + ",lebensmittel.feinkost-bio\r\n";

        HttpResponse<String> response = postCsv(OTHER_SHOP_KEY, "text/csv; charset=UTF-8", csv.getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getInteger("mapped")).isEqualTo(2);
        Map<String, ProductGroupMapping> topic = readMappings();
        assertThat(topic.get("musterstadt/fischhaus/Räucherfisch, " + tag).getCategory()).isEqualTo("lebensmittel.fisch");
        assertThat(topic.get("musterstadt/fischhaus/Salat " + tag).getCategory()).isEqualTo("lebensmittel.feinkost-bio");
    }

    @Test
    void taxonomyIsServedWithGermanNames() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(ProductGroupMappingRoutes.TAXONOMY_PATH))
                .header("Authorization", "Bearer " + SHOP_KEY).GET());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonObject taxonomy = new JsonObject(response.body());
        assertThat(taxonomy.getString("city")).isEqualTo("musterstadt");
        JsonObject food = taxonomy.getJsonArray("categories").getJsonObject(0);
        assertThat(food.getString("name")).isEqualTo("Lebensmittel & Getränke");
        assertThat(food.getJsonArray("children").getJsonObject(0).getString("id")).isEqualTo("lebensmittel.backwaren");
    }

    // ---- 400: nothing applied ----------------------------------------------------------------------

    @Test
    void badJsonRowsAreNamedAndNothingIsApplied() throws Exception {
        String good = "Gut-" + UUID.randomUUID();
        JsonObject body = new JsonObject().put("mappings", new JsonArray()
                .add(row(good, "lebensmittel.backwaren"))
                .add(row("Torte", "lebensmittel.torten"))
                .add(row(good, "lebensmittel.fisch"))
                .add(row("", "lebensmittel.fisch"))
                .add(new JsonObject().put("productGroup", "ohne Kategorie")));

        HttpResponse<String> response = put(SHOP_KEY, body.encode());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonObject answer = new JsonObject(response.body()).getJsonObject("error");
        assertThat(answer.getString("code")).isEqualTo("invalid_mappings");
        assertThat(answer.getString("message")).isEqualTo("4 of 5 rows are invalid; nothing was applied");
        assertThat(answer.getInteger("applied")).isZero();
        List<String> errors = new ArrayList<>();
        answer.getJsonArray("problems").forEach(e -> {
            JsonObject o = (JsonObject) e;
            errors.add(o.getInteger("row") + " " + o.getString("field"));
        });
        assertThat(errors).containsExactlyInAnyOrder("2 mappings[1].category", "3 mappings[2].productGroup",
                "4 mappings[3].productGroup", "5 mappings[4].category");
        assertThat(response.body()).contains("unknown category id 'lebensmittel.torten'", "duplicate");
        assertThat(readMappings()).doesNotContainKey("musterstadt/baeckerei-schmidt/" + good);
    }

    @Test
    void badCsvRowsAreNamedByRowAndLineAndNothingIsApplied() throws Exception {
        String good = "Gut-" + UUID.randomUUID();
        String csv = "productGroup;category\n" + good + ";lebensmittel.backwaren\n;lebensmittel.fisch\nKuchen;lebensmittel\n";

        HttpResponse<String> response = postCsv(SHOP_KEY, "text/csv", csv.getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonArray errors = new JsonObject(response.body()).getJsonObject("error").getJsonArray("problems");
        assertThat(errors).hasSize(2);
        assertThat(errors.getJsonObject(0)).isEqualTo(new JsonObject().put("row", 2).put("line", 3)
                .put("field", "productGroup").put("reason", "must not be empty"));
        assertThat(errors.getJsonObject(1).getInteger("line")).isEqualTo(4);
        assertThat(errors.getJsonObject(1).getString("reason")).contains("top-level");
        assertThat(readMappings()).doesNotContainKey("musterstadt/baeckerei-schmidt/" + good);
    }

    @Test
    void malformedBodiesAre400() throws Exception {
        HttpResponse<String> json = put(SHOP_KEY, "{\"mappings\": [");
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(json.body()).getJsonObject("error").getString("code")).isEqualTo("malformed_json");

        // an overlong '/' (C0 AF) in a JSON upload: refused, not read as "Brot/Kuchen" (issue 14)
        byte[] overlong = "{\"mappings\": [{\"productGroup\": \"Brot#Kuchen\", \"category\": \"lebensmittel.backwaren\"}]}"
                .getBytes(StandardCharsets.ISO_8859_1);
        java.io.ByteArrayOutputStream withOverlong = new java.io.ByteArrayOutputStream();
        for (byte x : overlong) {
            if (x == '#') withOverlong.writeBytes(new byte[] {(byte) 0xC0, (byte) 0xAF}); else withOverlong.write(x);
        }
        HttpResponse<String> notUtf8 = send(HttpRequest.newBuilder(uri(ProductGroupMappingRoutes.MAPPING_PATH))
                .header("Authorization", "Bearer " + SHOP_KEY).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(withOverlong.toByteArray())));
        assertThat(notUtf8.statusCode()).as(notUtf8.body()).isEqualTo(400);
        assertThat(notUtf8.body()).contains("not valid UTF-8").contains("C0 AF");

        // a bidi override in a product group could never match a purchase line: refused naming the code point
        HttpResponse<String> bidi = put(SHOP_KEY,
                "{\"mappings\": [{\"productGroup\": \"Brot\\u202e\", \"category\": \"lebensmittel.backwaren\"}]}");
        assertThat(bidi.statusCode()).as(bidi.body()).isEqualTo(400);
        assertThat(bidi.body()).contains("U+202E");

        HttpResponse<String> latin1 = postCsv(SHOP_KEY, "text/csv",
                "productGroup;category\nK\u00e4se;lebensmittel.molkerei-kaese\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(latin1.statusCode()).isEqualTo(400);
        assertThat(latin1.body()).contains("not valid UTF-8");

        HttpResponse<String> headerOnly = postCsv(SHOP_KEY, "text/csv", "productGroup;category\n".getBytes(StandardCharsets.UTF_8));
        assertThat(headerOnly.statusCode()).isEqualTo(400);
        assertThat(headerOnly.body()).contains("no mapping rows");
    }

    // ---- 401, 403, 413, 415 -------------------------------------------------------------------------

    @Test
    void missingOrUnknownKeysAre401() throws Exception {
        HttpResponse<String> missing = send(HttpRequest.newBuilder(uri(ProductGroupMappingRoutes.MAPPING_PATH))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(validBody())));
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).isPresent();

        HttpResponse<String> unknown = postCsv("nope-" + UUID.randomUUID(), "text/csv",
                "productGroup;category\nA;lebensmittel.fisch\n".getBytes(StandardCharsets.UTF_8));
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(new JsonObject(unknown.body()).getJsonObject("error").getString("code")).isEqualTo("unauthorized");

        HttpResponse<String> taxonomy = send(HttpRequest.newBuilder(uri(ProductGroupMappingRoutes.TAXONOMY_PATH)).GET());
        assertThat(taxonomy.statusCode()).isEqualTo(401);
    }

    @Test
    void portalAndOperatorKeysAre403() throws Exception {
        for (String key : List.of(PORTAL_KEY, OPERATOR_KEY)) {
            HttpResponse<String> json = put(key, validBody());
            assertThat(json.statusCode()).as(json.body()).isEqualTo(403);
            assertThat(new JsonObject(json.body()).getJsonObject("error").getString("code")).isEqualTo("forbidden");
            HttpResponse<String> csv = postCsv(key, "text/csv",
                    "productGroup;category\nA;lebensmittel.fisch\n".getBytes(StandardCharsets.UTF_8));
            assertThat(csv.statusCode()).isEqualTo(403);
        }
        assertThat(put(PORTAL_KEY, validBody()).body()).contains("role is portal");
        assertThat(readMappings().values()).noneMatch(m -> m.getParticipant().equals("portal")
                || m.getParticipant().equals("stadtmarketing"));
    }

    @Test
    void oversizedBodiesAre413() throws Exception {
        StringBuilder csv = new StringBuilder("productGroup;category\n");
        for (int i = 0; csv.length() <= MAX_BODY; i++) csv.append("Gruppe ").append(i).append(";lebensmittel.vorrat\n");
        HttpResponse<String> response = postCsv(SHOP_KEY, "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(new JsonObject(response.body()).getJsonObject("error").getString("code")).isEqualTo("payload_too_large");
    }

    @Test
    void wrongContentTypesAre415() throws Exception {
        HttpResponse<String> jsonAsText = send(HttpRequest.newBuilder(uri(ProductGroupMappingRoutes.MAPPING_PATH))
                .header("Authorization", "Bearer " + SHOP_KEY).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString(validBody())));
        assertThat(jsonAsText.statusCode()).isEqualTo(415);
        assertThat(new JsonObject(jsonAsText.body()).getJsonObject("error").getString("code")).isEqualTo("unsupported_media_type");

        HttpResponse<String> csvAsJson = postCsv(SHOP_KEY, "application/json", validBody().getBytes(StandardCharsets.UTF_8));
        assertThat(csvAsJson.statusCode()).isEqualTo(415);

        HttpResponse<String> latin1Csv = postCsv(SHOP_KEY, "text/csv; charset=ISO-8859-1",
                "productGroup;category\nA;lebensmittel.fisch\n".getBytes(StandardCharsets.UTF_8));
        assertThat(latin1Csv.statusCode()).isEqualTo(415);
    }

    @Test
    void theMappingProducerIsClosedWhenTheServerIsUndeployed() throws Exception {
        long before = mappingProducerThreads();
        IngestionServer second = IngestionServer.deploy(vertx, settings.with(IngestionConfig.INSTANCES, 1))
                .await(60, TimeUnit.SECONDS);
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(second.baseUrl() + ProductGroupMappingRoutes.MAPPING_PATH))
                .header("Authorization", "Bearer " + SHOP_KEY).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(validBody())));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(mappingProducerThreads()).isEqualTo(before + 1);

        second.undeploy().await(30, TimeUnit.SECONDS);

        assertThat(mappingProducerThreads()).isEqualTo(before);
    }

    private static long mappingProducerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().contains("prokommun-ingestion-mappings")).count();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static JsonObject row(String group, String category) {
        return new JsonObject().put("productGroup", group).put("category", category);
    }

    private static String validBody() {
        return new JsonObject().put("mappings", new JsonArray().add(row("A", "lebensmittel.fisch"))).encode();
    }

    private URI uri(String path) {
        return URI.create(server.baseUrl() + path);
    }

    private HttpResponse<String> put(String key, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(ProductGroupMappingRoutes.MAPPING_PATH))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> postCsv(String key, String contentType, byte[] body) throws Exception {
        return send(HttpRequest.newBuilder(uri(ProductGroupMappingRoutes.MAPPING_CSV_PATH))
                .header("X-Api-Key", key).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The newest mapping per key, read from the beginning up to the current end of every partition. */
    private Map<String, ProductGroupMapping> readMappings() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        String topic = Topics.PRODUCT_GROUP_MAPPINGS.name(settings);
        Map<String, ProductGroupMapping> out = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.put(r.key(), Topics.PRODUCT_GROUP_MAPPINGS.codec().decode(r.value()));
                }
            }
        }
        return out;
    }
}
