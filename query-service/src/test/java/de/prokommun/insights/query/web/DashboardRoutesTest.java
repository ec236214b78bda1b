package de.prokommun.insights.query.web;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.participants.Participant;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.participants.Role;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard routes over real HTTP: pages, vendored chart library, authentication of the health routes. */
class DashboardRoutesTest {

    private static final String OPERATOR_KEY = "operator-key-for-dashboard-routes";
    private static final String MERCHANT_KEY = "merchant-key-for-dashboard-routes";
    private Vertx vertx;
    private HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        ParticipantDirectory directory = new ParticipantDirectory(Map.of(
                ParticipantDirectory.digest(OPERATOR_KEY), new Participant("stadtmarketing", "musterstadt", Role.OPERATOR, "Stadtmarketing"),
                ParticipantDirectory.digest(MERCHANT_KEY), new Participant("baeckerei", "musterstadt", Role.PARTICIPANT, "Bäckerei")));
        Router r = Router.router(vertx);
        Dashboards.mount(r, directory, null);
        server = vertx.createHttpServer().requestHandler(r).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path));
        if (key != null) b.header("Authorization", "Bearer " + key);
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheGermanPagesAndTheVendoredChartLibrary() throws Exception {
        HttpResponse<String> root = get("/", null);
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValue("/ui/");
        HttpResponse<String> login = get("/ui/", null);
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("<html lang=\"de\">").contains("id=\"api-key\"").contains("API-Schlüssel");
        assertThat(get("/ui/merchant.html", null).body()).contains("id=\"audience-count\"");
        assertThat(get("/ui/operator.html", null).body()).contains("id=\"tiles\"");
        assertThat(get("/ui/vendor/echarts/echarts.min.js", null).body()).contains("echarts");
        assertThat(get("/ui/vendor/echarts/LICENSE", null).body()).contains("Apache License");
    }

    @Test
    void healthFiguresNeedTheOperatorKey() throws Exception {
        assertThat(get("/api/v1/health/streaming", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/health/streaming", "wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> merchant = get("/metrics", MERCHANT_KEY);
        assertThat(merchant.statusCode()).isEqualTo(403);
        assertThat(merchant.body()).contains("PARTICIPANT");
        // authenticated, but no monitor is deployed in this Vert.x: a clear 503, not a hang
        HttpResponse<String> none = get("/api/v1/health/streaming", OPERATOR_KEY);
        assertThat(none.statusCode()).isEqualTo(503);
        assertThat(none.body()).contains("not running");
    }

    @Test
    void liveStreamsRejectUnknownWidgetsAndMalformedQuestions() throws Exception {
        assertThat(get("/api/v1/live/audience-size", null).statusCode()).isEqualTo(401);
        HttpResponse<String> unknown = get("/api/v1/live/sankey", MERCHANT_KEY);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("audience-size");
        HttpResponse<String> bad = get("/api/v1/live/audience-size?q=%7Bnot-json", MERCHANT_KEY);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("q:");
        HttpResponse<String> every = get("/api/v1/live/audience-size?every=-3", MERCHANT_KEY);
        assertThat(every.statusCode()).isEqualTo(400);
        assertThat(every.body()).contains("every:");
        HttpResponse<String> now = get("/api/v1/live/audience-size?now=maybe", MERCHANT_KEY);
        assertThat(now.statusCode()).isEqualTo(400);
        assertThat(now.body()).contains("now:");
        HttpResponse<String> noCampaign = get("/api/v1/live/campaign-results?q=%7B%7D", MERCHANT_KEY);
        assertThat(noCampaign.statusCode()).isEqualTo(400);
        assertThat(noCampaign.body()).contains("q.campaignId:");
    }

    @Test
    void aPagesStreamIsAuthenticatedFirstAndABadListIsRefusedBeforeItNamingTheField() throws Exception {
        String list = "{\"subscriptions\": [{\"id\": \"budget\", \"widget\": \"budget\"},"
                + " {\"id\": \"results\", \"widget\": \"campaign-results\", \"question\": {\"campaignId\": \"../x\"}}]}";
        assertThat(post("/api/v1/live", null, list).statusCode()).isEqualTo(401);
        HttpResponse<String> bad = post("/api/v1/live", MERCHANT_KEY, list);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(new io.vertx.core.json.JsonObject(bad.body()).getJsonObject("error").getJsonArray("problems").getJsonObject(0)
                .getString("field")).isEqualTo("subscriptions[1].question.campaignId");
    }

    private HttpResponse<String> post(String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .header("Content-Type", "application/json");
        if (key != null) b.header("Authorization", "Bearer " + key);
        return http.send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theNodePickersListTheCitysParticipantsOnlyWithIdAndName() {
        ParticipantDirectory directory = new ParticipantDirectory(Map.of(
                ParticipantDirectory.digest(OPERATOR_KEY), new Participant("stadtmarketing", "musterstadt", Role.OPERATOR, "Stadtmarketing"),
                ParticipantDirectory.digest(MERCHANT_KEY), new Participant("metzgerei", "musterstadt", Role.PARTICIPANT, "Metzgerei"),
                ParticipantDirectory.digest("k3"), new Participant("baeckerei", "musterstadt", Role.PARTICIPANT, "Bäckerei"),
                ParticipantDirectory.digest("k4"), new Participant("laden", "anderstadt", Role.PARTICIPANT, "Laden")));
        assertThat(Dashboards.participants(directory, "musterstadt").encode())
                .isEqualTo("[{\"id\":\"baeckerei\",\"name\":\"Bäckerei\"},{\"id\":\"metzgerei\",\"name\":\"Metzgerei\"}]");
    }
}
