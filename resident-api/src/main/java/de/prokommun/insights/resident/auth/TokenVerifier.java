package de.prokommun.insights.resident.auth;

import de.prokommun.insights.validation.StrictText;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;

/**
 * Verifies the portal's resident tokens: the signature with Vert.x's JWT provider (HS256 with a shared
 * secret, or RS256 with the portal's public key), then the claims with {@link TokenClaims} against this
 * verifier's clock, so every refusal can name the claim that failed.
 */
public final class TokenVerifier {

    /** HS256 needs a key at least as long as its output to keep its strength. */
    public static final int MIN_HMAC_KEY_BYTES = 32;

    private final JWTAuth signatures;
    private final String issuer;
    private final Clock clock;

    private TokenVerifier(JWTAuth signatures, String issuer, Clock clock) {
        this.signatures = signatures;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** {@code key} is an HS256 secret, or a PEM public key ("-----BEGIN PUBLIC KEY-----") for RS256. */
    public static TokenVerifier create(Vertx vertx, String key, String issuer, Clock clock) {
        return new TokenVerifier(JWTAuth.create(vertx, options(key)), issuer, clock);
    }

    /** The provider options for the key; fails naming the problem when the key is unusable. */
    public static JWTAuthOptions options(String key) {
        PubSecKeyOptions pubSec;
        if (key.contains("BEGIN PUBLIC KEY")) {
            pubSec = new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(key);
        } else {
            if (key.getBytes(StandardCharsets.UTF_8).length < MIN_HMAC_KEY_BYTES) {
                throw new IllegalArgumentException("resident.jwt.key: an HS256 key needs at least "
                        + MIN_HMAC_KEY_BYTES + " bytes");
            }
            pubSec = new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(key);
        }
        // Expiry is checked by TokenClaims against the verifier's clock, with a message naming the claim.
        return new JWTAuthOptions().addPubSecKey(pubSec).setJWTOptions(new JWTOptions().setIgnoreExpiration(true));
    }

    /** The token's claims; fails with {@link InvalidTokenException} for a bad signature or a bad claim. */
    public Future<TokenClaims> verify(String token) {
        if (token.chars().filter(c -> c == '.').count() != 2) {
            return Future.failedFuture(new InvalidTokenException("not a JWT: expected three base64url parts separated by '.'"));
        }
        JsonObject payload;
        try {
            payload = payload(token);
            // Vert.x reads exp/nbf/iat as numbers while verifying and throws on another type: check types first
            TokenClaims.checkTimeClaimTypes(payload);
        } catch (InvalidTokenException e) {
            return Future.failedFuture(e);
        }
        Future<?> authenticated;
        try {
            authenticated = signatures.authenticate(new TokenCredentials(token));
        } catch (RuntimeException e) {
            authenticated = Future.failedFuture(e);
        }
        return authenticated
                .recover(e -> Future.failedFuture(new InvalidTokenException(
                        "token signature or format not accepted (wrong key or algorithm)")))
                .map(user -> TokenClaims.check(payload, issuer, clock.instant()));
    }

    /** The payload of a token (its signature is verified separately). */
    private static JsonObject payload(String token) {
        String part = token.substring(token.indexOf('.') + 1, token.lastIndexOf('.'));
        try {
            return new JsonObject(StrictText.decodeUtf8(Base64.getUrlDecoder().decode(part)));
        } catch (StrictText.MalformedUtf8 e) {
            throw new InvalidTokenException("token payload is not valid UTF-8");
        } catch (RuntimeException e) {
            throw new InvalidTokenException("token payload is not a JSON object");
        }
    }
}
