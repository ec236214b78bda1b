package de.prokommun.insights.resident.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {

    private static final String KEY = "the-portal-signs-resident-tokens-with-this";
    private static final String OTHER_KEY = "somebody-else-signs-with-another-key-000";
    private static final String ISSUER = "prokommun-portal";
    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

    private static Vertx vertx;
    private static TokenVerifier verifier;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        verifier = TokenVerifier.create(vertx, KEY, ISSUER, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
    }

    static String sign(String key, JsonObject claims) {
        JWTAuth signer = JWTAuth.create(vertx, TokenVerifier.options(key));
        return signer.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true));
    }

    static JsonObject claims() {
        return new JsonObject().put("sub", "resident-4711").put("city", "musterstadt").put("iss", ISSUER)
                .put("exp", NOW.plusSeconds(600).getEpochSecond());
    }

    private static TokenClaims verify(String token) throws Exception {
        try {
            return verifier.verify(token).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void aValidTokenGivesSubjectAndCity() throws Exception {
        TokenClaims claims = verify(sign(KEY, claims()));
        assertThat(claims.subject()).isEqualTo("resident-4711");
        assertThat(claims.city()).isEqualTo("musterstadt");
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() {
        assertThatThrownBy(() -> verify(sign(OTHER_KEY, claims())))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("signature");
    }

    @Test
    void anExpiredTokenIsRefusedNamingExp() {
        String token = sign(KEY, claims().put("exp", NOW.minusSeconds(1).getEpochSecond()));
        assertThatThrownBy(() -> verify(token)).isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining("expired").hasMessageContaining("'exp'");
    }

    @Test
    void missingClaimsAreNamed() {
        for (String claim : new String[] {"sub", "city", "exp", "iss"}) {
            JsonObject c = claims();
            c.remove(claim);
            assertThatThrownBy(() -> verify(sign(KEY, c))).as(claim)
                    .isInstanceOf(InvalidTokenException.class).hasMessageContaining("'" + claim + "'");
        }
        assertThatThrownBy(() -> verify(sign(KEY, claims().put("sub", "")))).hasMessageContaining("'sub'");
        assertThatThrownBy(() -> verify(sign(KEY, claims().put("city", 7)))).hasMessageContaining("'city'");
    }

    @Test
    void aWrongIssuerIsRefused() {
        assertThatThrownBy(() -> verify(sign(KEY, claims().put("iss", "someone-else"))))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("'iss'");
    }

    @Test
    void garbageAndUnsignedTokensAreRefused() {
        assertThatThrownBy(() -> verify("not-a-token")).isInstanceOf(InvalidTokenException.class);
        String unsigned = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes())
                + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(claims().encode().getBytes()) + ".";
        assertThatThrownBy(() -> verify(unsigned)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void aShortHmacKeyIsAConfigurationError() {
        assertThatThrownBy(() -> TokenVerifier.options("too-short")).hasMessageContaining("at least 32 bytes");
    }

    // ---- issue 14, item 9: claims by type, nbf and iat -------------------------------------------------

    @Test
    void registeredTimeClaimsOfTheWrongTypeAreRefusedNamingTheClaim() {
        Object[] wrong = {"1893456000", true, new JsonObject(), 1.5e300, -5, 1.5};
        for (String claim : new String[] {"exp", "nbf", "iat"}) {
            for (Object value : wrong) {
                JsonObject c = claims().put(claim, value);
                assertThatThrownBy(() -> verify(sign(KEY, c))).as(claim + "=" + value)
                        .isInstanceOf(InvalidTokenException.class).hasMessageContaining("'" + claim + "'");
            }
        }
    }

    @Test
    void aTokenNotYetValidIsRefusedNamingNbfButWithinTheClockSkewItIsAccepted() throws Exception {
        long skew = TokenClaims.CLOCK_SKEW.toSeconds();
        String future = sign(KEY, claims().put("nbf", NOW.plusSeconds(skew + 60).getEpochSecond()));
        assertThatThrownBy(() -> verify(future)).isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining("'nbf'").hasMessageContaining("not yet valid");
        assertThat(verify(sign(KEY, claims().put("nbf", NOW.plusSeconds(skew - 1).getEpochSecond()))).subject())
                .isEqualTo("resident-4711");
        assertThat(verify(sign(KEY, claims().put("nbf", NOW.minusSeconds(3600).getEpochSecond()))).subject())
                .isEqualTo("resident-4711");
    }

    @Test
    void aTokenIssuedInTheFutureIsRefusedNamingIat() throws Exception {
        long skew = TokenClaims.CLOCK_SKEW.toSeconds();
        String future = sign(KEY, claims().put("iat", NOW.plusSeconds(skew + 60).getEpochSecond()));
        assertThatThrownBy(() -> verify(future)).isInstanceOf(InvalidTokenException.class).hasMessageContaining("'iat'");
        assertThat(verify(sign(KEY, claims().put("iat", NOW.plusSeconds(skew - 1).getEpochSecond()))).city())
                .isEqualTo("musterstadt");
    }

    @Test
    void aSubjectThatBreaksTheTextRuleIsRefused() {
        for (String sub : new String[] {"R-1\u0000", "R-1\n", "R\u202e-1", "jane\uff20example.org"}) {
            assertThatThrownBy(() -> verify(sign(KEY, claims().put("sub", sub)))).as(sub)
                    .isInstanceOf(InvalidTokenException.class).hasMessageContaining("'sub'");
        }
    }
}
