package de.prokommun.insights.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One participant directory for several cities: the local mode serving more than one city writes each city's
 * directory beside its keys and hands the services one file with all of them, as a deployment's directory is.
 */
final class ParticipantDirectories {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ParticipantDirectories() {}

    /** Writes the entries of every part into {@code into}; a (city, id) named twice is refused. */
    static void merge(List<Path> parts, Path into) {
        ArrayNode all = JSON.createArrayNode();
        Set<String> seen = new HashSet<>();
        for (Path part : parts) {
            for (JsonNode entry : read(part)) {
                String key = entry.path("city").asText() + "/" + entry.path("id").asText();
                if (!seen.add(key)) throw new IllegalArgumentException(part + ": participant " + key + " is in two directories");
                all.add(entry);
            }
        }
        try {
            Files.createDirectories(into.toAbsolutePath().getParent());
            JSON.writerWithDefaultPrettyPrinter().writeValue(into.toFile(), all);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + into, e);
        }
    }

    private static JsonNode read(Path part) {
        try {
            JsonNode node = JSON.readTree(part.toFile());
            if (!node.isArray()) throw new IllegalArgumentException(part + ": a participant directory is a JSON array");
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + part, e);
        }
    }
}
