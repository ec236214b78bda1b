package de.prokommun.insights.resident.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the query service's audit log (JSON lines written by privacy's AuditLog: at, city, role, asker, kind,
 * question, outcome, ...) and tells which participants and operators received answers in a city since a
 * moment: their ids, the kinds of question and the categories asked about, never a figure. The log holds no
 * pseudonym, so this is a superset: every released answer in the city could have included the person.
 */
public final class AuditTrail {

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Parameters of a canonical question that name a product category. */
    private static final Set<String> CATEGORY_PARAMETERS = Set.of("category", "boughtCategory", "categories");

    /** One asker and what they asked; {@code questions} are kinds with the filters named (no values but categories). */
    public record Recipient(String asker, String role, Set<String> kinds, Set<String> about, Set<String> categories,
                            Instant firstAnswer, Instant lastAnswer) {}

    private final Path file;

    public AuditTrail(Path file) {
        this.file = file;
    }

    /** Askers that received released answers about {@code city} at or after {@code since}, by asker id. */
    public List<Recipient> recipients(String city, Instant since) {
        Map<String, Builder> byAsker = new TreeMap<>();
        int unreadable = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) continue;
                try {
                    JsonNode entry = JSON.readTree(line);
                    if (!city.equals(entry.path("city").asText()) || !"RELEASED".equals(entry.path("outcome").asText())) continue;
                    Instant at = Instant.parse(entry.path("at").asText());
                    if (at.isBefore(since)) continue;
                    String role = entry.path("role").asText();
                    String asker = entry.path("asker").asText();
                    byAsker.computeIfAbsent(role + "/" + asker, k -> new Builder(asker, role))
                            .add(at, entry.path("kind").asText(), entry.path("question").asText());
                } catch (IOException | DateTimeParseException e) {
                    unreadable++;
                }
            }
        } catch (NoSuchFileException e) {
            return List.of(); // no question has been asked yet on this installation
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit log " + file, e);
        }
        if (unreadable > 0) LOG.warn("{} unreadable line(s) in the audit log {} were skipped", unreadable, file);
        return byAsker.values().stream().map(Builder::build).toList();
    }

    /** The parameter names of a canonical question ({@code kind?key=value&key=value}, values %-escaped) and its categories. */
    static void parameters(String canonical, Set<String> about, Set<String> categories) {
        int q = canonical.indexOf('?');
        if (q < 0) return;
        for (String pair : canonical.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) continue;
            String key = unescape(pair.substring(0, eq));
            if (key.equals("cell")) continue; // a breakdown's cell label, not a filter
            about.add(key);
            if (CATEGORY_PARAMETERS.contains(key)) {
                for (String value : unescape(pair.substring(eq + 1)).split("(?<!\\\\),")) {
                    String category = value.replace("\\,", ",").replace("\\\\", "\\");
                    int yearSuffix = category.lastIndexOf(':'); // boughtCategory is category:year
                    categories.add(key.equals("boughtCategory") && yearSuffix > 0 ? category.substring(0, yearSuffix) : category);
                }
            }
        }
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                try {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                    continue;
                } catch (NumberFormatException ignored) {
                    // a literal '%' (cannot happen in a canonical form, which escapes it)
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    private static final class Builder {
        final String asker;
        final String role;
        final Set<String> kinds = new TreeSet<>();
        final Set<String> about = new TreeSet<>();
        final Set<String> categories = new TreeSet<>();
        Instant first;
        Instant last;

        Builder(String asker, String role) {
            this.asker = asker;
            this.role = role;
        }

        void add(Instant at, String kind, String question) {
            kinds.add(kind);
            parameters(question, about, categories);
            if (first == null || at.isBefore(first)) first = at;
            if (last == null || at.isAfter(last)) last = at;
        }

        Recipient build() {
            return new Recipient(asker, role, kinds, about, categories, first, last);
        }
    }
}
