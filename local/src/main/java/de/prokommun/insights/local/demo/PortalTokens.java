package de.prokommun.insights.local.demo;

import de.prokommun.insights.resident.auth.TokenVerifier;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Signs resident tokens as the city portal does (HS256 with the key the resident API verifies; claims sub, city,
 * iss, iat, exp) — for the local mode's demo portal only: in production the portal signs, never this engine.
 */
public final class PortalTokens {
    private final JWTAuth signer;
    private final String city;
    private final String issuer;
    private final Duration lifetime;
    private final Clock clock;

    public PortalTokens(Vertx vertx, String key, String city, String issuer, Duration lifetime, Clock clock) {
        this.signer = JWTAuth.create(vertx, TokenVerifier.options(key));
        this.city = city;
        this.issuer = issuer;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** A fresh token for the resident, valid for the lifetime from now. */
    public String tokenFor(String residentRef) {
        Instant now = clock.instant();
        JsonObject claims = new JsonObject().put("sub", residentRef).put("city", city).put("iss", issuer)
                .put("iat", now.getEpochSecond()).put("exp", now.plus(lifetime).getEpochSecond());
        return signer.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true));
    }

    public Duration lifetime() {
        return lifetime;
    }
}
