package de.prokommun.insights.resident.auth;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The claims a resident token must carry once its signature is verified: {@code sub} (the portal's resident
 * reference), {@code city}, {@code exp} in the future and {@code iss} equal to the configured issuer. Each
 * refusal names the claim, so the portal's developers see at once what their token lacks.
 */
public record TokenClaims(String subject, String city, Instant expiresAt) {

    /** The portal's resident references are 1–64 characters (docs/EVENTS.md). */
    static final int MAX_SUBJECT_LENGTH = 64;

    public static TokenClaims check(JsonObject payload, String issuer, Instant now) {
        Object exp = payload.getValue("exp");
        if (exp == null) throw new InvalidTokenException("token lacks the claim 'exp' (expiry, seconds since the epoch)");
        if (!(exp instanceof Number seconds)) throw new InvalidTokenException("claim 'exp' must be a number of seconds since the epoch");
        Instant expiresAt = Instant.ofEpochSecond(seconds.longValue());
        if (!expiresAt.isAfter(now)) throw new InvalidTokenException("token expired: claim 'exp' is " + expiresAt + ", before now");
        Object iss = payload.getValue("iss");
        if (iss == null) throw new InvalidTokenException("token lacks the claim 'iss'; expected '" + issuer + "'");
        if (!issuer.equals(iss)) throw new InvalidTokenException("claim 'iss' is not the configured issuer '" + issuer + "'");
        String subject = text(payload, "sub", "the resident reference");
        if (subject.length() > MAX_SUBJECT_LENGTH) {
            throw new InvalidTokenException("claim 'sub' is longer than " + MAX_SUBJECT_LENGTH + " characters");
        }
        String city = text(payload, "city", "the resident's city");
        return new TokenClaims(subject, city, expiresAt);
    }

    private static String text(JsonObject payload, String claim, String meaning) {
        Object value = payload.getValue(claim);
        if (value == null) throw new InvalidTokenException("token lacks the claim '" + claim + "' (" + meaning + ")");
        if (!(value instanceof String s) || s.isBlank()) {
            throw new InvalidTokenException("claim '" + claim + "' must be a non-empty string (" + meaning + ")");
        }
        return s;
    }
}
