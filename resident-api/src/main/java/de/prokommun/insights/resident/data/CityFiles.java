package de.prokommun.insights.resident.data;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the resident API needs of a city's files, read through the city module's one reader
 * ({@link de.prokommun.insights.city.CityFiles}) once per city and kept: its time zone, postcode → district map,
 * personas and category names.
 */
public final class CityFiles {

    /** What Flink's CityConfig records for a postcode the city does not list. */
    public static final String UNKNOWN_DISTRICT = de.prokommun.insights.city.CityFiles.UNKNOWN_DISTRICT;

    public record City(ZoneId timeZone, Map<String, String> districts) {
        public String districtOf(String postcode) {
            return districts.getOrDefault(postcode, UNKNOWN_DISTRICT);
        }
    }

    private final Path citiesDir;
    private final Map<String, Optional<de.prokommun.insights.city.City>> cache = new ConcurrentHashMap<>();

    public CityFiles(Path citiesDir) {
        this.citiesDir = citiesDir;
    }

    /** The city's files as the city module read them; empty for a malformed id or a city without city.json. */
    public Optional<de.prokommun.insights.city.City> definition(String name) {
        if (!de.prokommun.insights.city.CityFiles.isCityId(name)) return Optional.empty();
        return cache.computeIfAbsent(name, n -> de.prokommun.insights.city.CityFiles.find(citiesDir, n));
    }

    /** The city's settings; a city without city.json gets the city module's default zone and no districts. */
    public City city(String name) {
        return definition(name).map(c -> new City(c.zone(), c.districts()))
                .orElseGet(() -> new City(ZoneId.of(de.prokommun.insights.city.CityFiles.DEFAULT_TIME_ZONE), Map.of()));
    }
}
