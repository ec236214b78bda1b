package de.prokommun.insights.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.privacy.audit.AuditLog;
import de.prokommun.insights.privacy.audit.RefusalEntry;
import de.prokommun.insights.query.api.QueryVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, finding 5: every refusal of the query service (401, 403, 400) is audited over real HTTP with the asker
 * (never the key), route, reason and question fingerprint, and the operator's data-protection view lists them per
 * asker. Refused questions never reach Pinot, so the service runs here against a broker address nobody listens on.
 */
class RefusalAuditIT {

    private static final String OPERATOR_KEY = TestParticipants.randomKey();
    private static final String SHOP_KEY = TestParticipants.randomKey();
    private static final String PORTAL_KEY = TestParticipants.randomKey();

    @TempDir
    Path dir;
    private Vertx vertx;
    private int port;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private void start() throws Exception {
        Path cities = Files.createDirectories(dir.resolve("cities/musterstadt"));
        try (Stream<Path> files = Files.list(Path.of("..", "cities", "musterstadt"))) {
            for (Path f : files.toList()) Files.copy(f, cities.resolve(f.getFileName()));
        }
        ArrayNode list = new ObjectMapper().createArrayNode();
        list.addObject().put("id", "stadtmarketing").put("city", "musterstadt").put("role", "OPERATOR")
                .put("apiKeySha256", ParticipantDirectory.digest(OPERATOR_KEY));
        list.addObject().put("id", "getraenke-kurz").put("city", "musterstadt").put("role", "PARTICIPANT")
                .put("apiKeySha256", ParticipantDirectory.digest(SHOP_KEY));
        list.addObject().put("id", "portal").put("city", "musterstadt").put("role", "PORTAL")
                .put("apiKeySha256", ParticipantDirectory.digest(PORTAL_KEY));
        Path participants = Files.writeString(dir.resolve("participants.json"), list.toString());
        Map<String, String> s = new HashMap<>();
        s.put(CommonConfig.PINOT_BROKER.name(), "127.0.0.1:9");
        s.put(QueryConfig.PARTICIPANTS_FILE.name(), participants.toString());
        s.put(QueryConfig.CITIES_DIR.name(), dir.resolve("cities").toString());
        s.put(QueryConfig.PRF_KEY.name(), Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]));
        s.put(QueryConfig.AUDIT_LOG.name(), auditFile().toString());
        s.put(QueryConfig.BUDGET_LEDGER.name(), dir.resolve("query/ledger.log").toString());
        s.put(QueryConfig.CITY_BUDGET.name(), dir.resolve("query/city-budget.log").toString());
        s.put(QueryConfig.PUBLICATION_ENABLED.name(), "false");
        vertx = Vertx.vertx();
        QueryVerticle verticle = QueryServer.create(Settings.of(s), Clock.systemUTC());
        vertx.deployVerticle(verticle).await();
        port = verticle.actualPort();
    }

    private Path auditFile() {
        return dir.resolve("query/audit.log");
    }

    @AfterEach
    void stop() {
        if (vertx != null) vertx.close().await();
    }

    private HttpResponse<String> post(String key, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) b.header("Authorization", "Bearer " + key);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String key, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (key != null) b.header("Authorization", "Bearer " + key);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyRefusalIsAuditedWithAskerRouteReasonAndFingerprintAndTheOperatorSeesThemPerAsker() throws Exception {
        start();
        String size = "/api/v1/audiences/size";
        String unknownKey = "guessed-" + TestParticipants.randomKey();
        assertThat(post(null, size, "{}").statusCode()).isEqualTo(401);
        assertThat(post(unknownKey, size, "{}").statusCode()).isEqualTo(401);
        assertThat(post(PORTAL_KEY, size, "{}").statusCode()).isEqualTo(403);
        // the same probing question twice, re-ordered and re-spaced: one fingerprint
        HttpResponse<String> bad = post(SHOP_KEY, size, "{\"filter\": {\"ageFrom\": 130, \"colour\": 1}}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(post(SHOP_KEY, size, "{\"filter\":{\"colour\":1,\"ageFrom\":130}}").statusCode()).isEqualTo(400);
        assertThat(get(SHOP_KEY, "/api/v1/audit/refusals").statusCode()).as("participants do not read the audit").isEqualTo(403);

        AuditLog log = AuditLog.toFile(auditFile());
        List<RefusalEntry> refusals;
        try {
            refusals = log.refusals(null, Instant.EPOCH, Instant.now().plusSeconds(60));
        } finally {
            log.close();
        }
        assertThat(refusals).extracting(RefusalEntry::status).containsExactly(401, 401, 403, 400, 400, 403);
        assertThat(refusals.get(0).askerId()).isEqualTo("anonymous");
        assertThat(refusals.get(1).askerId()).isEqualTo("key:" + ParticipantDirectory.digest(unknownKey).substring(0, 12));
        assertThat(refusals.get(1).reason()).isEqualTo("unknown API key");
        assertThat(refusals.get(2).askerId()).isEqualTo("portal");
        assertThat(refusals.get(2).role()).isEqualTo("PORTAL");
        RefusalEntry probe = refusals.get(3);
        assertThat(probe.askerId()).isEqualTo("getraenke-kurz");
        assertThat(probe.city()).isEqualTo("musterstadt");
        assertThat(probe.route()).isEqualTo("POST " + size);
        assertThat(probe.reason()).startsWith("invalid request: ").contains("filter.ageFrom").contains("filter.colour");
        assertThat(probe.fingerprint()).hasSize(16).isEqualTo(refusals.get(4).fingerprint())
                .isNotEqualTo(refusals.get(2).fingerprint());
        assertThat(refusals.get(5).route()).isEqualTo("GET /api/v1/audit/refusals");
        String written = Files.readString(auditFile());
        assertThat(written).doesNotContain(unknownKey).doesNotContain(SHOP_KEY).doesNotContain(PORTAL_KEY);

        HttpResponse<String> view = get(OPERATOR_KEY, "/api/v1/audit/refusals");
        assertThat(view.statusCode()).as(view.body()).isEqualTo(200);
        JsonObject json = new JsonObject(view.body());
        assertThat(json.getInteger("total")).isEqualTo(6);
        JsonArray byAsker = json.getJsonArray("byAsker");
        JsonObject shop = byAsker.getJsonObject(0);
        assertThat(shop.getString("asker")).isEqualTo("getraenke-kurz");
        assertThat(shop.getInteger("refusals")).isEqualTo(3);
        assertThat(shop.getJsonObject("byStatus")).isEqualTo(new JsonObject().put("400", 2).put("403", 1));
        assertThat(shop.getInteger("distinctQuestions")).isEqualTo(2);
        assertThat(shop.getJsonObject("mostRepeated"))
                .isEqualTo(new JsonObject().put("fingerprint", probe.fingerprint()).put("count", 2));
        assertThat(byAsker.stream().map(o -> ((JsonObject) o).getString("asker")))
                .contains("anonymous", "portal", "key:" + ParticipantDirectory.digest(unknownKey).substring(0, 12));
        assertThat(json.getJsonArray("refusals").getJsonObject(0).getString("route")).isEqualTo("GET /api/v1/audit/refusals");
        assertThat(view.body()).doesNotContain(unknownKey);

        HttpResponse<String> badWindow = get(OPERATOR_KEY, "/api/v1/audit/refusals?from=yesterday");
        assertThat(badWindow.statusCode()).isEqualTo(400);
        assertThat(badWindow.body()).contains("\"field\":\"from\"");
    }
}
