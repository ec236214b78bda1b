package de.prokommun.insights.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.simulator.SimEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The residents a newcomer can sign in as in the local mode: the first ones the city's history registered with
 * consent to analytics (so that the privacy centre has a profile and purchases to show), minus those who withdrew
 * that consent or asked for erasure later in the history. Only synthetic residents of the local mode; kept in the
 * data directory so that a restart offers the same ones.
 */
public final class DemoResidents {
    public static final int COUNT = 3;
    static final String FILE = "demo-residents.txt";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LinkedHashSet<String> candidates = new LinkedHashSet<>();

    /** The same events, observed on their way (the history is fed once and never held in memory). */
    public Iterator<SimEvent> watch(Iterator<SimEvent> events) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return events.hasNext();
            }

            @Override
            public SimEvent next() {
                SimEvent e = events.next();
                observe(e);
                return e;
            }
        };
    }

    void observe(SimEvent e) {
        if (e.resident() == null) return;
        switch (e.type()) {
            case "resident.registered" -> {
                if (data(e).path("consents").path("analytics").asBoolean(false)) candidates.add(e.resident());
            }
            case "consent.changed" -> {
                JsonNode analytics = data(e).path("analytics");
                if (analytics.isBoolean() && !analytics.asBoolean()) candidates.remove(e.resident());
            }
            case "erasure.requested" -> candidates.remove(e.resident());
            default -> { }
        }
    }

    /** The first {@link #COUNT} residents still consenting at the end of what was observed. */
    public List<String> chosen() {
        return candidates.stream().limit(COUNT).toList();
    }

    public static void save(Path dataDir, List<String> residents) {
        try {
            Files.write(dataDir.resolve(FILE), residents);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The residents saved for this data directory; none before the history was fed. */
    public static List<String> read(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) return List.of();
        try {
            return Files.readAllLines(file).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode data(SimEvent e) {
        try {
            return JSON.readTree(e.dataJson());
        } catch (IOException ex) {
            throw new IllegalStateException("simulated event " + e.eventId() + " has unreadable data", ex);
        }
    }
}
