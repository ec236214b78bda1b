package de.prokommun.insights.simulator.emit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.simulator.city.SimParticipant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * API keys for the synthetic city's participants. {@link #write} draws a fresh random key for each
 * participant, writes the participant directory (only SHA-256 digests, the format {@link ParticipantDirectory}
 * loads) and a separate keys file (participant id → key) that the load generator and the local mode's
 * printout use. The keys file is a secret: owner-only permissions where the file system supports them.
 */
public final class ParticipantsFile {
    private ParticipantsFile() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @return the keys by participant id, in catalogue order */
    public static Map<String, String> write(List<SimParticipant> participants, String city, Path directoryFile,
                                            Path keysFile, SecureRandom random) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (SimParticipant p : participants) keys.put(p.id(), newKey(random));
        writeDirectory(participants, city, keys, directoryFile);
        writeKeys(city, keys, keysFile);
        return keys;
    }

    public static String newKey(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return "pk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static void writeDirectory(List<SimParticipant> participants, String city, Map<String, String> keys, Path file) {
        ArrayNode array = JSON.createArrayNode();
        for (SimParticipant p : participants) {
            String key = keys.get(p.id());
            if (key == null) throw new IllegalArgumentException("no API key for participant '" + p.id() + "'");
            array.addObject().put("id", p.id()).put("city", city).put("role", p.role().name()).put("name", p.name())
                    .put("apiKeySha256", ParticipantDirectory.digest(key));
        }
        writeJson(file, array, false);
    }

    public static void writeKeys(String city, Map<String, String> keys, Path file) {
        ObjectNode root = JSON.createObjectNode().put("city", city);
        ObjectNode k = root.putObject("keys");
        keys.forEach(k::put);
        writeJson(file, root, true);
    }

    /** The keys file written by {@link #write}: participant id → API key. */
    public static Map<String, String> readKeys(Path file) {
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

    private static void writeJson(Path file, JsonNode node, boolean secret) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.deleteIfExists(file);
            Files.createFile(file);
            if (secret) {
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system: the file keeps the default permissions
                }
            }
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), node);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
