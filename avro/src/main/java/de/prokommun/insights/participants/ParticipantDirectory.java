package de.prokommun.insights.participants;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API keys of participants, portal and operators. Only SHA-256 digests of the keys are stored, so
 * the directory file itself is not a secret. File format (JSON array):
 * {@code [{"id":"baeckerei-schmidt","city":"musterstadt","role":"PARTICIPANT","name":"Bäckerei Schmidt",
 * "apiKeySha256":"<hex>"}]}.
 */
public final class ParticipantDirectory {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, Participant> byKeyDigest;
    private final Map<String, Participant> byId;

    public ParticipantDirectory(Map<String, Participant> byKeyDigest) {
        this.byKeyDigest = Map.copyOf(byKeyDigest);
        Map<String, Participant> ids = new HashMap<>();
        byKeyDigest.values().forEach(p -> ids.put(p.city() + "/" + p.id(), p));
        this.byId = Map.copyOf(ids);
    }

    public static ParticipantDirectory load(Path file) {
        try {
            Map<String, Participant> entries = new HashMap<>();
            for (JsonNode n : JSON.readTree(file.toFile())) {
                Participant p = new Participant(n.path("id").asText(), n.path("city").asText(),
                        Role.valueOf(n.path("role").asText()), n.path("name").asText(n.path("id").asText()));
                entries.put(n.path("apiKeySha256").asText().toLowerCase(), p);
            }
            return new ParticipantDirectory(entries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read participant directory " + file, e);
        }
    }

    /** The participant whose key this is; digests are compared, never the keys themselves. */
    public Optional<Participant> authenticate(String apiKey) {
        if (apiKey == null || apiKey.isBlank()) return Optional.empty();
        return Optional.ofNullable(byKeyDigest.get(digest(apiKey)));
    }

    public Optional<Participant> find(String city, String id) {
        return Optional.ofNullable(byId.get(city + "/" + id));
    }

    /** The city's members with {@code role}, ordered by id (ids and display names only, never a key). */
    public List<Participant> members(String city, Role role) {
        return byId.values().stream().filter(p -> p.city().equals(city) && p.role() == role)
                .sorted(Comparator.comparing(Participant::id)).toList();
    }

    public static String digest(String apiKey) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
