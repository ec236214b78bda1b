package de.prokommun.insights.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import de.prokommun.insights.resident.ResidentConfig;
import de.prokommun.insights.resident.auth.TokenVerifier;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: every service answers every error class it has in the one documented shape (http-kernel ApiError,
 * the OpenAPI files' Error schema): {"error": {"status" = the HTTP status, "code" (snake_case), "message",
 * "retriable" (true exactly for 429 and 503), "problems": [{"field", "reason"}] where fields are named}}.
 * Against the whole local system: ingestion, query service and resident API as a client meets them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorShapeIT {

    private static final String CITY = "musterstadt";

    @TempDir
    static Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String jwtKey = Base64.getUrlEncoder().withoutPadding().encodeToString(UUID.randomUUID().toString().repeat(2).getBytes());
    private BehaviourTestSupport.StartedSystem started;
    private Vertx vertx;
    private final List<String> checked = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        // a day budget of 1 (the test policy's unit): the second paid question of an account is a 429
        started = BehaviourTestSupport.startSystem(dir, CITY, "error-shape-test-secret-of-musterstadt",
                BehaviourTestSupport.portalMerchantOperator(), 1, Map.of(ResidentConfig.JWT_KEY.name(), jwtKey));
        vertx = Vertx.vertx();
    }

    @AfterAll
    void stop() {
        System.out.println("[error-shape] checked: " + checked);
        if (vertx != null) vertx.close();
        if (started != null) started.system().close();
    }

    @Test
    void theIngestionAnswersEveryErrorClassInTheOneShape() throws Exception {
        String in = started.system().ingestion().baseUrl();
        String shop = started.keys().get("baeckerei");
        String event = "{\"eventId\":\"%s\",\"type\":\"newsletter.subscribed\",\"eventTime\":\"" + Instant.now()
                + "\",\"resident\":\"R-1\",\"participant\":\"baeckerei\",\"data\":{\"newsletter\":\"%s\"}}";
        String id = UUID.randomUUID().toString();
        assertShape("ingestion", post(in + "/api/v1/events", shop, "{\"eventId\": "), 400, true);
        assertShape("ingestion", post(in + "/api/v1/events", shop, "[{\"eventId\":\"x\",\"type\":\"no.such.type\"}]"), 400, true);
        assertShape("ingestion", post(in + "/api/v1/events", null, String.format(event, id, "mail")), 401, false);
        assertShape("ingestion", post(in + "/api/v1/events", started.keys().get("stadtmarketing"), String.format(event, id, "mail")), 403, false);
        assertShape("ingestion", get(in + "/api/v1/nothing", shop), 404, false);
        assertShape("ingestion", send(in + "/api/v1/events", shop, "DELETE", null), 405, false);
        HttpResponse<String> first = post(in + "/api/v1/events", shop, String.format(event, id, "mail"));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertShape("ingestion", post(in + "/api/v1/events", shop, String.format(event, id, "app")), 409, true);
        assertShape("ingestion", post(in + "/api/v1/events", shop, "[" + "1,".repeat(600_000) + "1]"), 413, false);
        assertShape("ingestion", send(in + "/api/v1/events", shop, "POST", "text/plain"), 415, false);
    }

    @Test
    void theQueryServiceAnswersEveryErrorClassInTheOneShape() throws Exception {
        String q = started.system().queryUrl();
        String shop = started.keys().get("baeckerei");
        assertShape("query", post(q + "/api/v1/audiences/size", shop, "{\"filter\":{\"ageFrom\":500}}"), 400, true);
        assertShape("query", post(q + "/api/v1/audiences/size", null, "{\"filter\":{}}"), 401, false);
        assertShape("query", post(q + "/api/v1/audiences/size", started.keys().get("portal"), "{\"filter\":{}}"), 403, false);
        assertShape("query", get(q + "/api/v1/nothing", shop), 404, false);
        assertShape("query", send(q + "/api/v1/audiences/size", shop, "DELETE", null), 405, false);
        assertShape("query", post(q + "/api/v1/audiences/size", shop, "{\"filter\":{},\"x\":\"" + "a".repeat(20_000) + "\"}"), 413, false);
        assertShape("query", send(q + "/api/v1/audiences/size", shop, "POST", "text/plain"), 415, false);
        HttpResponse<String> spent = null;
        for (int age = 20; age < 80 && (spent == null || spent.statusCode() != 429); age++) {
            spent = post(q + "/api/v1/audiences/size", shop, "{\"filter\":{\"ageFrom\":" + age + ",\"ageTo\":" + (age + 3) + "}}");
            assertThat(spent.statusCode()).as(spent.body()).isIn(200, 429);
        }
        assertShape("query", spent, 429, false);
        assertThat(spent.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void theResidentApiAnswersEveryErrorClassInTheOneShape() throws Exception {
        String r = started.system().residentUrl();
        String token = token(CITY);
        assertShape("resident", get(r + "/api/v1/me/export?format=pdf", token), 400, true);
        assertShape("resident", send(r + "/api/v1/me/consents", token, "PUT", "application/json", "{\"offers\": tru"), 400, true);
        assertShape("resident", get(r + "/api/v1/me", null), 401, false);
        assertShape("resident", get(r + "/api/v1/me", token("atlantis")), 403, false);
        assertShape("resident", get(r + "/api/v1/me/nothing", token), 404, false);
        assertShape("resident", send(r + "/api/v1/me/export", token, "POST", null), 405, false);
        assertShape("resident", send(r + "/api/v1/me/consents", token, "PUT", "application/json", "{\"x\":\"" + "a".repeat(20_000) + "\"}"), 413, false);
        assertShape("resident", send(r + "/api/v1/me/consents", token, "PUT", "text/plain", "{}"), 415, false);
    }

    /** The one shape; problems, when the class names fields, each with a field and a reason. */
    private void assertShape(String service, HttpResponse<String> response, int status, boolean namesFields) throws Exception {
        String what = service + " " + response.request().method() + " " + response.request().uri().getPath() + " → "
                + response.statusCode() + " " + response.body();
        assertThat(response.statusCode()).as(what).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).as(what).startsWith("application/json");
        JsonNode body = BehaviourTestSupport.JSON.readTree(response.body());
        assertThat(body.size()).as("one member, error: " + what).isEqualTo(1);
        JsonNode error = body.get("error");
        assertThat(error.isObject()).as(what).isTrue();
        assertThat(error.path("status").asInt()).as(what).isEqualTo(status);
        assertThat(error.path("code").asText()).as(what).matches("[a-z]+(_[a-z]+)*");
        assertThat(error.path("message").asText()).as(what).isNotBlank();
        assertThat(error.path("retriable").isBoolean()).as(what).isTrue();
        assertThat(error.path("retriable").asBoolean()).as(what).isEqualTo(status == 429 || status == 503);
        if (namesFields) assertThat(error.path("problems").size()).as(what).isPositive();
        for (JsonNode p : error.path("problems")) {
            assertThat(p.path("field").isTextual()).as(what).isTrue();
            assertThat(p.path("reason").asText()).as(what).isNotBlank();
        }
        checked.add(service + " " + status);
    }

    private String token(String city) {
        JsonObject claims = new JsonObject().put("sub", "R-error-shape").put("city", city)
                .put("iss", ResidentConfig.JWT_ISSUER.defaultValue())
                .put("exp", Instant.now().plus(Duration.ofMinutes(10)).getEpochSecond());
        return JWTAuth.create(vertx, TokenVerifier.options(jwtKey)).generateToken(claims, new JWTOptions().setAlgorithm("HS256"));
    }

    private HttpResponse<String> post(String url, String key, String body) throws Exception {
        return send(url, key, "POST", "application/json", body);
    }

    private HttpResponse<String> get(String url, String key) throws Exception {
        return send(url, key, "GET", null, null);
    }

    private HttpResponse<String> send(String url, String key, String method, String type) throws Exception {
        return send(url, key, method, type, type == null ? null : "{}");
    }

    private HttpResponse<String> send(String url, String key, String method, String type, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) b.header("Authorization", "Bearer " + key);
        if (type != null) b.header("Content-Type", type);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
