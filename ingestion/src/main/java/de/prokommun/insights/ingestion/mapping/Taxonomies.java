package de.prokommun.insights.ingestion.mapping;

import de.prokommun.insights.city.City;
import de.prokommun.insights.city.CityFiles;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The taxonomy of each city, read once from {@code <cities.dir>/<city>/taxonomy.json} through the city module. */
public final class Taxonomies {

    /** The city has no readable taxonomy: a configuration fault, not the caller's. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Path citiesDir;
    private final Map<String, Taxonomy> byCity = new ConcurrentHashMap<>();

    public Taxonomies(Path citiesDir) {
        this.citiesDir = citiesDir;
    }

    public Taxonomy forCity(String city) {
        return byCity.computeIfAbsent(city, this::load);
    }

    private Taxonomy load(String city) {
        City loaded;
        try {
            loaded = CityFiles.find(citiesDir, city).orElse(null);
        } catch (RuntimeException e) {
            throw new Unavailable("the taxonomy of city '" + city + "' cannot be read: " + e.getMessage(), e);
        }
        Path file = citiesDir.resolve(city).resolve(CityFiles.TAXONOMY_JSON);
        if (loaded == null || loaded.categories().isEmpty()) {
            throw new Unavailable("no taxonomy for city '" + city + "' at " + file.toAbsolutePath(), null);
        }
        try {
            return Taxonomy.of(loaded);
        } catch (RuntimeException e) {
            throw new Unavailable("the taxonomy of city '" + city + "' cannot be read: " + e.getMessage(), e);
        }
    }
}
