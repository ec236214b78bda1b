package de.prokommun.insights.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The API keys file the simulator and local mode write: {@code {"city": "...", "keys": {"participant-id": "key"}}}.
 * A secret: written owner-only, never printed.
 */
public final class KeysFile {
    private KeysFile() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    public static Map<String, String> read(Path file) {
        try {
            JsonNode keys = JSON.readTree(file.toFile()).path("keys");
            if (!keys.isObject() || keys.isEmpty()) throw new IllegalArgumentException(file + ": field 'keys' must be a non-empty object");
            Map<String, String> out = new LinkedHashMap<>();
            keys.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read keys file " + file, e);
        }
    }

    public static void write(Path file, String city, Map<String, String> keys) {
        ObjectNode root = JSON.createObjectNode().put("city", city);
        ObjectNode k = root.putObject("keys");
        keys.forEach(k::put);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.deleteIfExists(file);
            Files.createFile(file);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: default permissions
            }
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write keys file " + file, e);
        }
    }
}
