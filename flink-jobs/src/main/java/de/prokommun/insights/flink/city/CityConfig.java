package de.prokommun.insights.flink.city;

import de.prokommun.insights.flink.profile.PersonaRules;
import java.io.Serializable;
import java.time.ZoneId;
import java.util.Map;

/**
 * What the jobs need from one city's configuration directory: postcode → district (city.json "districts"),
 * the age bands, the time zone in which years begin, the persona rules (personas.json) and the per-person
 * clamps of released sums (privacy.json "clamps"), how long purchases are kept (city.json "retention") and the
 * district each participant is located in (participants-catalogue.json, optional: the place of a visit).
 */
public record CityConfig(String city, String timeZone, Map<String, String> districts, AgeBands ageBands,
                         PersonaRules personaRules, PersonMonthClamps clamps, PurchaseRetention retention,
                         Map<String, String> participantPlaces)
        implements Serializable {

    /** A city without a participants catalogue: no visit has a place. */
    public CityConfig(String city, String timeZone, Map<String, String> districts, AgeBands ageBands,
                      PersonaRules personaRules, PersonMonthClamps clamps, PurchaseRetention retention) {
        this(city, timeZone, districts, ageBands, personaRules, clamps, retention, Map.of());
    }

    /** District of a postcode outside the city's configuration (a resident from a neighbouring town). */
    public static final String UNKNOWN_DISTRICT = "unbekannt";

    public CityConfig {
        districts = Map.copyOf(districts);
        participantPlaces = participantPlaces == null ? Map.of() : Map.copyOf(participantPlaces);
        if (retention == null) retention = PurchaseRetention.NONE;
        ZoneId.of(timeZone);
    }

    public ZoneId zone() { return ZONES.computeIfAbsent(timeZone, ZoneId::of); }

    /** Parsed zones by id: the profile chain asks for its city's zone several times per event (1 % of its CPU). */
    private static final java.util.concurrent.ConcurrentHashMap<String, ZoneId> ZONES =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** The district name of the participant's location, or null when the city does not know it. */
    public String placeOf(String participant) {
        return participant == null ? null : participantPlaces.get(participant);
    }

    public String districtOf(String postcode) {
        return districts.getOrDefault(postcode == null ? "" : postcode.trim(), UNKNOWN_DISTRICT);
    }
}
