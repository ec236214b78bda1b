package de.prokommun.insights.flink.city;

import de.prokommun.insights.flink.profile.PersonaRules;
import java.io.Serializable;
import java.time.ZoneId;
import java.util.Map;

/**
 * What the jobs need from one city's configuration directory: postcode → district (city.json "districts"),
 * the age bands, the time zone in which years begin, the persona rules (personas.json) and the per-person
 * clamps of released sums (privacy.json "clamps") and how long purchases are kept (city.json "retention").
 */
public record CityConfig(String city, String timeZone, Map<String, String> districts, AgeBands ageBands,
                         PersonaRules personaRules, PersonMonthClamps clamps, PurchaseRetention retention)
        implements Serializable {

    /** District of a postcode outside the city's configuration (a resident from a neighbouring town). */
    public static final String UNKNOWN_DISTRICT = "unbekannt";

    public CityConfig {
        districts = Map.copyOf(districts);
        if (retention == null) retention = PurchaseRetention.NONE;
        ZoneId.of(timeZone);
    }

    public ZoneId zone() { return ZoneId.of(timeZone); }

    public String districtOf(String postcode) {
        return districts.getOrDefault(postcode == null ? "" : postcode.trim(), UNKNOWN_DISTRICT);
    }
}
