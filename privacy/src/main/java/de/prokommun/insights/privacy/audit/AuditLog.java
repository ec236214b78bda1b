package de.prokommun.insights.privacy.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.prokommun.insights.privacy.AskerRole;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The audit trail of every question, for the city's data protection officer: append-only JSON lines in a file
 * — released answers and budget refusals ({@link AuditEntry}) and every other refused request ({@link RefusalEntry})
 * (or in memory for tests). Free text is redacted ({@link Redaction}) before it is written, so a pseudonym or
 * secret that slipped into a question never reaches the log. Writing fails loudly: an answer whose question
 * cannot be audited is not released.
 */
public final class AuditLog implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final BufferedWriter writer;
    private final List<AuditEntry> memory;
    private final List<RefusalEntry> refusalMemory = new ArrayList<>();

    private AuditLog(Path file) {
        this.file = file;
        if (file == null) {
            writer = null;
            memory = new ArrayList<>();
            return;
        }
        memory = null;
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the audit log " + file, e);
        }
    }

    public static AuditLog toFile(Path file) {
        return new AuditLog(Objects.requireNonNull(file, "file"));
    }

    public static AuditLog inMemory() {
        return new AuditLog(null);
    }

    public void record(AuditEntry entry) {
        AuditEntry clean = redacted(entry);
        if (writer == null) {
            synchronized (memory) {
                memory.add(clean);
            }
            return;
        }
        append(toJson(clean));
    }

    /** Records a refused request (issue 15): same log, outcome {@link RefusalEntry#OUTCOME}, reason redacted. */
    public void record(RefusalEntry entry) {
        RefusalEntry clean = new RefusalEntry(entry.at(), entry.city(), entry.role(), Redaction.redact(entry.askerId()),
                redactSegments(entry.route()), entry.status(), Redaction.redact(entry.reason()), entry.fingerprint());
        if (writer == null) {
            synchronized (memory) {
                refusalMemory.add(clean);
            }
            return;
        }
        append(toJson(clean));
    }

    /** A route is redacted per path segment: the path's slashes would otherwise join its segments into one "token". */
    private static String redactSegments(String route) {
        String[] parts = route.split("/", -1);
        for (int i = 0; i < parts.length; i++) parts[i] = Redaction.redact(parts[i]);
        return String.join("/", parts);
    }

    private void append(ObjectNode line) {
        synchronized (writer) {
            try {
                writer.write(JSON.writeValueAsString(line));
                writer.newLine();
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append to the audit log " + file, e);
            }
        }
    }

    /** The refusals of one city (null: all, "" : requests with an unknown key) with {@code from <= at < to}, oldest first. */
    public List<RefusalEntry> refusals(String city, Instant from, Instant to) {
        List<RefusalEntry> all = new ArrayList<>();
        if (writer == null) {
            synchronized (memory) {
                all.addAll(refusalMemory);
            }
        } else {
            for (JsonNode n : lines()) {
                if (RefusalEntry.OUTCOME.equals(n.path("outcome").asText())) all.add(refusalFromJson(n));
            }
        }
        return all.stream()
                .filter(e -> city == null || e.city().equals(city))
                .filter(e -> !e.at().isBefore(from) && e.at().isBefore(to))
                .toList();
    }

    private List<JsonNode> lines() {
        List<JsonNode> out = new ArrayList<>();
        synchronized (writer) {
            try {
                writer.flush();
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) out.add(JSON.readTree(line));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the audit log " + file, e);
            }
        }
        return out;
    }

    /** Every entry with {@code from <= at < to}, oldest first. */
    public List<AuditEntry> read(Instant from, Instant to) {
        return read(null, from, to);
    }

    /** The entries of one city (null: all cities) with {@code from <= at < to}, oldest first. */
    public List<AuditEntry> read(String city, Instant from, Instant to) {
        List<AuditEntry> all = new ArrayList<>();
        if (writer == null) {
            synchronized (memory) {
                all.addAll(memory);
            }
        } else {
            for (JsonNode n : lines()) {
                // refused requests share the file; they are read by refusals()
                if (!RefusalEntry.OUTCOME.equals(n.path("outcome").asText())) all.add(fromJson(n));
            }
        }
        return all.stream()
                .filter(e -> city == null || e.city().equals(city))
                .filter(e -> !e.at().isBefore(from) && e.at().isBefore(to))
                .toList();
    }

    private static AuditEntry redacted(AuditEntry e) {
        return new AuditEntry(e.at(), e.city(), e.role(), e.askerId(), Redaction.redact(e.kind()),
                Redaction.redact(e.canonicalForm()), Redaction.redact(e.dataVersion()), e.measure(),
                e.epsilonSpent(), e.cells(), e.suppressedCells(), e.repeated(), e.outcome(), e.rhoSpent());
    }

    private static ObjectNode toJson(AuditEntry e) {
        return JSON.createObjectNode()
                .put("at", e.at().toString())
                .put("city", e.city())
                .put("role", e.role().name())
                .put("asker", e.askerId())
                .put("kind", e.kind())
                .put("question", e.canonicalForm())
                .put("dataVersion", e.dataVersion())
                .put("measure", e.measure())
                .put("epsilon", e.epsilonSpent())
                .put("cells", e.cells())
                .put("suppressedCells", e.suppressedCells())
                .put("repeated", e.repeated())
                .put("outcome", e.outcome().name())
                .put("rho", e.rhoSpent());
    }

    private static ObjectNode toJson(RefusalEntry e) {
        return JSON.createObjectNode()
                .put("at", e.at().toString())
                .put("city", e.city())
                .put("role", e.role())
                .put("asker", e.askerId())
                .put("route", e.route())
                .put("status", e.status())
                .put("reason", e.reason())
                .put("fingerprint", e.fingerprint())
                .put("outcome", RefusalEntry.OUTCOME);
    }

    private static RefusalEntry refusalFromJson(JsonNode n) {
        return new RefusalEntry(Instant.parse(n.get("at").asText()), n.path("city").asText(""), n.path("role").asText(""),
                n.path("asker").asText(""), n.path("route").asText(""), n.path("status").asInt(),
                n.path("reason").asText(""), n.path("fingerprint").asText(""));
    }

    private static AuditEntry fromJson(JsonNode n) {
        return new AuditEntry(Instant.parse(n.get("at").asText()), n.get("city").asText(),
                AskerRole.valueOf(n.get("role").asText()), n.get("asker").asText(), n.get("kind").asText(),
                n.get("question").asText(), n.get("dataVersion").asText(), n.get("measure").asText(),
                n.get("epsilon").asDouble(), n.get("cells").asInt(), n.get("suppressedCells").asInt(),
                n.get("repeated").asBoolean(), AuditEntry.Outcome.valueOf(n.get("outcome").asText()),
                n.hasNonNull("rho") ? n.get("rho").asDouble() : 0); // lines written before issue 13 have no ρ
    }

    @Override
    public void close() {
        if (writer == null) return;
        synchronized (writer) {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
