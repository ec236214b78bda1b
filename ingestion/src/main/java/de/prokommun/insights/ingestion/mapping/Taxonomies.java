package de.prokommun.insights.ingestion.mapping;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The taxonomy of each city, read once from {@code <cities.dir>/<city>/taxonomy.json}. */
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
        Path file = citiesDir.resolve(city).resolve("taxonomy.json");
        if (!Files.isRegularFile(file)) {
            throw new Unavailable("no taxonomy for city '" + city + "' at " + file.toAbsolutePath(), null);
        }
        try {
            return Taxonomy.load(file);
        } catch (RuntimeException e) {
            throw new Unavailable("the taxonomy of city '" + city + "' cannot be read: " + e.getMessage(), e);
        }
    }
}
