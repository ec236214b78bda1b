package de.prokommun.insights.flink.city;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.flink.profile.PersonaRules;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every city configured under the cities directory ({@code <dir>/<city>/city.json}, optional
 * {@code personas.json}, {@code privacy.json}, of which the jobs read only the clamps, and
 * {@code participants-catalogue.json}, of which they read only each participant's district). Loaded once when a job is built and shipped with the operators.
 */
public final class CityCatalog implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PARTICIPANTS_CATALOGUE = "participants-catalogue.json";

    private final Map<String, CityConfig> cities;

    public CityCatalog(Map<String, CityConfig> cities) {
        this.cities = Map.copyOf(cities);
    }

    public static CityCatalog load(Path citiesDir) {
        if (!Files.isDirectory(citiesDir)) {
            throw new IllegalArgumentException("cities directory " + citiesDir.toAbsolutePath() + " does not exist");
        }
        Map<String, CityConfig> cities = new HashMap<>();
        try (Stream<Path> dirs = Files.list(citiesDir)) {
            for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve("city.json"))).toList()) {
                CityConfig city = loadCity(dir);
                cities.put(city.city(), city);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + citiesDir, e);
        }
        return new CityCatalog(cities);
    }

    static CityConfig loadCity(Path dir) {
        Path file = dir.resolve("city.json");
        PersonMonthClamps clamps = clampsOf(dir);
        try {
            JsonNode root = JSON.readTree(file.toFile());
            String city = required(root, "city", file).asText();
            String zone = root.path("timeZone").asText("Europe/Berlin");
            Map<String, String> districts = new HashMap<>();
            required(root, "districts", file).fields().forEachRemaining(e -> districts.put(e.getKey(), e.getValue().asText()));
            List<AgeBands.Band> bands = new ArrayList<>();
            for (JsonNode b : required(root, "ageBands", file)) {
                bands.add(new AgeBands.Band(b.path("band").asText(), b.path("from").asInt(), b.path("to").asInt()));
            }
            Path personas = dir.resolve("personas.json");
            PersonaRules rules = Files.isRegularFile(personas) ? PersonaRules.load(personas) : PersonaRules.none();
            return new CityConfig(city, zone, districts, new AgeBands(bands), rules, clamps,
                    PurchaseRetention.of(root, file.toString()), participantPlaces(dir, districts));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Participant id → district name from {@code participants-catalogue.json} ({@code participants[].district} is a
     * postcode of city.json "districts"); a participant without a district or with an unknown postcode has no place.
     */
    static Map<String, String> participantPlaces(Path dir, Map<String, String> districts) {
        Path file = dir.resolve(PARTICIPANTS_CATALOGUE);
        if (!Files.isRegularFile(file)) return Map.of();
        try {
            JsonNode participants = JSON.readTree(file.toFile()).get("participants");
            if (participants == null || participants.isNull()) return Map.of();
            if (!participants.isArray()) throw new IllegalArgumentException(file + ": field 'participants' must be an array");
            Map<String, String> places = new HashMap<>();
            int i = 0;
            for (JsonNode p : participants) {
                JsonNode id = p.get("id");
                if (id == null || !id.isTextual() || id.asText().isBlank()) {
                    throw new IllegalArgumentException(file + ": field 'participants[" + i + "].id' is required");
                }
                String place = districts.get(p.path("district").asText("").trim());
                if (place != null) places.put(id.asText(), place);
                i++;
            }
            return places;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static PersonMonthClamps clampsOf(Path dir) {
        Path file = dir.resolve(PersonMonthClamps.FILE_NAME);
        if (!Files.isRegularFile(file)) return PersonMonthClamps.DEFAULT;
        try {
            return PersonMonthClamps.of(JSON.readTree(file.toFile()), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode root, String field, Path file) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) throw new IllegalArgumentException(file + ": field '" + field + "' is required");
        return n;
    }

    public Optional<CityConfig> city(String name) {
        return Optional.ofNullable(name == null ? null : cities.get(name));
    }

    public java.util.Set<String> names() { return cities.keySet(); }
}
