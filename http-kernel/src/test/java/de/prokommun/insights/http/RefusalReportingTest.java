package de.prokommun.insights.http;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.participants.Participant;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.participants.Role;
import de.prokommun.insights.privacy.audit.RefusalEntry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The one refusal reporting on a real Vert.x HTTP server, in both of its kinds: the services whose callers are
 * accounts by key (asker by key, reason as given, fingerprint of the question) and the resident API's (a class of
 * caller, values left out, route pattern only).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefusalReportingTest {

    private static final String WINE_KEY = "key-of-the-wine-shop-0123456789";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T09:00:00Z"), ZoneOffset.UTC);

    private Vertx vertx;
    private int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<RefusalEntry> byKey = new CopyOnWriteArrayList<>();
    private final List<RefusalEntry> routeOnly = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() throws Exception {
        vertx = Vertx.vertx();
        ParticipantDirectory directory = new ParticipantDirectory(Map.of(ParticipantDirectory.digest(WINE_KEY),
                new Participant("weinhaus-broich", "musterstadt", Role.PARTICIPANT, "Weinhaus")));
        Router r = Router.router(vertx);
        r.route("/accounts/*").handler(new RefusalReporting("svc ", ApiError.REASON, RefusalReporting.Detail.QUESTION,
                RefusalReporting.byKey(directory), RefusalReporting::path, byKey::add, CLOCK));
        r.route("/me/*").handler(new RefusalReporting("resident ", ApiError.REASON, RefusalReporting.Detail.ROUTE_ONLY,
                ctx -> ctx.request().getHeader("Authorization") != null ? new RefusalReporting.Asker("", "", "token")
                        : RefusalReporting.Asker.ANONYMOUS,
                ctx -> ctx.currentRoute() == null ? ctx.request().path() : "/me/purchases/:receipt", routeOnly::add, CLOCK));
        r.route().handler(BodyHandler.create(false));
        r.post("/accounts/ask").handler(ctx -> ApiError.of(403, "segment: the sales of 'x.y' in 2026 are one seller's")
                .send(ctx));
        r.get("/accounts/fine").handler(ctx -> ctx.response().end("ok"));
        r.delete("/me/purchases/:receipt").handler(ctx ->
                ApiError.of(400, "postcode: '45468x' is not a postcode; birthYear: 1890 is before 1900").send(ctx));
        server(r);
    }

    private void server(Router r) throws Exception {
        port = vertx.createHttpServer().requestHandler(r).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS).actualPort();
    }

    @AfterAll
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void clear() {
        byKey.clear();
        routeOnly.clear();
    }

    private int send(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (key != null) b.header("Authorization", "Bearer " + key);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** The handler writes when the body has ended: wait for the entries. */
    private static List<RefusalEntry> await(List<RefusalEntry> entries, int n) throws Exception {
        for (int i = 0; i < 100 && entries.size() < n; i++) Thread.sleep(20);
        return entries;
    }

    @Test
    void anAccountsRefusalNamesTheAccountNeverTheKeyWithTheReasonGivenAndAFingerprintOfTheQuestion() throws Exception {
        assertThat(send("POST", "/accounts/ask?b=2&a=1", WINE_KEY, "{\"y\":1,\"x\":2}")).isEqualTo(403);
        assertThat(send("POST", "/accounts/ask?a=1&b=2", WINE_KEY, "{ \"x\": 2, \"y\": 1 }")).isEqualTo(403);
        assertThat(send("POST", "/accounts/ask", "a-guessed-key", "{}")).isEqualTo(403);
        assertThat(send("POST", "/accounts/ask", null, "{}")).isEqualTo(403);
        assertThat(send("GET", "/accounts/fine", WINE_KEY, null)).isEqualTo(200);
        assertThat(send("GET", "/accounts/nowhere", WINE_KEY, null)).isEqualTo(404);
        List<RefusalEntry> entries = await(byKey, 4);
        Thread.sleep(100); // nothing more arrives for the 200 and the 404
        assertThat(entries).hasSize(4);
        RefusalEntry first = entries.get(0);
        assertThat(first.askerId()).isEqualTo("weinhaus-broich");
        assertThat(first.city()).isEqualTo("musterstadt");
        assertThat(first.role()).isEqualTo("PARTICIPANT");
        assertThat(first.route()).isEqualTo("svc POST /accounts/ask");
        assertThat(first.status()).isEqualTo(403);
        assertThat(first.reason()).contains("'x.y'").contains("2026");
        assertThat(first.at()).isEqualTo(CLOCK.instant());
        assertThat(entries.get(1).fingerprint()).as("the same question re-phrased").isEqualTo(first.fingerprint());
        assertThat(entries.get(2).askerId()).startsWith("key:").hasSize(16).doesNotContain("guessed");
        assertThat(entries.get(2).city()).isEmpty();
        assertThat(entries.get(3).askerId()).isEqualTo("anonymous");
        assertThat(entries).allSatisfy(e -> assertThat(e.toString()).doesNotContain(WINE_KEY));
    }

    @Test
    void aResidentsRefusalCarriesNoValueTheySentAndOnlyTheRoutePattern() throws Exception {
        assertThat(send("DELETE", "/me/purchases/R-geheim-4711", "a-resident-token", "{\"postcode\":\"45468x\"}"))
                .isEqualTo(400);
        assertThat(send("DELETE", "/me/purchases/R-other-0815", null, "{\"other\":true}")).isEqualTo(400);
        List<RefusalEntry> entries = await(routeOnly, 2);
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).askerId()).isEqualTo("token");
        assertThat(entries.get(1).askerId()).isEqualTo("anonymous");
        assertThat(entries.get(0).route()).isEqualTo("resident DELETE /me/purchases/:receipt");
        assertThat(entries.get(0).reason()).isEqualTo("postcode: '…' is not a postcode; birthYear: # is before #");
        assertThat(entries.get(1).fingerprint()).as("method and route pattern only, no body, no receipt")
                .isEqualTo(entries.get(0).fingerprint());
        // Every field but the time, whose fraction of a second may contain any digits.
        assertThat(entries).allSatisfy(e -> assertThat(String.join(" | ", e.city(), e.role(), e.askerId(), e.route(),
                e.reason(), e.fingerprint())).doesNotContain("geheim").doesNotContain("45468")
                .doesNotContain("a-resident-token"));
    }

    @Test
    void aFloodOfOneRefusalIsBoundedAtTheSource() throws Exception {
        for (int i = 0; i < 6; i++) assertThat(send("POST", "/accounts/ask", WINE_KEY, "{}")).isEqualTo(403);
        Thread.sleep(200);
        assertThat(byKey).as("the first refusals of a question in full, the rest counted later").hasSize(3);
    }

    @Test
    void aRefusalIsA4xxOtherThan404And405AndValuesAreLeftOutOfAMaskedReason() {
        assertThat(RefusalReporting.isRefusal(400)).isTrue();
        assertThat(RefusalReporting.isRefusal(401)).isTrue();
        assertThat(RefusalReporting.isRefusal(429)).isTrue();
        assertThat(RefusalReporting.isRefusal(404)).isFalse();
        assertThat(RefusalReporting.isRefusal(405)).isFalse();
        assertThat(RefusalReporting.isRefusal(200)).isFalse();
        assertThat(RefusalReporting.isRefusal(503)).isFalse();
        assertThat(RefusalReporting.withoutValues("claim 'city': the city 'fremdstadt' is not served"))
                .isEqualTo("claim '…': the city '…' is not served");
    }
}
