package de.prokommun.insights.simulator.city;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a city's JSON files come from: a directory of the repository (cities/&lt;city&gt;) or the jar, which
 * carries the same files under cities/&lt;city&gt;/.
 */
public abstract class CityFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    public abstract JsonNode read(String fileName);

    public static CityFiles directory(Path dir) {
        return new CityFiles() {
            @Override
            public JsonNode read(String fileName) {
                Path file = dir.resolve(fileName);
                if (!Files.isRegularFile(file)) throw new IllegalArgumentException("city file missing: " + file);
                try {
                    return JSON.readTree(file.toFile());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read city file " + file, e);
                }
            }

            @Override
            public String toString() { return dir.toString(); }
        };
    }

    public static CityFiles classpath(String city) {
        return new CityFiles() {
            @Override
            public JsonNode read(String fileName) {
                String resource = "cities/" + city + "/" + fileName;
                try (InputStream in = CityFiles.class.getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) throw new IllegalArgumentException("city file missing on classpath: " + resource);
                    return JSON.readTree(in);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read city file " + resource, e);
                }
            }

            @Override
            public String toString() { return "classpath:cities/" + city; }
        };
    }

    static String text(JsonNode node, String field, String file) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(file + ": field '" + field + "' is required (non-empty string) in " + node);
        }
        return v.asText();
    }

    static int integer(JsonNode node, String field, String file) {
        JsonNode v = node.get(field);
        if (v == null || !v.canConvertToInt()) {
            throw new IllegalArgumentException(file + ": field '" + field + "' is required (integer) in " + node);
        }
        return v.asInt();
    }
}
