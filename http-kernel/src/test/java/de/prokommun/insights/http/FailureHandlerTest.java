package de.prokommun.insights.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The kernel's handlers on a real Vert.x HTTP server: every failure leaves in the one shape. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailureHandlerTest {

    /** A service's transient condition (as Kafka or Pinot unavailable). */
    static final class StoreDown extends RuntimeException implements RetriableFailure {
        StoreDown() { super("store connection refused at 10.0.0.1:9092"); }
        @Override public int retryAfterSeconds() { return 7; }
        @Override public String publicMessage() { return "the store is unavailable; try again shortly"; }
    }

    static final class Domain extends RuntimeException {}

    private Vertx vertx;
    private HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        vertx = Vertx.vertx();
        Router r = Router.router(vertx);
        FailureHandler failures = new FailureHandler("/openapi.yaml", 64,
                List.of((ctx, f) -> f instanceof Domain ? ApiError.of(403, "domain_rule", "the domain says no") : null));
        r.post("/json").handler(BodyHandler.create(false).setBodyLimit(64)).handler(new JsonBodyHandler())
                .handler(ctx -> ctx.json(JsonBodyHandler.of(ctx)));
        r.get("/down").handler(ctx -> ctx.fail(new StoreDown()));
        r.get("/domain").handler(ctx -> ctx.fail(new Domain()));
        r.get("/bug").handler(ctx -> { throw new IllegalStateException("a defect"); });
        r.route().failureHandler(failures);
        r.errorHandler(404, failures);
        r.errorHandler(405, failures);
        server = vertx.createHttpServer().requestHandler(r).listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aTransientFailureIsA503WithRetryAfterAndNoInternalDetail() throws Exception {
        HttpResponse<String> r = send("GET", "/down", null, null);
        JsonObject e = error(r, 503);
        assertThat(e.getString("code")).isEqualTo("unavailable");
        assertThat(e.getBoolean("retriable")).isTrue();
        assertThat(r.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(r.body()).doesNotContain("10.0.0.1");
    }

    @Test
    void aServicesMappingADefectARoutingStatusAndTheBodyLimitAllAnswerInTheShape() throws Exception {
        assertThat(error(send("GET", "/domain", null, null), 403).getString("code")).isEqualTo("domain_rule");
        JsonObject bug = error(send("GET", "/bug", null, null), 500);
        assertThat(bug.getString("message")).isEqualTo("internal error");
        assertThat(error(send("GET", "/nothing", null, null), 404).getString("message")).contains("see GET /openapi.yaml");
        assertThat(error(send("DELETE", "/down", null, null), 405).getString("code")).isEqualTo("method_not_allowed");
        assertThat(error(send("POST", "/json", "application/json", "{\"a\":\"" + "x".repeat(100) + "\"}"), 413)
                .getString("message")).contains("64 bytes");
    }

    @Test
    void theJsonBodyIsStrictAndNamesTheFieldAndTheReason() throws Exception {
        assertThat(send("POST", "/json", "application/json; charset=utf-8", "{\"a\":1}").body()).isEqualTo("{\"a\":1}");
        JsonObject duplicate = error(send("POST", "/json", "application/json", "{\"a\":1,\"a\":2}"), 400);
        assertThat(duplicate.getString("code")).isEqualTo("malformed_json");
        assertThat(duplicate.getJsonArray("problems").getJsonObject(0).getString("reason")).contains("Duplicate field 'a'");
        JsonObject nan = error(send("POST", "/json", "application/json", "{\"amount\":NaN}"), 400);
        assertThat(nan.getJsonArray("problems").getJsonObject(0).getString("field")).isEqualTo("amount");
        JsonObject array = error(send("POST", "/json", "application/json", "[]"), 400);
        assertThat(array.getJsonArray("problems").getJsonObject(0).getString("reason")).isEqualTo("body must be a JSON object");
        assertThat(error(send("POST", "/json", "text/plain", "{}"), 415).getString("message")).contains("'text/plain'");
        assertThat(error(send("POST", "/json", "application/json; charset=latin1", "{}"), 415).getString("message")).contains("latin1");
    }

    private JsonObject error(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(ApiError.JSON);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.fieldNames()).containsExactly("error");
        JsonObject e = body.getJsonObject("error");
        assertThat(e.getInteger("status")).isEqualTo(status);
        assertThat(e.getString("code")).matches("[a-z]+(_[a-z]+)*");
        assertThat(e.getBoolean("retriable")).isEqualTo(status == 429 || status == 503);
        return e;
    }

    private HttpResponse<String> send(String method, String path, String type, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) b.header("Content-Type", type);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
