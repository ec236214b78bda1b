package de.prokommun.insights.query.journey;

import de.prokommun.insights.city.CityFiles;
import de.prokommun.insights.city.Participant;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The participants and employers a city knows ({@code <cities>/<city>/participants-catalogue.json}). They are the
 * fixed cells of the per-participant tables: labels never come from the data, so a released table cannot reveal
 * that some participant had a single visitor. Participants outside the catalogue are pooled in "other".
 */
public final class ParticipantCatalogue {

    public static final String FILE_NAME = CityFiles.PARTICIPANTS_CATALOGUE_JSON;

    /**
     * The ids of one city: the catalogue's in catalogue order (the fixed rows of per-participant tables), and the
     * participants registered in the participant directory, who may be named as nodes of a matrix even when the
     * catalogue does not list them (e.g. the stores of an imported history).
     */
    public record CityParticipants(List<String> participants, List<String> employers, Set<String> registered) {
        public CityParticipants {
            participants = List.copyOf(participants);
            employers = List.copyOf(employers);
            registered = Set.copyOf(registered);
        }

        public CityParticipants(List<String> participants, List<String> employers) {
            this(participants, employers, Set.of());
        }

        boolean isParticipant(String id) {
            return participants.isEmpty() || participants.contains(id) || registered.contains(id);
        }
    }

    private final Path citiesDir;
    private final Function<String, Set<String>> registered;
    private final Map<String, CityParticipants> cache = new ConcurrentHashMap<>();

    public ParticipantCatalogue(Path citiesDir) {
        this(citiesDir, city -> Set.of());
    }

    /** {@code registered}: the ids of a city's participants in the participant directory. */
    public ParticipantCatalogue(Path citiesDir, Function<String, Set<String>> registered) {
        this.citiesDir = citiesDir;
        this.registered = registered;
    }

    /** Empty lists when the city has no catalogue (then any well-formed id is accepted and pooled in "other"). */
    public CityParticipants city(String city) {
        return cache.computeIfAbsent(city, c -> {
            CityParticipants listed = load(c);
            return new CityParticipants(listed.participants(), listed.employers(), registered.apply(c));
        });
    }

    /** The catalogue's ids as the city module read them (empty lists for a city without catalogue or without city.json). */
    CityParticipants load(String city) {
        return CityFiles.find(citiesDir, city)
                .map(c -> new CityParticipants(ids(c.participants()), ids(c.employers())))
                .orElseGet(() -> new CityParticipants(List.of(), List.of()));
    }

    private static List<String> ids(List<Participant> list) {
        return list.stream().map(Participant::id).toList();
    }
}
