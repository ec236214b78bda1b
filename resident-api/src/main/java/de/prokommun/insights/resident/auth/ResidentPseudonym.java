package de.prokommun.insights.resident.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A resident's pseudonym exactly as Flink's Pseudonymizer derives it: base64url without padding of
 * HMAC-SHA256(city secret, "resident:" + resident reference). The secrets are parsed from the same
 * "city:secret[,city:secret]" value and never printed.
 */
public final class ResidentPseudonym {
    private static final String HMAC = "HmacSHA256";
    /** The Flink side refuses shorter secrets; a shorter one here would never match anything. */
    static final int MIN_SECRET_LENGTH = 16;

    private final Map<String, byte[]> secrets;

    private ResidentPseudonym(Map<String, byte[]> secrets) {
        this.secrets = Map.copyOf(secrets);
    }

    /** Parses "city:secret[,city:secret]"; errors name the city, never the secret. */
    public static ResidentPseudonym parse(String spec) {
        if (spec == null || spec.isBlank()) throw new IllegalArgumentException("anonymise.city-secrets: no city secret given");
        Map<String, byte[]> secrets = new HashMap<>();
        for (String entry : spec.split(",")) {
            int colon = entry.indexOf(':');
            if (colon <= 0) throw new IllegalArgumentException("anonymise.city-secrets: entries must be city:secret");
            String city = entry.substring(0, colon).trim();
            String secret = entry.substring(colon + 1).trim();
            if (secret.length() < MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException("anonymise.city-secrets: the secret of city '" + city
                        + "' must have at least " + MIN_SECRET_LENGTH + " characters");
            }
            if (secrets.put(city, secret.getBytes(StandardCharsets.UTF_8)) != null) {
                throw new IllegalArgumentException("anonymise.city-secrets: city '" + city + "' given twice");
            }
        }
        return new ResidentPseudonym(secrets);
    }

    public Set<String> cities() { return secrets.keySet(); }

    /** The pseudonym, or empty when the city has no secret (then it has no data of anyone either). */
    public Optional<String> of(String city, String residentRef) {
        byte[] secret = secrets.get(city);
        if (secret == null) return Optional.empty();
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret, HMAC));
            byte[] digest = mac.doFinal(("resident:" + residentRef).getBytes(StandardCharsets.UTF_8));
            return Optional.of(Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() { return "ResidentPseudonym" + secrets.keySet() + " (secrets masked)"; }
}
