package de.prokommun.insights.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.events.InteractionEvent;
import de.prokommun.insights.events.Purchase;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14's malformed-input corpus (items 1–5) against the endpoint over real HTTP and a real (embedded) Kafka:
 * every case that was accepted (202) and then corrupted, altered or silently dropped is now refused with the
 * field and the reason, and leaves nothing in the raw topic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WritePathIT {

    private static final String SHOP_KEY = "shop-" + UUID.randomUUID();
    private static final String PORTAL_KEY = "portal-" + UUID.randomUUID();

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
                .add(participant("portal", "PORTAL", PORTAL_KEY)).encode());
        Path city = Files.createDirectories(dir.resolve("cities").resolve("musterstadt"));
        // a whole city.json: the city module reads it as strictly as every service does
        Files.writeString(city.resolve("city.json"), new JsonObject().put("city", "musterstadt")
                .put("timeZone", "Europe/Berlin").put("retention", new JsonObject().put("purchasesYears", 3))
                .put("districts", new JsonObject().put("45468", "Altstadt"))
                .put("ageBands", new JsonArray().add(new JsonObject().put("band", "alle").put("from", 0).put("to", 150)))
                .encode());
        Map<String, String> values = new HashMap<>();
        values.put(CommonConfig.KAFKA_BOOTSTRAP.name(), kafka.bootstrapServers());
        values.put(CommonConfig.TOPIC_PREFIX.name(), "write-path-it.");
        values.put(IngestionConfig.PARTICIPANTS_FILE.name(), participants.toString());
        values.put(CommonConfig.CITIES_DIR.name(), dir.resolve("cities").toString());
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

    // ---- item 1: amounts ----------------------------------------------------------------------------

    @Test
    void lineAmountsThatWouldOverflowTheReceiptTotalAreRefusedNamingFieldAndLimit() throws Exception {
        String id = uniqueId();
        JsonObject event = purchase(id, "B-1", new JsonArray()
                .add(line("Brot", 1, Long.MAX_VALUE)).add(line("Brot", 1, 1)));

        HttpResponse<String> response = post(SHOP_KEY, event.encode());

        assertRejected(response, 400, id);
        assertThat(errorFor(response, "data.lines[0].amountCents")).contains("0–100000000").contains("limit");
    }

    @ParameterizedTest
    @ValueSource(longs = {100_000_001L, 9_007_199_254_740_993L /* 2^53+1 */, Long.MAX_VALUE})
    void aSingleLineAboveTheLimitIsRefused(long cents) throws Exception {
        String id = uniqueId();
        HttpResponse<String> response = post(SHOP_KEY, purchase(id, "B-2", new JsonArray().add(line("Brot", 1, cents))).encode());

        assertRejected(response, 400, id);
        assertThat(errorFor(response, "data.lines[0].amountCents")).contains("but is " + cents);
    }

    @Test
    void aNumberBeyond64BitsIsRefusedNotWrapped() throws Exception {
        String id = uniqueId();
        String body = purchase(id, "B-3", new JsonArray().add(line("Brot", 1, 7))).encode()
                .replace("\"amountCents\":7", "\"amountCents\":18446744073709551617");

        HttpResponse<String> response = post(SHOP_KEY, body);

        assertRejected(response, 400, id);
        assertThat(errorFor(response, "data.lines[0].amountCents")).contains("18446744073709551617");
    }

    @Test
    void aReceiptAboveItsTotalLimitIsRefusedEvenIfEveryLineIsWithinItsLimit() throws Exception {
        String id = uniqueId();
        JsonArray lines = new JsonArray();
        for (int i = 0; i < 11; i++) lines.add(line("Schmuck", 1, 100_000_000L));

        HttpResponse<String> response = post(SHOP_KEY, purchase(id, "B-4", lines).encode());

        assertRejected(response, 400, id);
        assertThat(errorFor(response, "data.lines")).contains("1100000000").contains("1000000000");
    }

    @Test
    void quantitiesPointsAndVouchersHaveLimitsToo() throws Exception {
        String q = uniqueId();
        assertRejected(post(SHOP_KEY, purchase(q, "B-5", new JsonArray().add(line("Brot", 2_000_000_000, 5))).encode()), 400, q);
        String p = uniqueId();
        JsonObject points = envelope(p, "bonus.earned").put("data", new JsonObject().put("points", Long.MAX_VALUE));
        HttpResponse<String> response = post(SHOP_KEY, points.encode());
        assertRejected(response, 400, p);
        assertThat(errorFor(response, "data.points")).contains("10000000");
        String v = uniqueId();
        JsonObject voucher = new JsonObject().put("eventId", v).put("type", "gift_voucher.sold").put("eventTime", now())
                .put("data", new JsonObject().put("voucher", "GV-1").put("amountCents", Long.MAX_VALUE));
        assertRejected(post(SHOP_KEY, voucher.encode()), 400, v);
    }

    @Test
    void aLargeButPlausibleReceiptIsAccepted() throws Exception {
        String id = uniqueId();
        JsonArray lines = new JsonArray();
        for (int i = 0; i < 10; i++) lines.add(line("Schmuck", 3, 100_000_000L));

        HttpResponse<String> response = post(SHOP_KEY, purchase(id, "B-6", lines).encode());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        Purchase stored = (Purchase) readTopic().get(id).value().getPayload();
        assertThat(stored.getLines().stream().mapToLong(l -> l.getAmountCents()).sum()).isEqualTo(1_000_000_000L);
    }

    // ---- item 2: event ids ---------------------------------------------------------------------------

    @Test
    void theSameEventIdWithADifferentBodyInOneBatchIs409NamingTheId() throws Exception {
        String id = uniqueId();
        JsonArray batch = new JsonArray().add(purchase(id, "B-7", new JsonArray().add(line("Brot", 1, 100))))
                .add(purchase(id, "B-7", new JsonArray().add(line("Brot", 1, 999))));

        HttpResponse<String> response = post(SHOP_KEY, batch.encode());

        assertRejected(response, 409, id);
        JsonObject error = error(response).getJsonArray("problems").getJsonObject(0);
        assertThat(error.getInteger("index")).isEqualTo(1);
        assertThat(error.getString("eventId")).isEqualTo(id);
        assertThat(error.getString("reason")).contains(id);
    }

    @Test
    void anIdenticalDuplicateInOneBatchOrLaterStaysAnIdempotent202() throws Exception {
        String id = uniqueId();
        JsonObject event = purchase(id, "B-8", new JsonArray().add(line("Brot", 1, 100)));

        assertThat(post(SHOP_KEY, new JsonArray().add(event).add(event.copy()).encode()).statusCode()).isEqualTo(202);
        HttpResponse<String> again = post(SHOP_KEY, event.encode());

        assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
    }

    @Test
    void reusingAnEventIdLaterWithADifferentBodyIs409AndTheChangedBodyIsNotPublished() throws Exception {
        String id = uniqueId();
        assertThat(post(SHOP_KEY, purchase(id, "B-9", new JsonArray().add(line("Brot", 1, 100))).encode()).statusCode())
                .isEqualTo(202);

        HttpResponse<String> changed = post(SHOP_KEY, purchase(id, "B-9", new JsonArray().add(line("Kuchen", 1, 100))).encode());

        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(409);
        assertThat(error(changed).getString("code")).isEqualTo("event_id_conflict");
        assertThat(error(changed).getJsonArray("problems").getJsonObject(0).getString("reason")).contains(id).contains("earlier");
        Purchase stored = (Purchase) readTopic().get(id).value().getPayload();
        assertThat(stored.getLines().get(0).getProductGroup()).isEqualTo("Brot");
    }

    @Test
    void theSameEventIdOfAnotherParticipantIsNoConflict() throws Exception {
        String id = uniqueId();
        assertThat(post(SHOP_KEY, purchase(id, "B-10", new JsonArray().add(line("Brot", 1, 100))).encode()).statusCode())
                .isEqualTo(202);
        JsonObject portalEvent = envelope(id, "newsletter.subscribed").put("data", new JsonObject().put("newsletter", "stadt"));

        HttpResponse<String> response = post(PORTAL_KEY, portalEvent.encode());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    // ---- item 3: retention ---------------------------------------------------------------------------

    @Test
    void aPurchaseOlderThanTheCityKeepsPurchasesIs422NamingTheRetention() throws Exception {
        String id = uniqueId();
        JsonObject old = purchase(id, "B-11", new JsonArray().add(line("Brot", 1, 100)))
                .put("eventTime", Instant.now().minus(5 * 366, ChronoUnit.DAYS).toString());

        HttpResponse<String> response = post(SHOP_KEY, old.encode());

        assertRejected(response, 422, id);
        assertThat(error(response).getString("code")).isEqualTo("outside_retention");
        assertThat(errorFor(response, "eventTime")).contains("retention of 3 years");
    }

    @Test
    void aPurchaseWithinTheRetentionIsAccepted() throws Exception {
        String id = uniqueId();
        JsonObject recent = purchase(id, "B-12", new JsonArray().add(line("Brot", 1, 100)))
                .put("eventTime", Instant.now().minus(2 * 365, ChronoUnit.DAYS).toString());

        assertThat(post(SHOP_KEY, recent.encode()).statusCode()).isEqualTo(202);
    }

    // ---- items 4, 5: text ----------------------------------------------------------------------------

    @Test
    void anOverlongUtf8SequenceIsRefusedNotStoredAsSlash() throws Exception {
        String id = uniqueId();
        byte[] body = purchase(id, "B-X", new JsonArray().add(line("Brot", 1, 100))).encode().getBytes(StandardCharsets.UTF_8);
        String text = new String(body, StandardCharsets.ISO_8859_1).replace("B-X", "B-\u00c0\u00af");
        byte[] overlong = text.getBytes(StandardCharsets.ISO_8859_1);

        HttpResponse<String> response = post(SHOP_KEY, "application/json", overlong);

        assertRejected(response, 400, id);
        assertThat(error(response).getString("message")).contains("UTF-8").contains("C0 AF");
    }

    @Test
    void aLoneSurrogateEscapeIsRefusedNotStoredAsQuestionMark() throws Exception {
        String id = uniqueId();
        String body = purchase(id, "B-Y", new JsonArray().add(line("Brot", 1, 100))).encode().replace("B-Y", "B-\\ud800");

        HttpResponse<String> response = post(SHOP_KEY, body);

        assertRejected(response, 400, id);
        assertThat(errorFor(response, "data.receipt")).contains("surrogate");
    }

    @Test
    void aCharsetOtherThanUtf8Is415NamingTheCharset() throws Exception {
        String id = uniqueId();
        byte[] utf16 = purchase(id, "B-13", new JsonArray().add(line("Brot", 1, 100))).encode().getBytes(StandardCharsets.UTF_16);

        HttpResponse<String> response = post(SHOP_KEY, "application/json; charset=UTF-16", utf16);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(415);
        assertThat(error(response).getString("message")).contains("UTF-16");
        assertThat(readTopic()).doesNotContainKey(id);
        HttpResponse<String> declaredUtf8 = post(SHOP_KEY, "application/json; charset=utf-8",
                purchase(id, "B-13", new JsonArray().add(line("Brot", 1, 100))).encode().getBytes(StandardCharsets.UTF_8));
        assertThat(declaredUtf8.statusCode()).as(declaredUtf8.body()).isEqualTo(202);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\u001b", "\u202e", "\u2066", "\u200b", "\ufeff", "\n", "\r", "\u2028", "\u0085"})
    void controlFormatAndLineBreakCharactersAreRefusedInEveryIdentifier(String bad) throws Exception {
        String receipt = uniqueId();
        assertRejected(post(SHOP_KEY, purchase(receipt, "B" + bad + "1", new JsonArray().add(line("Brot", 1, 100))).encode()),
                400, receipt);
        String group = uniqueId();
        HttpResponse<String> groupResponse = post(SHOP_KEY,
                purchase(group, "B-14", new JsonArray().add(line("Brot" + bad + "chen", 1, 100))).encode());
        assertRejected(groupResponse, 400, group);
        assertThat(errorFor(groupResponse, "data.lines[0].productGroup")).contains("U+");
        String resident = uniqueId();
        assertRejected(post(SHOP_KEY, purchase(resident, "B-15", new JsonArray().add(line("Brot", 1, 100)))
                .put("resident", "R-" + bad + "7").encode()), 400, resident);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jane\uff20example.org", "jane\ufe6bexample.org", "jane@example.org"})
    void anEmailAddressIsRefusedAlsoWithALookAlikeAt(String reference) throws Exception {
        String id = uniqueId();
        HttpResponse<String> response = post(SHOP_KEY, purchase(id, "B-16", new JsonArray().add(line("Brot", 1, 100)))
                .put("resident", reference).encode());

        assertRejected(response, 400, id);
        assertThat(errorFor(response, "resident")).contains("e-mail");
    }

    @Test
    void textIsStoredInNormalisationFormC() throws Exception {
        String id = uniqueId();
        HttpResponse<String> response = post(SHOP_KEY,
                purchase(id, "Cafe\u0301-1", new JsonArray().add(line("Gemu\u0308se", 1, 100))).encode());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        Purchase stored = (Purchase) readTopic().get(id).value().getPayload();
        assertThat(stored.getReceipt()).isEqualTo("Caf\u00e9-1");
        assertThat(stored.getLines().get(0).getProductGroup()).isEqualTo("Gem\u00fcse");
    }

    @Test
    void freeTextMayHoldLineBreaksButNoOtherControlCharacters() throws Exception {
        String ok = uniqueId();
        JsonObject erasure = envelope(ok, "erasure.requested").put("data", new JsonObject().put("reason", "Umzug\nnach Essen"));
        HttpResponse<String> accepted = post(PORTAL_KEY, erasure.encode());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String bad = uniqueId();
        JsonObject withNul = envelope(bad, "erasure.requested").put("data", new JsonObject().put("reason", "Umzug\u0000"));
        assertRejected(post(PORTAL_KEY, withNul.encode()), 400, bad);
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private void assertRejected(HttpResponse<String> response, int status, String eventId) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.statusCode() < 300 ? json(response).getInteger("accepted", 0) : error(response).getInteger("accepted", 0)).isZero();
        assertThat(readTopic()).as("raw topic after %s", response.body()).doesNotContainKey(eventId);
    }

    private static String errorFor(HttpResponse<String> response, String field) {
        JsonArray errors = error(response).getJsonArray("problems");
        assertThat(errors).as(response.body()).isNotNull();
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < errors.size(); i++) {
            if (field.equals(errors.getJsonObject(i).getString("field"))) reasons.add(errors.getJsonObject(i).getString("reason"));
        }
        assertThat(reasons).as("errors for %s in %s", field, response.body()).isNotEmpty();
        return String.join("; ", reasons);
    }

    private Map<String, ConsumerRecord<String, InteractionEvent>> readTopic() {
        return IngestionIT.readTopic(kafka, settings);
    }

    private static JsonObject participant(String id, String role, String key) {
        return new JsonObject().put("id", id).put("city", "musterstadt").put("role", role).put("name", id)
                .put("apiKeySha256", ParticipantDirectory.digest(key));
    }

    private static String uniqueId() {
        return "wp-" + UUID.randomUUID();
    }

    private static String now() {
        return Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static JsonObject envelope(String eventId, String type) {
        return new JsonObject().put("eventId", eventId).put("type", type).put("eventTime", now()).put("resident", "R-000777");
    }

    private static JsonObject purchase(String eventId, String receipt, JsonArray lines) {
        return envelope(eventId, "purchase").put("data", new JsonObject().put("receipt", receipt).put("lines", lines));
    }

    private static JsonObject line(String group, long quantity, long cents) {
        return new JsonObject().put("productGroup", group).put("quantity", quantity).put("amountCents", cents);
    }

    private HttpResponse<String> post(String apiKey, String body) throws Exception {
        return post(apiKey, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(String apiKey, String contentType, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/events"))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The error object of the one error shape of every service: {"error": {"status", "code", "message", ...}}. */
    private static JsonObject error(HttpResponse<String> response) {
        JsonObject error = json(response).getJsonObject("error");
        assertThat(error).as("an error in the one shape: " + response.body()).isNotNull();
        assertThat(error.getInteger("status")).isEqualTo(response.statusCode());
        return error;
    }

    private static JsonObject json(HttpResponse<String> response) {
        return new JsonObject(response.body());
    }
}
