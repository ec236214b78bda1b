package de.prokommun.insights.resident;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.ConsentChanged;
import de.prokommun.insights.events.ErasureRequested;
import de.prokommun.insights.events.InteractionEvent;
import de.prokommun.insights.events.OffersObjected;
import de.prokommun.insights.events.PersonRecord;
import de.prokommun.insights.events.ProfileChanged;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.events.PurchaseRetracted;
import de.prokommun.insights.resident.api.ResidentVerticle;
import de.prokommun.insights.resident.auth.ResidentPseudonym;
import de.prokommun.insights.resident.auth.TokenVerifier;
import de.prokommun.insights.testkit.EmbeddedKafka;
import de.prokommun.insights.testkit.PinotCluster;
import de.prokommun.insights.testkit.PinotClusterConfig;
import de.prokommun.insights.testkit.RawHttp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import de.prokommun.insights.events.IngestionRefusal;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resident API end to end: embedded Kafka, real Pinot (child JVM) consuming the profiles and person_records
 * topics, the verticle over real HTTP. Rows of two residents of Musterstadt and of a namesake in another city
 * are written to their topics as the pipeline would; the test then plays the pipeline's part for each change.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResidentApiIT {

    private static final String CITY = "musterstadt";
    private static final String OTHER_CITY = "nachbarstadt";
    private static final String SECRETS = CITY + ":musterstadt-pseudonym-secret-0001," + OTHER_CITY + ":nachbarstadt-secret-000002";
    private static final String JWT_KEY = "portal-resident-token-key-for-the-it-0123456789";
    private static final String WRONG_KEY = "a-different-key-that-the-api-does-not-know-0000";
    private static final String ISSUER = "prokommun-portal";
    private static final String REF_A = "resident-anna";
    private static final String REF_B = "resident-bernd";
    private static final ResidentPseudonym PSEUDONYMS = ResidentPseudonym.parse(SECRETS);
    private static final String PSN_A = PSEUDONYMS.of(CITY, REF_A).orElseThrow();
    private static final String PSN_B = PSEUDONYMS.of(CITY, REF_B).orElseThrow();
    /** The same resident reference as A, but in another city: another person. */
    private static final String PSN_A_ELSEWHERE = PSEUDONYMS.of(OTHER_CITY, REF_A).orElseThrow();
    private static final long DAY = 20_400;

    @TempDir
    static Path dir;

    private EmbeddedKafka kafka;
    private PinotCluster pinot;
    private Vertx vertx;
    private WebClient http;
    private KafkaProducer<String, byte[]> rows;
    private KafkaConsumer<String, byte[]> raw;
    private Settings settings;
    private String deploymentA;
    private int portA;
    /** Just before B's erasure (@Order(8)): a token issued then was issued before it. */
    private Instant beforeErasureOfB;
    private final List<PersonRecord> records = new ArrayList<>();
    private long version = 10;

    @BeforeAll
    void startEverything() throws Exception {
        Settings base = Settings.of(Map.of());
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        kafka.createTopics(base, 1);
        pinot = PinotCluster.start(dir.resolve("pinot"), kafka.bootstrapServers(),
                base.with(PinotClusterConfig.JVM_OPTIONS, PinotClusterConfig.CLIENT_COMPILER_ONLY));
        rows = transactionalProducer();
        raw = rawConsumer(base);

        records.add(purchase(PSN_A, CITY, "baeckerei-schmidt", "R-1", 479, false));
        records.add(purchase(PSN_A, CITY, "buchladen-lesezeit", "R-1", 2599, false));
        records.add(purchase(PSN_A, CITY, "baeckerei-schmidt", "R-2", 350, false));
        records.add(purchase(PSN_A, CITY, "baeckerei-schmidt", "R-3", 999, true));
        records.add(PersonRecord.newBuilder().setPseudonym(PSN_A).setCity(CITY).setRecordId("event:tsv-saarn:e1")
                .setKind("participant.followed").setParticipant("tsv-saarn").setEventTime(time(3))
                .setDetails("{\"followed\": \"tsv-saarn\"}").setVersion(1).build());
        records.add(purchase(PSN_B, CITY, "baeckerei-schmidt", "R-1", 111, false));
        records.add(purchase(PSN_B, CITY, "baeckerei-schmidt", "R-9", 222, false));
        records.add(purchase(PSN_A_ELSEWHERE, OTHER_CITY, "hofladen", "R-1", 333, false));
        List<ProducerRecord<String, byte[]>> initial = new ArrayList<>();
        initial.add(profileRecord(profile(PSN_A, CITY, 34, "Saarn", "SINGLE", List.of("single"), List.of("uni", "radfahren"), false, false)));
        initial.add(profileRecord(profile(PSN_B, CITY, 70, "Styrum", "COUPLE", List.of("senior", "couple"), List.of(), true, false)));
        initial.add(profileRecord(profile(PSN_A_ELSEWHERE, OTHER_CITY, 50, "Nordviertel", "FAMILY", List.of("family"), List.of(), true, false)));
        records.forEach(r -> initial.add(recordRecord(r)));
        write(initial);
        awaitPinot("SELECT COUNT(*) FROM " + PinotTables.PERSON_RECORDS.name(), records.size());
        awaitPinot("SELECT COUNT(*) FROM " + PinotTables.PROFILES.name(), 3);

        Path audit = Files.write(dir.resolve("audit.log"), List.of(
                auditLine("2026-03-01T10:00:00Z", CITY, "PARTICIPANT", "baeckerei-schmidt",
                        "audience.size?age=18..40&boughtCategory=lebensmittel.backwaren:2025"),
                auditLine("2026-03-02T10:00:00Z", OTHER_CITY, "PARTICIPANT", "hofladen", "audience.size?age=18..40")));
        settings = base.with(Map.of(
                CommonConfig.KAFKA_BOOTSTRAP.name(), kafka.bootstrapServers(),
                CommonConfig.PINOT_BROKER.name(), pinot.brokerHostPort(),
                ResidentConfig.CITY_SECRETS.name(), SECRETS,
                ResidentConfig.CITIES_DIR.name(), Path.of("..", "cities").toString(),
                ResidentConfig.JWT_KEY.name(), JWT_KEY,
                ResidentConfig.JWT_ISSUER.name(), ISSUER,
                ResidentConfig.AUDIT_LOG.name(), audit.toString()));
        vertx = Vertx.vertx();
        ResidentVerticle verticle = ResidentServer.create(settings, Clock.systemUTC());
        deploymentA = vertx.deployVerticle(verticle).await();
        portA = verticle.actualPort();
        http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(portA));
    }

    @AfterAll
    void stopEverything() {
        if (http != null) http.close();
        if (vertx != null) vertx.close().await();
        if (rows != null) rows.close();
        if (raw != null) raw.close();
        if (pinot != null) pinot.close();
        if (kafka != null) kafka.close();
    }

    @Test
    @Order(30)
    void aPathWithAnUndecodableEscapeIs400NamingThePath() throws Exception {
        RawHttp.Response r = RawHttp.get("127.0.0.1", portA, "/api/v1/me/purchases/B%zz");
        assertThat(r.status()).isEqualTo(400);
        assertThat(new JsonObject(r.body()).getJsonObject("error").getJsonArray("problems").getJsonObject(0).getString("field"))
                .isEqualTo("path");
    }

    // ---- reading: exactly my data ----------------------------------------------------------------------------

    @Test
    @Order(1)
    void residentASeesExactlyTheirProfileRecordsAndRecipients() {
        JsonObject me = okJson(call(HttpMethod.GET, "/api/v1/me", token(REF_A, CITY), null));
        assertThat(me.getString("resident")).isEqualTo(REF_A);
        assertThat(me.getJsonObject("profile").getString("district")).isEqualTo("Saarn");
        assertThat(me.getJsonObject("profile").getInteger("age")).isEqualTo(34);
        assertThat(me.getJsonArray("personas").getJsonObject(0).getString("persona")).isEqualTo("single");
        assertThat(me.getJsonArray("personas").getJsonObject(0).encode()).contains("Single-Haushalt");
        assertThat(me.getJsonObject("consents").getBoolean("analytics")).isTrue();
        // issue 16: the interest city.json names is labelled in both languages, the freely declared "uni" is not
        assertThat(me.getJsonObject("labels").getJsonObject("interests"))
                .isEqualTo(new JsonObject().put("radfahren", new JsonObject().put("de", "Radfahren").put("en", "Cycling")));
        assertThat(recordIds(me.getJsonArray("records"))).containsExactlyInAnyOrderElementsOf(liveRecordIds(PSN_A));
        JsonArray askers = me.getJsonObject("recipients").getJsonArray("askers");
        assertThat(askers).hasSize(1);
        assertThat(askers.getJsonObject(0).getString("participant")).isEqualTo("baeckerei-schmidt");
        assertThat(askers.getJsonObject(0).getJsonArray("categories").getList()).containsExactly("lebensmittel.backwaren");
        assertNothingOf(me.encode(), PSN_B, PSN_A_ELSEWHERE, "R-9", "Styrum", "hofladen", "Nordviertel");
    }

    @Test
    @Order(2)
    void theSameReferenceInAnotherCityIsAnotherPerson() {
        JsonObject elsewhere = okJson(call(HttpMethod.GET, "/api/v1/me", token(REF_A, OTHER_CITY), null));
        assertThat(elsewhere.getJsonObject("profile").getString("district")).isEqualTo("Nordviertel");
        assertThat(recordIds(elsewhere.getJsonArray("records"))).containsExactlyElementsOf(liveRecordIds(PSN_A_ELSEWHERE));
        assertNothingOf(elsewhere.encode(), PSN_A, "Saarn", "buchladen-lesezeit", "baeckerei-schmidt");
        assertThat(call(HttpMethod.GET, "/api/v1/me", token(REF_A, "gibtesnicht"), null).statusCode()).isEqualTo(403);
    }

    @Test
    @Order(3)
    void noPathQueryOrBodyRedirectsAToB() {
        String a = token(REF_A, CITY);
        for (String path : List.of("/api/v1/me?resident=" + REF_B + "&pseudonym=" + PSN_B + "&city=" + OTHER_CITY,
                "/api/v1/me/export?resident=" + REF_B, "/api/v1/me/export?format=csv&pseudonym=" + PSN_B)) {
            HttpResponse<Buffer> r = call(HttpMethod.GET, path, a, null);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertNothingOf(r.bodyAsString(), PSN_B, "R-9", "Styrum", "hofladen");
        }
        // B's receipt, from A's token: A has no such purchase
        assertThat(call(HttpMethod.DELETE, "/api/v1/me/purchases/R-9", a, null).statusCode()).isEqualTo(404);
        // a body naming someone else is refused, not followed
        HttpResponse<Buffer> redirected = call(HttpMethod.PATCH, "/api/v1/me/profile", a,
                new JsonObject().put("resident", REF_B).put("gender", "MALE"));
        assertThat(redirected.statusCode()).isEqualTo(400);
        assertThat(redirected.bodyAsString()).contains("resident").contains("not a known field");
        // B's request is not A's to see
        JsonObject bRequest = accepted(call(HttpMethod.PUT, "/api/v1/me/consents", token(REF_B, CITY),
                new JsonObject().put("analytics", true).put("offers", true).put("newsletter", true)));
        assertThat(nextRawEvents(1).get(0).getResident()).isEqualTo(REF_B);
        assertThat(call(HttpMethod.GET, "/api/v1/me/requests/" + bRequest.getString("requestId"), a, null).statusCode())
                .isEqualTo(404);
        assertThat(call(HttpMethod.GET, "/api/v1/me/requests/" + bRequest.getString("requestId"), token(REF_B, CITY), null)
                .statusCode()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void theExportHoldsEveryLivePurchaseOfAAndNothingElse() {
        HttpResponse<Buffer> json = call(HttpMethod.GET, "/api/v1/me/export", token(REF_A, CITY), null);
        assertThat(json.getHeader("Content-Disposition")).contains("attachment");
        JsonObject export = okJson(json);
        assertThat(export.getString("exportedAt")).isNotBlank();
        assertThat(recordIds(export.getJsonArray("records"))).containsExactlyInAnyOrderElementsOf(liveRecordIds(PSN_A));

        HttpResponse<Buffer> csv = call(HttpMethod.GET, "/api/v1/me/export?format=csv", token(REF_A, CITY), null);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.getHeader("Content-Type")).startsWith("text/csv");
        List<String> lines = csv.bodyAsString().lines().toList();
        assertThat(lines.get(0)).isEqualTo("date,participant,receipt,amount_eur,categories,lines");
        List<String> expected = records.stream()
                .filter(r -> r.getPseudonym().equals(PSN_A) && !r.getDeleted() && r.getKind().equals("purchase"))
                .map(r -> r.getParticipant() + "," + r.getReceipt() + "," + java.math.BigDecimal.valueOf(r.getAmountCents(), 2))
                .toList();
        assertThat(lines.subList(1, lines.size())).hasSize(expected.size());
        for (String e : expected) assertThat(lines).anySatisfy(l -> assertThat(l).contains(e));
        assertThat(csv.bodyAsString()).contains("2 x Brot");
    }

    // ---- changes become the portal's events ------------------------------------------------------------------

    @Test
    @Order(5)
    void aProfileCorrectionIsPublishedAndDoneWhenTheProfileShowsIt() throws Exception {
        JsonObject request = accepted(call(HttpMethod.PATCH, "/api/v1/me/profile", token(REF_A, CITY),
                new JsonObject().put("householdType", "FAMILY").put("postcode", "45468")));
        InteractionEvent event = nextRawEvents(1).get(0);
        assertPortalEvent(event, REF_A, "portal");
        ProfileChanged change = (ProfileChanged) event.getPayload();
        assertThat(change.getHouseholdType().name()).isEqualTo("FAMILY");
        assertThat(change.getPostcode()).isEqualTo("45468");
        assertThat(change.getGender()).isNull();

        String status = "/api/v1/me/requests/" + request.getString("requestId");
        assertThat(okJson(call(HttpMethod.GET, status, token(REF_A, CITY), null)).getString("status")).isEqualTo("pending");
        // the pipeline's part: the profile row now shows the change
        write(List.of(profileRecord(profile(PSN_A, CITY, 34, "Altstadt", "FAMILY", List.of("family"), List.of("uni"), false, false))));
        awaitStatus(status, token(REF_A, CITY), "done");
    }

    @Test
    @Order(6)
    void consentsArePublishedAsTheyWereGiven() {
        accepted(call(HttpMethod.PUT, "/api/v1/me/consents", token(REF_A, CITY),
                new JsonObject().put("analytics", true).put("offers", true).put("newsletter", false)));
        InteractionEvent event = nextRawEvents(1).get(0);
        assertPortalEvent(event, REF_A, "portal");
        ConsentChanged c = (ConsentChanged) event.getPayload();
        assertThat(List.of(c.getAnalytics(), c.getOffers(), c.getNewsletter())).containsExactly(true, true, false);
        HttpResponse<Buffer> bad = call(HttpMethod.PUT, "/api/v1/me/consents", token(REF_A, CITY), new JsonObject().put("offers", "ja"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.bodyAsJsonObject().getJsonObject("error").getJsonArray("problems").encode())
                .contains("analytics").contains("offers").contains("newsletter");
    }

    @Test
    @Order(7)
    void deletingAPurchaseRetractsItInTheNameOfItsParticipantAndIsDoneWhenTheRecordIsGone() throws Exception {
        // A holds R-1 at two participants: without ?participant both are retracted, each in its participant's name
        JsonObject request = accepted(call(HttpMethod.DELETE, "/api/v1/me/purchases/R-1?participant=buchladen-lesezeit",
                token(REF_A, CITY), null));
        InteractionEvent event = nextRawEvents(1).get(0);
        assertPortalEvent(event, REF_A, "buchladen-lesezeit");
        assertThat(((PurchaseRetracted) event.getPayload()).getReceipt()).isEqualTo("R-1");

        String status = "/api/v1/me/requests/" + request.getString("requestId");
        assertThat(okJson(call(HttpMethod.GET, status, token(REF_A, CITY), null)).getString("status")).isEqualTo("pending");
        PersonRecord gone = records.stream().filter(r -> r.getRecordId().equals("purchase:buchladen-lesezeit:R-1")
                && r.getPseudonym().equals(PSN_A)).findFirst().orElseThrow();
        write(List.of(recordRecord(PersonRecord.newBuilder(gone).setDeleted(true).setVersion(2).build())));
        awaitStatus(status, token(REF_A, CITY), "done");
        // B's purchase with the same receipt at the same participant as A's other R-1 is untouched
        assertThat(recordIds(okJson(call(HttpMethod.GET, "/api/v1/me", token(REF_B, CITY), null)).getJsonArray("records")))
                .contains("purchase:baeckerei-schmidt:R-1");

        accepted(call(HttpMethod.DELETE, "/api/v1/me/purchases/R-2", token(REF_A, CITY), null));
        InteractionEvent second = nextRawEvents(1).get(0);
        assertPortalEvent(second, REF_A, "baeckerei-schmidt");
        // R-3 was retracted before: not a live purchase any more
        assertThat(call(HttpMethod.DELETE, "/api/v1/me/purchases/R-3", token(REF_A, CITY), null).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(8)
    void erasureIsPublishedAndDoneWhenProfileAndRecordsAreGone() throws Exception {
        beforeErasureOfB = Instant.now().minusSeconds(1);
        JsonObject request = accepted(call(HttpMethod.DELETE, "/api/v1/me", token(REF_B, CITY), null));
        InteractionEvent event = nextRawEvents(1).get(0);
        assertPortalEvent(event, REF_B, "portal");
        assertThat(event.getPayload()).isInstanceOf(ErasureRequested.class);
        String status = "/api/v1/me/requests/" + request.getString("requestId");
        assertThat(okJson(call(HttpMethod.GET, status, token(REF_B, CITY), null)).getString("status")).isEqualTo("pending");

        write(List.of(profileRecord(profile(PSN_B, CITY, 70, "Styrum", "COUPLE", List.of(), List.of(), true, true))));
        awaitPinot("SELECT COUNT(*) FROM " + PinotTables.PROFILES.name() + " WHERE deleted = true", 1);
        // profile gone, records not yet: still pending
        assertThat(okJson(call(HttpMethod.GET, status, token(REF_B, CITY), null)).getString("status")).isEqualTo("pending");
        List<ProducerRecord<String, byte[]>> erased = new ArrayList<>();
        records.stream().filter(r -> r.getPseudonym().equals(PSN_B))
                .forEach(r -> erased.add(recordRecord(PersonRecord.newBuilder(r).setDeleted(true).setVersion(5).build())));
        write(erased);
        awaitStatus(status, token(REF_B, CITY), "done");
        Thread.sleep(1_100); // iat has whole seconds: a token issued in the erasure's second counts as issued before it
        JsonObject after = okJson(call(HttpMethod.GET, "/api/v1/me", issuedNow(REF_B, 600), null));
        assertThat(after.getValue("profile")).isNull();
        assertThat(after.getJsonArray("records")).isEmpty();
        assertThat(after.getJsonObject("consents").getBoolean("analytics")).isFalse();
    }

    // ---- issue 14, item 7: tokens issued before an erasure are refused ---------------------------------------

    @Test
    @Order(10)
    void tokensIssuedBeforeTheErasureAreRefusedAndTheReRegistrationShowsOnlyItsOwnGeneration() throws Exception {
        // B was erased in @Order(8), at least a second ago
        String withoutIat = signWithoutIat(claims(REF_B, CITY, 600));
        String issuedBefore = sign(JWT_KEY, claims(REF_B, CITY, 600).put("iat", Instant.now().minusSeconds(120).getEpochSecond()));
        JsonObject profileChange = new JsonObject().put("householdType", "SINGLE");
        JsonObject consents = new JsonObject().put("analytics", true).put("offers", false).put("newsletter", true);
        drainRaw();
        for (String old : new String[] {withoutIat, issuedBefore}) {
            List<HttpResponse<Buffer>> answers = List.of(
                    call(HttpMethod.GET, "/api/v1/me", old, null),
                    call(HttpMethod.GET, "/api/v1/me/export", old, null),
                    call(HttpMethod.PATCH, "/api/v1/me/profile", old, profileChange),
                    call(HttpMethod.PUT, "/api/v1/me/consents", old, consents),
                    call(HttpMethod.DELETE, "/api/v1/me/purchases/R-1", old, null),
                    call(HttpMethod.DELETE, "/api/v1/me", old, null));
            for (HttpResponse<Buffer> a : answers) {
                assertThat(a.statusCode()).as(a.bodyAsString()).isEqualTo(401);
                assertThat(a.bodyAsString()).contains("erased");
            }
        }
        assertThat(drainRaw()).as("nothing published with a token from before the erasure").isZero();
        assertThat(call(HttpMethod.GET, "/api/v1/me", token(REF_A, CITY), null).statusCode())
                .as("another resident's token is not affected").isEqualTo(200);

        // B registers again: the pipeline keeps the new registration under the next pseudonym generation
        String generation1 = PSEUDONYMS.generations(CITY, REF_B).orElseThrow().get(1);
        assertThat(generation1).isNotEqualTo(PSN_B);
        PersonRecord again = purchase(generation1, CITY, "baeckerei-schmidt", "R-20", 555, false);
        write(List.of(profileRecord(profile(generation1, CITY, 70, "Saarn", "FAMILY", List.of("family"), List.of(), false, false)),
                recordRecord(again)));
        awaitPinot("SELECT COUNT(*) FROM " + PinotTables.PROFILES.name() + " WHERE pseudonym = '" + generation1 + "'", 1);
        awaitPinot("SELECT COUNT(*) FROM " + PinotTables.PERSON_RECORDS.name() + " WHERE pseudonym = '" + generation1 + "'", 1);
        JsonObject me = okJson(call(HttpMethod.GET, "/api/v1/me", issuedNow(REF_B, 600), null));
        assertThat(me.getJsonObject("profile").getString("householdType")).isEqualTo("FAMILY");
        assertThat(recordIds(me.getJsonArray("records"))).containsExactly(again.getRecordId());
        assertThat(call(HttpMethod.GET, "/api/v1/me", issuedBefore, null).statusCode())
                .as("the old token stays refused after the re-registration").isEqualTo(401);
        accepted(call(HttpMethod.DELETE, "/api/v1/me/purchases/R-20", issuedNow(REF_B, 600), null));
        assertThat(nextRawEvents(1).get(0).getPayload()).isInstanceOf(PurchaseRetracted.class);
    }

    @Test
    @Order(15)
    void aTokenLivingLongerThanTheMaximumIsRefusedNamingTheClaim() {
        long max = ResidentConfig.JWT_MAX_LIFETIME.defaultValue().toSeconds();
        String tooLong = sign(JWT_KEY, claims(REF_A, CITY, max + 600).put("iat", Instant.now().getEpochSecond()));
        String tooFarWithoutIat = signWithoutIat(claims(REF_A, CITY, max + 600));
        for (String t : new String[] {tooLong, tooFarWithoutIat}) {
            HttpResponse<Buffer> a = call(HttpMethod.GET, "/api/v1/me", t, null);
            assertThat(a.statusCode()).isEqualTo(401);
            assertThat(a.bodyAsString()).contains("'exp'").contains(ResidentConfig.JWT_MAX_LIFETIME.name());
        }
        assertThat(call(HttpMethod.GET, "/api/v1/me", issuedNow(REF_A, max - 60), null).statusCode()).isEqualTo(200);
    }

    // ---- issue 14: the erasure register is shared by every instance and survives a restart -------------------

    @Test
    @Order(16)
    void anErasureIsRefusedByAFreshInstanceByTheSameInstanceAfterARestartAndAcrossInstancesAtOnce() throws Exception {
        // B was erased on instance A in @Order(8); A wrote it to the shared register (topic resident-erasures)
        String oldTokenOfB = sign(JWT_KEY, claims(REF_B, CITY, 600).put("iat", beforeErasureOfB.getEpochSecond()));
        ResidentVerticle second = ResidentServer.create(settings, Clock.systemUTC());
        String secondId = vertx.deployVerticle(second).await();
        WebClient toSecond = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(second.actualPort()));
        try {
            HttpResponse<Buffer> fresh = toSecond.get("/api/v1/me").putHeader("Authorization", "Bearer " + oldTokenOfB)
                    .send().await();
            assertThat(fresh.statusCode()).as("a freshly started instance: " + fresh.bodyAsString()).isEqualTo(401);
            assertThat(fresh.bodyAsString()).contains("erased");

            // an erasure taken by the second instance is refused by A for the very next request
            String clara = "resident-clara";
            String claraBefore = sign(JWT_KEY, claims(clara, CITY, 600).put("iat", Instant.now().minusSeconds(5).getEpochSecond()));
            drainRaw();
            HttpResponse<Buffer> erase = toSecond.delete("/api/v1/me").putHeader("Authorization", "Bearer " + claraBefore)
                    .send().await();
            accepted(erase);
            assertThat(nextRawEvents(1).get(0).getPayload()).isInstanceOf(ErasureRequested.class);
            HttpResponse<Buffer> atA = call(HttpMethod.GET, "/api/v1/me", claraBefore, null);
            assertThat(atA.statusCode()).as("instance A after the second instance's erasure: " + atA.bodyAsString())
                    .isEqualTo(401);
            assertThat(atA.bodyAsString()).contains("erased");
            assertThat(call(HttpMethod.PATCH, "/api/v1/me/profile", claraBefore,
                    new JsonObject().put("householdType", "SINGLE")).statusCode()).isEqualTo(401);
            assertThat(drainRaw()).as("nothing published for an erased token at A").isZero();
        } finally {
            toSecond.close();
            vertx.undeploy(secondId).await();
        }

        // A restarts (a new register in memory, the same port) and still refuses both old tokens
        vertx.undeploy(deploymentA).await();
        ResidentVerticle restarted = ResidentServer.create(settings.with(Map.of(ResidentConfig.PORT.name(),
                String.valueOf(portA))), Clock.systemUTC());
        deploymentA = vertx.deployVerticle(restarted).await();
        HttpResponse<Buffer> afterRestart = call(HttpMethod.GET, "/api/v1/me", oldTokenOfB, null);
        assertThat(afterRestart.statusCode()).as("A after a restart: " + afterRestart.bodyAsString()).isEqualTo(401);
        assertThat(afterRestart.bodyAsString()).contains("erased");
        assertThat(call(HttpMethod.DELETE, "/api/v1/me", oldTokenOfB, null).statusCode()).isEqualTo(401);
        assertThat(call(HttpMethod.GET, "/api/v1/me", issuedNow(REF_B, 600), null).statusCode())
                .as("a token issued after the erasure works").isEqualTo(200);
        assertThat(call(HttpMethod.GET, "/api/v1/me", token(REF_A, CITY), null).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(17)
    void anInstanceThatCannotReadTheErasureRegisterAnswers503NeverTheData() {
        Settings unreachable = settings.with(Map.of(CommonConfig.KAFKA_BOOTSTRAP.name(), "127.0.0.1:1",
                ResidentConfig.ERASURES_MAX_WAIT.name(), "PT1S"));
        ResidentVerticle blind = ResidentServer.create(unreachable, Clock.systemUTC());
        String id = vertx.deployVerticle(blind).await();
        WebClient toBlind = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(blind.actualPort()));
        try {
            for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.DELETE)) {
                HttpResponse<Buffer> r = toBlind.request(method, "/api/v1/me")
                        .putHeader("Authorization", "Bearer " + issuedNow(REF_A, 600)).send().await();
                assertThat(r.statusCode()).as(method + ": " + r.bodyAsString()).isEqualTo(503);
                assertThat(r.getHeader("Retry-After")).isNotBlank();
                assertThat(r.bodyAsString()).contains("resident-erasures").contains("resident.erasures.max-wait");
                assertNothingOf(r.bodyAsString(), "Saarn", "baeckerei-schmidt");
            }
        } finally {
            toBlind.close();
            vertx.undeploy(id).await();
        }
    }

    // ---- refused tokens --------------------------------------------------------------------------------------

    @Test
    @Order(9)
    void wrongKeyExpiredAndIncompleteTokensAreRefusedOnEveryRoute() {
        String wrongKey = sign(WRONG_KEY, claims(REF_A, CITY, 600));
        String expired = sign(JWT_KEY, claims(REF_A, CITY, -5));
        String noCity = sign(JWT_KEY, claims(REF_A, CITY, 600).copy().put("city", (String) null));
        JsonObject profile = new JsonObject().put("gender", "MALE");
        JsonObject consents = new JsonObject().put("analytics", false).put("offers", false).put("newsletter", false);
        int before = drainRaw();
        for (String token : new String[] {wrongKey, expired, noCity, null}) {
            List<HttpResponse<Buffer>> answers = List.of(
                    call(HttpMethod.GET, "/api/v1/me", token, null),
                    call(HttpMethod.GET, "/api/v1/me/export", token, null),
                    call(HttpMethod.GET, "/api/v1/me/export?format=csv", token, null),
                    call(HttpMethod.PATCH, "/api/v1/me/profile", token, profile),
                    call(HttpMethod.PUT, "/api/v1/me/consents", token, consents),
                    call(HttpMethod.DELETE, "/api/v1/me/purchases/R-1", token, null),
                    call(HttpMethod.DELETE, "/api/v1/me", token, null),
                    call(HttpMethod.GET, "/api/v1/me/requests/anything", token, null));
            for (HttpResponse<Buffer> a : answers) {
                assertThat(a.statusCode()).isEqualTo(401);
                assertThat(a.getHeader("WWW-Authenticate")).startsWith("Bearer");
                assertNothingOf(a.bodyAsString(), PSN_A, "Saarn", "R-1\"");
            }
        }
        assertThat(call(HttpMethod.GET, "/api/v1/me", expired, null).bodyAsString()).contains("'exp'");
        assertThat(call(HttpMethod.GET, "/api/v1/me", noCity, null).bodyAsString()).contains("'city'");
        assertThat(drainRaw()).as("no event published for a refused token").isZero();
        assertThat(before).isGreaterThanOrEqualTo(0);
    }

    // ---- issue 14: claims by type, interests and receipts under the write path's text rule -----------------

    @Test
    @Order(11)
    void timeClaimsOfTheWrongTypeOrInTheFutureAre401NamingTheClaimNever500() {
        int before = drainRaw();
        JsonObject consents = new JsonObject().put("analytics", false).put("offers", false).put("newsletter", false);
        Map<String, JsonObject> refused = Map.of(
                "'exp'", claims(REF_A, CITY, 600).put("exp", "1893456000"),
                "'exp' ", claims(REF_A, CITY, 600).put("exp", true),
                "'nbf'", claims(REF_A, CITY, 600).put("nbf", Instant.now().plusSeconds(3600).getEpochSecond()),
                "'nbf' ", claims(REF_A, CITY, 600).put("nbf", "soon"),
                "'iat'", claims(REF_A, CITY, 600).put("iat", Instant.now().plusSeconds(3600).getEpochSecond()));
        // item 9 re-checked: every other claim by type, each refusal naming its claim
        Map<String, JsonObject> refusedToo = Map.of(
                "'iat'", claims(REF_A, CITY, 600).put("iat", "gestern"),
                "'iat' ", claims(REF_A, CITY, 600).put("iat", 1.5e9 + 0.5),
                "'exp'", claims(REF_A, CITY, 600).put("exp", new JsonArray().add(1)),
                "'sub'", claims(REF_A, CITY, 600).put("sub", 4711),
                "'sub' ", claims(REF_A, CITY, 600).put("sub", "anna\u0000"),
                "'city'", claims(REF_A, CITY, 600).put("city", new JsonObject().put("name", CITY)),
                "'iss'", claims(REF_A, CITY, 600).put("iss", true));
        refusedToo.forEach((claim, c) -> {
            String token = JWTAuth.create(vertx, TokenVerifier.options(JWT_KEY))
                    .generateToken(c, new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true));
            HttpResponse<Buffer> a = call(HttpMethod.GET, "/api/v1/me", token, null);
            assertThat(a.statusCode()).as(claim + ": " + a.bodyAsString()).isEqualTo(401);
            assertThat(a.bodyAsString()).contains(claim.trim());
        });
        refused.forEach((claim, c) -> {
            String token = JWTAuth.create(vertx, TokenVerifier.options(JWT_KEY))
                    .generateToken(c, new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true));
            for (HttpResponse<Buffer> a : List.of(call(HttpMethod.GET, "/api/v1/me", token, null),
                    call(HttpMethod.PUT, "/api/v1/me/consents", token, consents))) {
                assertThat(a.statusCode()).as(claim + ": " + a.bodyAsString()).isEqualTo(401);
                assertThat(a.bodyAsString()).contains(claim.trim());
            }
        });
        assertThat(drainRaw()).as("no event published for a refused token").isZero();
        assertThat(before).isGreaterThanOrEqualTo(0);
        // within the declared clock skew a portal clock running a little ahead is fine
        String slightlyAhead = sign(JWT_KEY, claims(REF_A, CITY, 600).put("nbf", Instant.now().plusSeconds(20).getEpochSecond()));
        assertThat(call(HttpMethod.GET, "/api/v1/me", slightlyAhead, null).statusCode()).isEqualTo(200);
        String issuedSlightlyAhead = sign(JWT_KEY, claims(REF_A, CITY, 600).put("iat", Instant.now().plusSeconds(20).getEpochSecond()));
        assertThat(call(HttpMethod.GET, "/api/v1/me", issuedSlightlyAhead, null).statusCode()).isEqualTo(200);
        String beyondSkew = sign(JWT_KEY, claims(REF_A, CITY, 600).put("nbf",
                Instant.now().plus(de.prokommun.insights.resident.auth.TokenClaims.CLOCK_SKEW).plusSeconds(30).getEpochSecond()));
        assertThat(call(HttpMethod.GET, "/api/v1/me", beyondSkew, null).statusCode()).as("just beyond the skew").isEqualTo(401);
    }

    @Test
    @Order(12)
    void interestsInAPatchAreValidatedLikeAtRegistration() {
        drainRaw();
        for (JsonArray bad : List.of(new JsonArray().add("\u0000").add(" "), new JsonArray().add("garten\u202e"),
                new JsonArray().add("sport\nkultur"), new JsonArray().add("a".repeat(65)))) {
            HttpResponse<Buffer> r = call(HttpMethod.PATCH, "/api/v1/me/profile", token(REF_A, CITY),
                    new JsonObject().put("interests", bad));
            assertThat(r.statusCode()).as(bad.encode() + ": " + r.bodyAsString()).isEqualTo(400);
            assertThat(r.bodyAsJsonObject().getJsonObject("error").getJsonArray("problems").encode()).contains("interests[0]");
        }
        HttpResponse<Buffer> both = call(HttpMethod.PATCH, "/api/v1/me/profile", token(REF_A, CITY),
                new JsonObject().put("interests", new JsonArray().add("\u0000").add(" ")));
        assertThat(both.bodyAsString()).contains("interests[0]").contains("interests[1]");
        assertThat(drainRaw()).as("a refused change publishes nothing").isZero();

        accepted(call(HttpMethod.PATCH, "/api/v1/me/profile", token(REF_A, CITY),
                new JsonObject().put("interests", new JsonArray().add("Cafe\u0301s"))));
        ProfileChanged change = (ProfileChanged) nextRawEvents(1).get(0).getPayload();
        assertThat(change.getInterests()).containsExactly("Caf\u00e9s");
    }

    @Test
    @Order(13)
    void aBodyThatIsNotUtf8IsRefusedNotAltered() {
        byte[] overlong = "{\"interests\":[\"a-X\"]}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        for (int i = 0; i < overlong.length; i++) if (overlong[i] == 'X') overlong[i] = (byte) 0xC0;
        byte[] body = new byte[overlong.length + 1];
        int j = 0;
        for (byte b : overlong) {
            body[j++] = b;
            if (b == (byte) 0xC0) body[j++] = (byte) 0xAF;
        }
        HttpResponse<Buffer> r = http.request(HttpMethod.PATCH, "/api/v1/me/profile")
                .putHeader("Authorization", "Bearer " + token(REF_A, CITY)).putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer(body)).await();
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
        assertThat(r.bodyAsString()).contains("UTF-8");
        HttpResponse<Buffer> utf16 = http.request(HttpMethod.PATCH, "/api/v1/me/profile")
                .putHeader("Authorization", "Bearer " + token(REF_A, CITY))
                .putHeader("Content-Type", "application/json; charset=UTF-16")
                .sendBuffer(Buffer.buffer("{\"gender\":\"MALE\"}".getBytes(java.nio.charset.StandardCharsets.UTF_16))).await();
        assertThat(utf16.statusCode()).as(utf16.bodyAsString()).isEqualTo(415);
        assertThat(utf16.bodyAsString()).contains("UTF-16");
        assertThat(drainRaw()).isZero();
    }

    @Test
    @Order(14)
    void everyReceiptIngestionAcceptsCanBeDeletedByItsResident() throws Exception {
        // receipts ingestion accepts (1–64 characters after NFC, no control or format characters): astral
        // characters count as one, a decomposed form names the same (NFC) receipt
        String apples = "Bon 7 \u00c4pfel \ud83c\udf4e";
        String sixtyFour = "\ud83c\udf4e".repeat(64);
        List<PersonRecord> added = List.of(purchase(PSN_A, CITY, "baeckerei-schmidt", apples, 120, false),
                purchase(PSN_A, CITY, "baeckerei-schmidt", sixtyFour, 130, false));
        records.addAll(added);
        List<ProducerRecord<String, byte[]>> batch = new ArrayList<>();
        added.forEach(r -> batch.add(recordRecord(r)));
        write(batch);
        awaitPinot("SELECT COUNT(*) FROM " + PinotTables.PERSON_RECORDS.name() + " WHERE receipt = '" + apples + "'", 1);
        awaitPinot("SELECT COUNT(*) FROM " + PinotTables.PERSON_RECORDS.name() + " WHERE receipt = '" + sixtyFour + "'", 1);
        drainRaw();

        String decomposed = java.text.Normalizer.normalize(apples, java.text.Normalizer.Form.NFD);
        accepted(call(HttpMethod.DELETE, "/api/v1/me/purchases/" + encode(decomposed), token(REF_A, CITY), null));
        assertThat(((PurchaseRetracted) nextRawEvents(1).get(0).getPayload()).getReceipt()).isEqualTo(apples);
        accepted(call(HttpMethod.DELETE, "/api/v1/me/purchases/" + encode(sixtyFour), token(REF_A, CITY), null));
        assertThat(((PurchaseRetracted) nextRawEvents(1).get(0).getPayload()).getReceipt()).isEqualTo(sixtyFour);
        // what ingestion refuses (a line break, a bidi override) is refused here with the same reason
        for (String bad : new String[] {"x\ny", "x\u202ey", "x\u0000y"}) {
            HttpResponse<Buffer> r = call(HttpMethod.DELETE, "/api/v1/me/purchases/" + encode(bad), token(REF_A, CITY), null);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.bodyAsString()).contains("receipt").contains("U+");
        }
    }

    private static String encode(String segment) {
        return java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Issue 18: an objection to offers (DSGVO Art. 21) is published, shown once the profile holds it, and lifted. */
    @Test
    @Order(18)
    void anObjectionIsPublishedShownOnceTheProfileHoldsItAndLifted() throws Exception {
        drainRaw();
        String scope = "participant:baeckerei-schmidt";
        JsonObject request = accepted(call(HttpMethod.POST, "/api/v1/me/objections", token(REF_A, CITY),
                new JsonObject().put("scope", scope)));
        InteractionEvent event = nextRawEvents(1).get(0);
        assertPortalEvent(event, REF_A, "portal");
        assertThat(event.getPayload()).isEqualTo(OffersObjected.newBuilder().setScope(scope).setWithdrawn(false).build());
        String status = "/api/v1/me/requests/" + request.getString("requestId");
        assertThat(okJson(call(HttpMethod.GET, status, token(REF_A, CITY), null)).getString("status")).isEqualTo("pending");
        // the pipeline's part: the profile job keeps the standing objection on the profile row
        ProfileRow objected = ProfileRow.newBuilder(profile(PSN_A, CITY, 34, "Altstadt", "FAMILY", List.of("family"),
                List.of("uni"), true, false)).setOfferObjections(List.of(scope)).build();
        write(List.of(profileRecord(objected)));
        awaitStatus(status, token(REF_A, CITY), "done");
        assertThat(okJson(call(HttpMethod.GET, "/api/v1/me", token(REF_A, CITY), null)).getJsonArray("objections").getList())
                .containsExactly(scope);

        HttpResponse<Buffer> unknown = call(HttpMethod.POST, "/api/v1/me/objections", token(REF_A, CITY),
                new JsonObject().put("scope", "participant:baeckerei-schmitt"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.bodyAsJsonObject().getJsonObject("error").getJsonArray("problems").getJsonObject(0)
                .getString("field")).isEqualTo("scope");
        assertThat(drainRaw()).as("nothing published for a refused objection").isZero();

        accepted(call(HttpMethod.DELETE, "/api/v1/me/objections/" + encode(scope), token(REF_A, CITY), null));
        assertThat(nextRawEvents(1).get(0).getPayload())
                .isEqualTo(OffersObjected.newBuilder().setScope(scope).setWithdrawn(true).build());
    }

    /** Issue 18: the offers that reached me, from whom and why; never another person's. */
    @Test
    @Order(19)
    void theCampaignsThatReachedMeAreListedWithTheReasonInGerman() throws Exception {
        String details = "{\"campaign\": \"c-1\", \"participant\": \"baeckerei-schmidt\", \"title\": \"Brötchen-Woche\","
                + " \"reasons\": [\"ageBand:25-49\", \"interest:radfahren\"]}";
        PersonRecord mine = PersonRecord.newBuilder().setPseudonym(PSN_A).setCity(CITY).setRecordId("campaign:c-1")
                .setKind("campaign.delivered").setParticipant("baeckerei-schmidt").setEventTime(time(20))
                .setDetails(details).setVersion(1).build();
        PersonRecord elsewhere = PersonRecord.newBuilder(mine).setPseudonym(PSN_A_ELSEWHERE).setCity(OTHER_CITY)
                .setRecordId("campaign:c-9").setDetails(details.replace("c-1", "c-9")).build();
        write(List.of(recordRecord(mine), recordRecord(elsewhere)));
        awaitPinot("SELECT COUNT(*) FROM " + PinotTables.PERSON_RECORDS.name() + " WHERE kind = 'campaign.delivered'", 2);

        JsonArray campaigns = okJson(call(HttpMethod.GET, "/api/v1/me/campaigns", token(REF_A, CITY), null))
                .getJsonArray("campaigns");
        assertThat(campaigns).hasSize(1);
        JsonObject c = campaigns.getJsonObject(0);
        assertThat(c.getString("campaign")).isEqualTo("c-1");
        assertThat(c.getString("title")).isEqualTo("Brötchen-Woche");
        assertThat(c.getJsonObject("why").getString("de")).isEqualTo("weil: Alter 25–49, Interesse Radfahren");
        assertThat(c.encode()).doesNotContain("c-9").doesNotContain(PSN_A);
        assertThat(call(HttpMethod.GET, "/api/v1/me/campaigns", null, null).statusCode()).isEqualTo(401);

        // a registered participant outside the city's catalogue may run campaigns: the resident may object to it
        // once it sent them an offer (Art. 21 is absolute); one that sent offers only to others stays unknown to them
        PersonRecord fromOutside = PersonRecord.newBuilder(mine).setRecordId("campaign:c-2").setParticipant("verein-neu")
                .setDetails(details.replace("c-1", "c-2").replace("baeckerei-schmidt", "verein-neu")).build();
        PersonRecord toSomeoneElse = PersonRecord.newBuilder(elsewhere).setRecordId("campaign:c-8")
                .setParticipant("verein-anders").build();
        write(List.of(recordRecord(fromOutside), recordRecord(toSomeoneElse)));
        awaitPinot("SELECT COUNT(*) FROM " + PinotTables.PERSON_RECORDS.name() + " WHERE kind = 'campaign.delivered'", 4);
        drainRaw();
        accepted(call(HttpMethod.POST, "/api/v1/me/objections", token(REF_A, CITY),
                new JsonObject().put("scope", "participant:verein-neu")));
        assertThat(nextRawEvents(1).get(0).getPayload())
                .isEqualTo(OffersObjected.newBuilder().setScope("participant:verein-neu").setWithdrawn(false).build());
        HttpResponse<Buffer> other = call(HttpMethod.POST, "/api/v1/me/objections", token(REF_A, CITY),
                new JsonObject().put("scope", "participant:verein-anders"));
        assertThat(other.statusCode()).as(other.bodyAsString()).isEqualTo(400);
    }

    @Test
    @Order(20)
    void theOpenApiDocumentIsServed() {
        HttpResponse<Buffer> doc = call(HttpMethod.GET, "/api/v1/me/openapi.yaml", null, null);
        assertThat(doc.statusCode()).isEqualTo(200);
        assertThat(doc.bodyAsString()).contains("/api/v1/me/purchases/{receipt}").contains("/api/v1/me/requests/{requestId}");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static long time(int daysAfter) {
        return (DAY + daysAfter) * 86_400_000L + 10 * 3_600_000L;
    }

    private PersonRecord purchase(String pseudonym, String city, String participant, String receipt, long cents, boolean deleted) {
        return PersonRecord.newBuilder().setPseudonym(pseudonym).setCity(city)
                .setRecordId("purchase:" + participant + ":" + receipt).setKind("purchase").setParticipant(participant)
                .setEventTime(time(records.size())).setReceipt(receipt).setAmountCents(cents).setQuantity(2)
                .setCategories(List.of("lebensmittel.backwaren"))
                .setDetails("{\"lines\": [{\"productGroup\": \"Brot\", \"quantity\": 2, \"amountCents\": " + cents + "}]}")
                .setDeleted(deleted).setVersion(1).build();
    }

    private ProfileRow profile(String pseudonym, String city, int age, String district, String household,
                               List<String> personas, List<String> interests, boolean offers, boolean deleted) {
        version++;
        return ProfileRow.newBuilder().setPseudonym(pseudonym).setCity(city).setBirthYear(2026 - age).setAge(age)
                .setAgeBand("x").setGender("FEMALE").setDistrict(district).setHouseholdType(household)
                .setPersonas(personas).setInterests(interests).setConsentOffers(offers).setConsentNewsletter(false)
                .setRegisteredDay(20_000).setLastActivityDay((int) DAY).setDeleted(deleted)
                .setUpdatedAt(1_764_000_000_000L + version).setVersion(version).build();
    }

    private ProducerRecord<String, byte[]> profileRecord(ProfileRow row) {
        return new ProducerRecord<>(Topics.PROFILES.name(settingsOrBase()), row.getPseudonym(), Topics.PROFILES.codec().encode(row));
    }

    private ProducerRecord<String, byte[]> recordRecord(PersonRecord row) {
        return new ProducerRecord<>(Topics.PERSON_RECORDS.name(settingsOrBase()), row.getPseudonym(),
                Topics.PERSON_RECORDS.codec().encode(row));
    }

    private Settings settingsOrBase() {
        return settings != null ? settings : Settings.of(Map.of());
    }

    private List<String> liveRecordIds(String pseudonym) {
        return records.stream().filter(r -> r.getPseudonym().equals(pseudonym) && !r.getDeleted())
                .map(PersonRecord::getRecordId).toList();
    }

    private static List<String> recordIds(JsonArray records) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) ids.add(records.getJsonObject(i).getString("recordId"));
        return ids;
    }

    private static void assertNothingOf(String body, String... markers) {
        for (String m : markers) assertThat(body).as("response must not contain " + m).doesNotContain(m);
    }

    private static String auditLine(String at, String city, String role, String asker, String question) {
        return new JsonObject().put("at", at).put("city", city).put("role", role).put("asker", asker)
                .put("kind", question.split("\\?")[0]).put("question", question).put("dataVersion", "v1")
                .put("measure", "count").put("epsilon", 1.0).put("cells", 1).put("suppressedCells", 0)
                .put("repeated", false).put("outcome", "RELEASED").encode();
    }

    private JsonObject claims(String ref, String city, long validSeconds) {
        return new JsonObject().put("sub", ref).put("city", city).put("iss", ISSUER)
                .put("exp", Instant.now().plusSeconds(validSeconds).getEpochSecond());
    }

    private String sign(String key, JsonObject claims) {
        return JWTAuth.create(vertx, TokenVerifier.options(key))
                .generateToken(claims, new JWTOptions().setAlgorithm("HS256"));
    }

    private String token(String ref, String city) {
        return sign(JWT_KEY, claims(ref, city, 600));
    }

    /** Vert.x adds {@code iat} (now) to the tokens it signs unless told not to: a portal token without it. */
    private String signWithoutIat(JsonObject claims) {
        return JWTAuth.create(vertx, TokenVerifier.options(JWT_KEY))
                .generateToken(claims, new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true));
    }

    /** A token of Musterstadt with {@code iat} now, as the portal issues it after a sign-in. */
    private String issuedNow(String ref, long validSeconds) {
        return sign(JWT_KEY, claims(ref, CITY, validSeconds).put("iat", Instant.now().getEpochSecond()));
    }

    private HttpResponse<Buffer> call(HttpMethod method, String path, String token, JsonObject body) {
        HttpRequest<Buffer> request = http.request(method, path);
        if (token != null) request.putHeader("Authorization", "Bearer " + token);
        return body == null ? request.send().await() : request.sendJsonObject(body).await();
    }

    private static JsonObject okJson(HttpResponse<Buffer> r) {
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
        return r.bodyAsJsonObject();
    }

    private static JsonObject accepted(HttpResponse<Buffer> r) {
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
        JsonObject body = r.bodyAsJsonObject();
        assertThat(body.getString("status")).isEqualTo("pending");
        assertThat(body.getString("requestId")).isNotBlank();
        return body;
    }

    private void assertPortalEvent(InteractionEvent e, String resident, String participant) {
        assertThat(e.getResident()).isEqualTo(resident);
        assertThat(e.getCity()).isEqualTo(CITY);
        assertThat(e.getParticipant()).isEqualTo(participant);
        assertThat(e.getEventId()).startsWith("resident-api:");
        assertThat(Math.abs(e.getEventTime() - System.currentTimeMillis())).isLessThan(Duration.ofMinutes(5).toMillis());
    }

    private void awaitStatus(String path, String token, String expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        String seen = null;
        while (Instant.now().isBefore(deadline)) {
            seen = okJson(call(HttpMethod.GET, path, token, null)).getString("status");
            if (expected.equals(seen)) return;
            Thread.sleep(200);
        }
        throw new AssertionError("request " + path + " is " + seen + ", expected " + expected);
    }

    // ---- Kafka and Pinot -------------------------------------------------------------------------------------

    private KafkaProducer<String, byte[]> transactionalProducer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "resident-api-it");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }

    private void write(List<ProducerRecord<String, byte[]>> batch) throws Exception {
        rows.beginTransaction();
        for (ProducerRecord<String, byte[]> r : batch) rows.send(r);
        rows.commitTransaction();
    }

    /**
     * Issue 15: every refusal of the resident API reaches the operator's audit of refusals (topic ingestion-refusals,
     * read by the query service) with route pattern, reason and fingerprint — never the token, the resident's
     * reference or pseudonym, the receipt of the path or a value sent.
     */
    @Test
    @Order(21)
    void everyRefusalIsWrittenForTheOperatorsAuditWithoutTokenOrResidentReference() throws Exception {
        String wrongKey = sign(WRONG_KEY, claims(REF_A, CITY, 600));
        String foreign = token(REF_A, "fremdstadt");
        assertThat(call(HttpMethod.DELETE, "/api/v1/me/purchases/R-geheim-4711", wrongKey, null).statusCode()).isEqualTo(401);
        assertThat(call(HttpMethod.GET, "/api/v1/me", null, null).statusCode()).isEqualTo(401);
        assertThat(call(HttpMethod.GET, "/api/v1/me", foreign, null).statusCode()).isEqualTo(403);
        HttpResponse<Buffer> bad = call(HttpMethod.PATCH, "/api/v1/me/profile", token(REF_A, CITY),
                new JsonObject().put("postcode", "99999-geheim"));
        assertThat(bad.statusCode()).as(bad.bodyAsString()).isEqualTo(400);
        assertThat(call(HttpMethod.GET, "/api/v1/me", token(REF_A, CITY), null).statusCode()).as("no refusal").isEqualTo(200);
        assertThat(call(HttpMethod.GET, "/metrics", null, null).statusCode()).as("the resident API has no metrics to expose")
                .isEqualTo(404);

        List<IngestionRefusal> refusals = new ArrayList<>();
        TopicPartition partition = new TopicPartition(Topics.INGESTION_REFUSALS.name(settings), 0);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            Instant deadline = Instant.now().plusSeconds(30);
            while (Instant.now().isBefore(deadline) && refusals.stream().noneMatch(r -> r.getStatus() == 400)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(java.time.Duration.ofMillis(500))) {
                    refusals.add(Topics.INGESTION_REFUSALS.codec().decode(r.value()));
                }
            }
        }
        assertThat(refusals).as("the earlier tests' refusals and these").allSatisfy(r -> {
            assertThat(r.getRoute()).startsWith("resident ");
            assertThat(r.getFingerprint()).isNotBlank();
            // Every field but the time: an epoch millisecond such as 1796471186164 contains "4711" by chance.
            String sent = String.join(" | ", r.getCity(), r.getRole(), r.getAsker(), r.getRoute(), r.getReason(),
                    r.getFingerprint());
            assertThat(sent).doesNotContain(REF_A).doesNotContain(REF_B).doesNotContain(PSN_A)
                    .doesNotContain(PSN_B).doesNotContain(wrongKey).doesNotContain(foreign).doesNotContain("4711")
                    .doesNotContain("geheim").doesNotContain(JWT_KEY);
        });
        assertThat(refusals)
                .anySatisfy(r -> {
                    assertThat(r.getStatus()).isEqualTo(401);
                    assertThat(r.getRoute()).isEqualTo("resident DELETE /api/v1/me/purchases/:receipt");
                    assertThat(r.getAsker()).isEqualTo("token");
                    assertThat(r.getCity()).isEmpty();
                    assertThat(r.getReason()).isNotBlank();
                })
                .anySatisfy(r -> {
                    assertThat(r.getStatus()).isEqualTo(401);
                    assertThat(r.getRoute()).isEqualTo("resident GET /api/v1/me");
                    assertThat(r.getAsker()).isEqualTo("anonymous");
                })
                .anySatisfy(r -> {
                    assertThat(r.getStatus()).isEqualTo(403);
                    assertThat(r.getReason()).contains("claim").contains("city");
                })
                .anySatisfy(r -> {
                    assertThat(r.getStatus()).isEqualTo(400);
                    assertThat(r.getRoute()).isEqualTo("resident PATCH /api/v1/me/profile");
                    assertThat(r.getAsker()).isEqualTo("resident");
                    assertThat(r.getCity()).isEqualTo(CITY);
                    assertThat(r.getRole()).isEqualTo("RESIDENT");
                    assertThat(r.getReason()).contains("postcode");
                });
    }

    private KafkaConsumer<String, byte[]> rawConsumer(Settings base) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        TopicPartition partition = new TopicPartition(Topics.RAW_EVENTS.name(base), 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        return consumer;
    }

    /** The next n events on the raw topic (each keyed by its resident), decoded with the topic's codec. */
    private List<InteractionEvent> nextRawEvents(int n) {
        List<InteractionEvent> events = new ArrayList<>();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (events.size() < n && Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<String, byte[]> r : raw.poll(Duration.ofMillis(200))) {
                InteractionEvent e = Topics.RAW_EVENTS.codec().decode(r.value());
                assertThat(r.key()).isEqualTo(e.getCity() + "/" + e.getResident());
                events.add(e);
            }
        }
        assertThat(events).as("events on the raw topic").hasSize(n);
        return events;
    }

    private int drainRaw() {
        int n = 0;
        for (int i = 0; i < 5; i++) n += raw.poll(Duration.ofMillis(200)).count();
        return n;
    }

    private void awaitPinot(String countSql, long expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        long seen = -1;
        while (Instant.now().isBefore(deadline)) {
            try {
                seen = pinot.queryCount(countSql);
                if (seen == expected) return;
            } catch (IllegalStateException notYet) {
                // the consuming segment may not be queryable yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Pinot shows " + seen + " instead of " + expected + " for " + countSql + "; log " + pinot.logFile());
    }

    @SuppressWarnings("unused")
    private static String joined(List<String> values) {
        return values.stream().collect(Collectors.joining(","));
    }
}
