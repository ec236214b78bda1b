package de.prokommun.insights.contract;

import java.io.Serializable;
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
 * The HMAC secret of each city, parsed from "city:secret[,city:secret]" (config key anonymise.city-secrets),
 * and the one definition of a pseudonym: base64url without padding of HMAC-SHA256(secret, kind + ":" + ref).
 * Flink's Pseudonymizer and the resident API both derive pseudonyms here. Never printed: toString and every
 * error message name only the city.
 */
public final class CitySecrets implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Shorter secrets would make the pseudonyms guessable by brute force over resident references. */
    public static final int MIN_SECRET_LENGTH = 16;
    private static final String HMAC = "HmacSHA256";

    private final Map<String, byte[]> secrets;

    private CitySecrets(Map<String, byte[]> secrets) {
        this.secrets = Map.copyOf(secrets);
    }

    public static CitySecrets parse(String spec) {
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
        return new CitySecrets(secrets);
    }

    public boolean has(String city) {
        return secrets.containsKey(city);
    }

    /** A keyed MAC for the city (callers may cache it per thread: a Mac is not thread-safe). */
    public Optional<Mac> newMac(String city) {
        byte[] secret = secrets.get(city);
        if (secret == null) return Optional.empty();
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret, HMAC));
            return Optional.of(mac);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The pseudonym of a reference of the given kind ("resident", "card") under the MAC's city secret. */
    public static String pseudonym(Mac mac, String kind, String reference) {
        byte[] digest = mac.doFinal((kind + ":" + reference).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    /**
     * Highest pseudonym generation: a resident who registers again after an erasure gets the next generation
     * (docs/PRIVACY.md, "Erasure is final"); beyond this one the last generation is kept, and the resident API
     * looks up generations 0 … MAX_GENERATION only.
     */
    public static final int MAX_GENERATION = 63;

    /**
     * The pseudonym of a resident in a generation: generation 0 is the resident pseudonym itself (unchanged
     * since before generations existed); generation g ≥ 1 is HMAC-SHA256(secret, "resident-generation:" +
     * resident pseudonym + ":" + g), unlinkable to the earlier generations without the city's secret.
     */
    public static String generationPseudonym(Mac mac, String residentPseudonym, int generation) {
        if (generation < 0 || generation > MAX_GENERATION) {
            throw new IllegalArgumentException("generation must be 0.." + MAX_GENERATION + ", is " + generation);
        }
        if (generation == 0) return residentPseudonym;
        return pseudonym(mac, "resident-generation", residentPseudonym + ":" + generation);
    }

    /** The pseudonym, or empty when the city has no secret. */
    public Optional<String> pseudonym(String city, String kind, String reference) {
        return newMac(city).map(mac -> pseudonym(mac, kind, reference));
    }

    public Set<String> cities() { return secrets.keySet(); }

    @Override
    public String toString() { return "CitySecrets" + secrets.keySet() + " (secrets masked)"; }
}
