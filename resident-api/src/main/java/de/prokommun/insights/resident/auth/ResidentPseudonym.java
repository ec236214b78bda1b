package de.prokommun.insights.resident.auth;

import de.prokommun.insights.contract.CitySecrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A resident's pseudonym exactly as Flink's Pseudonymizer derives it: both use the contract's
 * {@link CitySecrets} (HMAC-SHA256 of "resident:" + reference under the city's secret). Never printed.
 */
public final class ResidentPseudonym {
    private final CitySecrets secrets;

    private ResidentPseudonym(CitySecrets secrets) {
        this.secrets = secrets;
    }

    /** Parses "city:secret[,city:secret]"; errors name the city, never the secret. */
    public static ResidentPseudonym parse(String spec) {
        return new ResidentPseudonym(CitySecrets.parse(spec));
    }

    public Set<String> cities() { return secrets.cities(); }

    /** The pseudonym, or empty when the city has no secret (then it has no data of anyone either). */
    public Optional<String> of(String city, String residentRef) {
        return secrets.pseudonym(city, "resident", residentRef);
    }

    /**
     * The resident's pseudonyms of every generation, generation 0 first (a registration after an erasure opens the
     * next generation; {@link CitySecrets#generationPseudonym}), or empty when the city has no secret.
     */
    public Optional<List<String>> generations(String city, String residentRef) {
        return secrets.newMac(city).map(mac -> {
            String base = CitySecrets.pseudonym(mac, "resident", residentRef);
            List<String> all = new ArrayList<>(CitySecrets.MAX_GENERATION + 1);
            for (int g = 0; g <= CitySecrets.MAX_GENERATION; g++) all.add(CitySecrets.generationPseudonym(mac, base, g));
            return all;
        });
    }

    @Override
    public String toString() { return "ResidentPseudonym" + secrets.cities() + " (secrets masked)"; }
}
