package de.prokommun.insights.resident.auth;

import de.prokommun.insights.validation.StrictText;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;

/**
 * The claims a resident token must carry once its signature is verified: {@code sub} (the portal's resident
 * reference), {@code city}, {@code exp} in the future and {@code iss} equal to the configured issuer; optional
 * {@code nbf} (not before) and {@code iat} (issued at) are honoured with {@link #CLOCK_SKEW}. Every claim is
 * checked by type — the time claims must be whole seconds since the epoch — and each refusal names the claim,
 * so the portal's developers see at once what their token lacks (a string {@code exp} is a 401, never a 500).
 * {@code sub} follows the write path's text rule ({@link StrictText}) and is used in NFC, as ingestion stores
 * the same reference. {@code issuedAt} is null when the token carries no {@code iat}.
 */
public record TokenClaims(String subject, String city, Instant expiresAt, Instant issuedAt) {

    /** The portal's resident references are 1–64 characters (docs/EVENTS.md). */
    static final int MAX_SUBJECT_LENGTH = 64;
    /** How far the portal's clock may run ahead of ours for {@code nbf} and {@code iat}. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    /** 9999-12-31T23:59:59Z: beyond it a time claim is not a plausible instant. */
    private static final long MAX_EPOCH_SECOND = 253_402_300_799L;

    public static TokenClaims check(JsonObject payload, String issuer, Instant now) {
        Instant expiresAt = time(payload, "exp", "expiry");
        if (expiresAt == null) throw new InvalidTokenException("token lacks the claim 'exp' (expiry, seconds since the epoch)");
        if (!expiresAt.isAfter(now)) throw new InvalidTokenException("token expired: claim 'exp' is " + expiresAt + ", before now");
        Instant notBefore = time(payload, "nbf", "not before");
        if (notBefore != null && notBefore.isAfter(now.plus(CLOCK_SKEW))) {
            throw new InvalidTokenException("token not yet valid: claim 'nbf' is " + notBefore + ", after now (allowed clock skew "
                    + CLOCK_SKEW.toSeconds() + " s)");
        }
        Instant issuedAt = time(payload, "iat", "issued at");
        if (issuedAt != null && issuedAt.isAfter(now.plus(CLOCK_SKEW))) {
            throw new InvalidTokenException("claim 'iat' is " + issuedAt + ": a token cannot be issued in the future (allowed"
                    + " clock skew " + CLOCK_SKEW.toSeconds() + " s)");
        }
        Object iss = payload.getValue("iss");
        if (iss == null) throw new InvalidTokenException("token lacks the claim 'iss'; expected '" + issuer + "'");
        if (!issuer.equals(iss)) throw new InvalidTokenException("claim 'iss' is not the configured issuer '" + issuer + "'");
        String subject = text(payload, "sub", "the resident reference");
        if (subject.codePointCount(0, subject.length()) > MAX_SUBJECT_LENGTH) {
            throw new InvalidTokenException("claim 'sub' is longer than " + MAX_SUBJECT_LENGTH + " characters");
        }
        if (StrictText.looksLikeEmail(subject)) {
            throw new InvalidTokenException("claim 'sub' must be the portal's resident reference, never an e-mail address");
        }
        String city = text(payload, "city", "the resident's city");
        return new TokenClaims(subject, city, expiresAt, issuedAt);
    }

    /** The time claims, where present, are whole seconds since the epoch (checked before the signature). */
    static void checkTimeClaimTypes(JsonObject payload) {
        time(payload, "exp", "expiry");
        time(payload, "nbf", "not before");
        time(payload, "iat", "issued at");
    }

    /** A NumericDate claim: whole seconds since the epoch, 0 … 9999-12-31; null if absent. */
    private static Instant time(JsonObject payload, String claim, String meaning) {
        Object value = payload.getValue(claim);
        if (value == null) return null;
        Long seconds = wholeSeconds(value);
        if (seconds == null || seconds < 0 || seconds > MAX_EPOCH_SECOND) {
            throw new InvalidTokenException("claim '" + claim + "' (" + meaning + ") must be a whole number of seconds since"
                    + " the epoch, but is " + describe(value));
        }
        return Instant.ofEpochSecond(seconds);
    }

    private static Long wholeSeconds(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) return big.bitLength() < 64 ? big.longValue() : null;
        if (value instanceof BigDecimal dec) {
            try {
                return dec.longValueExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 1e15) return (long) d;
        }
        return null;
    }

    private static String describe(Object value) {
        if (value instanceof String) return "a string";
        if (value instanceof Boolean) return "a boolean";
        if (value instanceof Number n) return n.toString();
        return "a JSON " + (value instanceof JsonObject ? "object" : "array");
    }

    private static String text(JsonObject payload, String claim, String meaning) {
        Object value = payload.getValue(claim);
        if (value == null) throw new InvalidTokenException("token lacks the claim '" + claim + "' (" + meaning + ")");
        if (!(value instanceof String s) || s.isBlank()) {
            throw new InvalidTokenException("claim '" + claim + "' must be a non-empty string (" + meaning + ")");
        }
        StrictText.Checked checked = StrictText.check(s, StrictText.Kind.IDENTIFIER);
        if (!checked.ok()) throw new InvalidTokenException("claim '" + claim + "' " + checked.problem());
        return checked.value();
    }
}
