package de.prokommun.insights.local.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.resident.auth.InvalidTokenException;
import de.prokommun.insights.resident.auth.TokenClaims;
import de.prokommun.insights.resident.auth.TokenVerifier;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The demo portal's tokens against the resident API's own verifier. */
class PortalTokensTest {
    private static final String KEY = "a-local-resident-jwt-key-of-32-bytes-or-more";
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theResidentApiAcceptsTheTokenForTheResidentAndCity() throws Exception {
        PortalTokens tokens = new PortalTokens(vertx, KEY, "musterstadt", "prokommun-portal", Duration.ofHours(1), Clock.systemUTC());
        TokenClaims claims = verify(TokenVerifier.create(vertx, KEY, "prokommun-portal", Clock.systemUTC()),
                tokens.tokenFor("R-0000012"));
        assertThat(claims.subject()).isEqualTo("R-0000012");
        assertThat(claims.city()).isEqualTo("musterstadt");
        assertThat(Duration.between(claims.issuedAt(), claims.expiresAt())).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aTokenExpiresAfterItsLifetimeAndNeedsTheRightKeyAndIssuer() throws Exception {
        Instant issued = Instant.parse("2026-12-04T10:00:00Z");
        PortalTokens tokens = new PortalTokens(vertx, KEY, "musterstadt", "prokommun-portal", Duration.ofHours(1),
                Clock.fixed(issued, ZoneOffset.UTC));
        String token = tokens.tokenFor("R-0000012");
        Clock later = Clock.fixed(issued.plus(Duration.ofMinutes(61)), ZoneOffset.UTC);
        assertThatThrownBy(() -> verify(TokenVerifier.create(vertx, KEY, "prokommun-portal", later), token))
                .hasRootCauseInstanceOf(InvalidTokenException.class).rootCause().hasMessageContaining("exp");
        Clock within = Clock.fixed(issued.plus(Duration.ofMinutes(59)), ZoneOffset.UTC);
        assertThat(verify(TokenVerifier.create(vertx, KEY, "prokommun-portal", within), token)).isNotNull();
        assertThatThrownBy(() -> verify(TokenVerifier.create(vertx, KEY + "-other", "prokommun-portal", within), token))
                .hasRootCauseInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> verify(TokenVerifier.create(vertx, KEY, "another-portal", within), token))
                .hasRootCauseInstanceOf(InvalidTokenException.class).rootCause().hasMessageContaining("iss");
    }

    private static TokenClaims verify(TokenVerifier verifier, String token) throws Exception {
        return verifier.verify(token).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
