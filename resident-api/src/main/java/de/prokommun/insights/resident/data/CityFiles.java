package de.prokommun.insights.resident.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What the resident API needs of a city's city.json: its time zone and its postcode → district map. */
public final class CityFiles {

    /** What Flink's CityConfig records for a postcode the city does not list. */
    public static final String UNKNOWN_DISTRICT = "unbekannt";
    private static final ObjectMapper JSON = new ObjectMapper();

    public record City(ZoneId timeZone, Map<String, String> districts) {
        public String districtOf(String postcode) {
            return districts.getOrDefault(postcode, UNKNOWN_DISTRICT);
        }
    }

    private final Path citiesDir;
    private final Map<String, City> cache = new ConcurrentHashMap<>();

    public CityFiles(Path citiesDir) {
        this.citiesDir = citiesDir;
    }

    /** The city's settings; a city without city.json gets UTC and no districts. */
    public City city(String name) {
        return cache.computeIfAbsent(name, n -> {
            Path file = citiesDir.resolve(n).resolve("city.json");
            if (!n.matches("[a-z0-9_-]{1,64}") || !Files.isRegularFile(file)) return new City(ZoneId.of("UTC"), Map.of());
            try {
                JsonNode root = JSON.readTree(file.toFile());
                Map<String, String> districts = new HashMap<>();
                root.path("districts").fields().forEachRemaining(e -> districts.put(e.getKey(), e.getValue().asText()));
                return new City(ZoneId.of(root.path("timeZone").asText("UTC")), Map.copyOf(districts));
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
            }
        });
    }
}
