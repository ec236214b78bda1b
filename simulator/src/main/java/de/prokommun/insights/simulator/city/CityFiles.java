package de.prokommun.insights.simulator.city;

import com.fasterxml.jackson.databind.JsonNode;
import de.prokommun.insights.city.Catalogue;
import de.prokommun.insights.city.City;
import de.prokommun.insights.city.CitySource;
import java.nio.file.Path;

/**
 * The simulator's view of one city's files, from a directory of the repository (cities/&lt;city&gt;) or the jar,
 * which carries the same files under cities/&lt;city&gt;/. city.json, taxonomy.json and participants-catalogue.json
 * are read by the city module ({@link #city()}, {@link #catalogue()}: one strict reader, one set of defaults);
 * the simulator's own files (population.json, behaviour.json) are read here, from the same source.
 */
public class CityFiles {

    private final CitySource source;
    private City city;
    private Catalogue catalogue;

    protected CityFiles(CitySource source) {
        this.source = source;
    }

    public static CityFiles directory(Path dir) {
        return new CityFiles(CitySource.directory(dir));
    }

    public static CityFiles classpath(String city) {
        return new CityFiles(CitySource.classpath(city, CityFiles.class.getClassLoader()));
    }

    public CitySource source() {
        return source;
    }

    /** A file only the simulator reads (population.json, behaviour.json). */
    public JsonNode read(String fileName) {
        return de.prokommun.insights.city.CityFiles.json(source, fileName);
    }

    /** city.json, personas.json and taxonomy.json as the city module reads them (read once). */
    public synchronized City city() {
        if (city == null) city = de.prokommun.insights.city.CityFiles.read(source);
        return city;
    }

    /** The synthetic side of participants-catalogue.json, as the city module reads it (read once). */
    public synchronized Catalogue catalogue() {
        if (catalogue == null) catalogue = de.prokommun.insights.city.CityFiles.catalogue(source);
        return catalogue;
    }

    @Override
    public String toString() {
        return source.toString();
    }

    static String text(JsonNode node, String field, String file) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(file + ": field '" + field + "' is required (non-empty string) in " + node);
        }
        return v.asText();
    }
}
