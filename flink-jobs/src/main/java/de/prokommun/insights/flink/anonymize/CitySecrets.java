package de.prokommun.insights.flink.anonymize;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The HMAC secret of each city, parsed from "city:secret[,city:secret]". Never printed: toString and
 * every error message name only the city.
 */
public final class CitySecrets implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Shorter secrets would make the pseudonyms guessable by brute force over resident references. */
    public static final int MIN_SECRET_LENGTH = 16;

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

    Optional<byte[]> secretOf(String city) {
        return Optional.ofNullable(secrets.get(city));
    }

    public Set<String> cities() { return secrets.keySet(); }

    @Override
    public String toString() { return "CitySecrets" + secrets.keySet() + " (secrets masked)"; }
}
