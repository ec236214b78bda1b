package de.prokommun.insights.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.resident.auth.TokenClaims;
import de.prokommun.insights.resident.auth.TokenVerifier;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo portal over real HTTP: the page, the sign-in redirect with a token the resident API accepts. */
class DemoPortalVerticleTest {
    private static final String KEY = "a-local-resident-jwt-key-of-32-bytes-or-more";
    private static final String RESIDENT_API = "http://127.0.0.1:4711";
    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newHttpClient(); // does not follow redirects
    private String base;

    @BeforeEach
    void start() throws Exception {
        PortalTokens tokens = new PortalTokens(vertx, KEY, "musterstadt", "prokommun-portal", Duration.ofHours(1), Clock.systemUTC());
        DemoPortalVerticle portal = new DemoPortalVerticle(tokens, List.of("R-0000012", "R-0000014"), RESIDENT_API, "127.0.0.1", 0);
        vertx.deployVerticle(portal).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + portal.actualPort();
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void thePageListsTheDemoResidentsInGermanAndInEnglishWhenAsked() throws Exception {
        HttpResponse<String> de = get("/");
        assertThat(de.statusCode()).isEqualTo(200);
        assertThat(de.body()).contains("lang=\"de\"", "Demo-Portal", "Anmelden als R-0000012", "href=\"anmelden/R-0000014\"")
                .doesNotContain("Sign in");
        HttpResponse<String> en = get("/?lang=en");
        assertThat(en.body()).contains("lang=\"en\"", "Sign in as R-0000012").doesNotContain("Anmelden als");
    }

    @Test
    void signingInRedirectsToThePrivacyCentreWithAFreshTokenForThatResident() throws Exception {
        HttpResponse<String> r = get("/anmelden/R-0000014");
        assertThat(r.statusCode()).isEqualTo(303);
        String location = r.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(RESIDENT_API + "/privacy-centre/#token=");
        String token = location.substring(location.indexOf("#token=") + "#token=".length());
        TokenClaims claims = TokenVerifier.create(vertx, KEY, "prokommun-portal", Clock.systemUTC()).verify(token)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(claims.subject()).isEqualTo("R-0000014");
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
    }

    @Test
    void nobodyButTheListedResidentsCanSignIn() throws Exception {
        HttpResponse<String> r = get("/anmelden/R-0000099");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        // the one error shape of every service (http-kernel ApiError)
        JsonObject error = new JsonObject(r.body()).getJsonObject("error");
        assertThat(error.getInteger("status")).isEqualTo(404);
        assertThat(error.getString("code")).isEqualTo("not_found");
        assertThat(error.getBoolean("retriable")).isFalse();
        assertThat(error.getJsonArray("problems").getJsonObject(0).getString("field")).isEqualTo("resident");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
