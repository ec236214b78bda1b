package de.prokommun.insights.city;

import java.io.Serializable;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the pipeline and the services read of one city's directory ({@link CityFiles} reads it): city.json
 * (id, name, time zone, postcode → district, age bands, published interests, interest names, purchase retention), personas.json,
 * taxonomy.json and the participant and employer ids of participants-catalogue.json. Serializable, so that Flink
 * operators can carry it. A file the directory does not have gives empty lists.
 *
 * @param timeZone              the zone in which days, months and years of the city begin ({@link CityFiles#DEFAULT_TIME_ZONE}
 *                              when city.json has none)
 * @param districts             postcode → district name, in file order
 * @param purchaseRetentionYears city.json "retention.purchasesYears"; 0: purchases are kept until retracted or erased
 * @param interestNames         city.json "interests": interest id → German and English name (the portal's interests)
 * @param taxonomy              taxonomy.json's name and version; null when the city has no taxonomy.json
 * @param desks                 the catalogue's "portal" and "operator" (id and name), those it has
 */
public record City(String id, String name, String timeZone, Map<String, String> districts, List<AgeBand> ageBands,
                   List<String> publishedInterests, int purchaseRetentionYears, Map<String, Label> interestNames,
                   List<Persona> personas,
                   List<Category> categories, TaxonomyName taxonomy, List<Participant> participants,
                   List<Participant> employers, List<Participant> desks)
        implements Serializable {

    public City {
        ZoneId.of(timeZone);
        districts = Collections.unmodifiableMap(new LinkedHashMap<>(districts));
        ageBands = List.copyOf(ageBands);
        publishedInterests = List.copyOf(publishedInterests);
        interestNames = Collections.unmodifiableMap(new LinkedHashMap<>(interestNames));
        personas = List.copyOf(personas);
        categories = List.copyOf(categories);
        participants = List.copyOf(participants);
        employers = List.copyOf(employers);
        desks = List.copyOf(desks);
    }

    public ZoneId zone() {
        return ZoneId.of(timeZone);
    }

    /** The district of a postcode, {@link CityFiles#UNKNOWN_DISTRICT} for one outside the city (a neighbouring town). */
    public String districtOf(String postcode) {
        return districts.getOrDefault(postcode == null ? "" : postcode.strip(), CityFiles.UNKNOWN_DISTRICT);
    }

    /** The district names, each once, in file order. */
    public List<String> districtNames() {
        return List.copyOf(new LinkedHashSet<>(districts.values()));
    }

    public List<String> personaIds() {
        return personas.stream().map(Persona::id).toList();
    }

    public Optional<Persona> persona(String id) {
        return personas.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** Every category of either level by id, first levels before their children. */
    public Map<String, Category> categoriesById() {
        Map<String, Category> out = new LinkedHashMap<>();
        for (Category top : categories) {
            out.put(top.id(), top);
            top.children().forEach(c -> out.put(c.id(), c));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Participant id → district name of its location, for participants whose postcode is one of the city's. */
    public Map<String, String> participantPlaces() {
        Map<String, String> places = new LinkedHashMap<>();
        for (Participant p : participants) {
            String district = p.postcode() == null ? null : districts.get(p.postcode());
            if (district != null) places.put(p.id(), district);
        }
        return Collections.unmodifiableMap(places);
    }

    /**
     * What a page shows for a participant: its name in the catalogue (participants, employers, the portal and the
     * operator; the same in both languages), its id for a catalogue entry without a name, and
     * {@link Label#OUTSIDE_CATALOGUE} for an id the catalogue does not list (a participant registered without an
     * entry, the stores of an imported history), never the bare id of an unknown participant.
     */
    public Label participantLabel(String id) {
        for (List<Participant> list : List.of(participants, employers, desks)) {
            for (Participant p : list) {
                if (p.id().equals(id)) return new Label(p.name() == null ? p.id() : p.name(), null);
            }
        }
        return Label.OUTSIDE_CATALOGUE;
    }
}
