package de.prokommun.insights.query.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The participants and employers a city knows ({@code <cities>/<city>/participants-catalogue.json}). They are the
 * fixed cells of the per-participant tables: labels never come from the data, so a released table cannot reveal
 * that some participant had a single visitor. Participants outside the catalogue are pooled in "other".
 */
public final class ParticipantCatalogue {

    public static final String FILE_NAME = "participants-catalogue.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The ids of one city, in catalogue order. */
    public record CityParticipants(List<String> participants, List<String> employers) {
        public CityParticipants {
            participants = List.copyOf(participants);
            employers = List.copyOf(employers);
        }

        boolean isParticipant(String id) {
            return participants.isEmpty() || participants.contains(id);
        }
    }

    private final Path citiesDir;
    private final Map<String, CityParticipants> cache = new ConcurrentHashMap<>();

    public ParticipantCatalogue(Path citiesDir) {
        this.citiesDir = citiesDir;
    }

    /** Empty lists when the city has no catalogue (then any well-formed id is accepted and pooled in "other"). */
    public CityParticipants city(String city) {
        return cache.computeIfAbsent(city, c -> load(citiesDir.resolve(c).resolve(FILE_NAME)));
    }

    static CityParticipants load(Path file) {
        if (!Files.isRegularFile(file)) return new CityParticipants(List.of(), List.of());
        try {
            JsonNode root = JSON.readTree(file.toFile());
            return new CityParticipants(ids(root.path("participants")), ids(root.path("employers")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.forEach(p -> {
            if (p.path("id").isTextual() && !ids.contains(p.path("id").asText())) ids.add(p.path("id").asText());
        });
        return ids;
    }
}
