package de.prokommun.insights.query.publication;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The latest journey and voucher release of each city on disk ({@code <dir>/<city>.journey.json}, beside the
 * audience publication), replaced atomically. Only released values: the published figures and the noisy
 * measurements, never a true figure.
 *
 * <p>Format: {@code {"city", "id", "month", "publishedAt", "dataAsOf", "rho", "participants": [..], "employers":
 * [..], "noise": {group: σ²}, "figures": {month: {group: {label: n}}}, "measured": {same shape}}}.
 */
public final class JourneyStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final CityJsonFiles files;

    public JourneyStore(Path dir) {
        this.files = new CityJsonFiles(dir, ".journey.json", "the journey figures");
    }

    public Optional<JourneyPublication> load(String city) {
        return files.load(city, JourneyStore::fromJson);
    }

    public void save(JourneyPublication p) {
        files.save(p.city(), toJson(p));
    }

    static ObjectNode toJson(JourneyPublication p) {
        ObjectNode root = JSON.createObjectNode().put("city", p.city()).put("id", p.id()).put("month", p.month().toString())
                .put("publishedAt", p.publishedAt().toString()).put("dataAsOf", p.dataAsOf().toString()).put("rho", p.rho());
        p.participants().forEach(root.putArray("participants")::add);
        p.employers().forEach(root.putArray("employers")::add);
        ObjectNode noise = root.putObject("noise");
        p.noise().forEach(noise::put);
        tables(root.putObject("figures"), p.figures());
        tables(root.putObject("measured"), p.measured());
        return root;
    }

    private static void tables(ObjectNode out, Map<String, Map<String, Map<String, Long>>> months) {
        months.forEach((m, groups) -> {
            ObjectNode month = out.putObject(m);
            groups.forEach((g, cells) -> {
                ObjectNode group = month.putObject(g);
                cells.forEach(group::put);
            });
        });
    }

    static JourneyPublication fromJson(JsonNode root) {
        Map<String, String> noise = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("noise").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            noise.put(e.getKey(), e.getValue().asText());
        }
        return new JourneyPublication(text(root, "city"), text(root, "id"), YearMonth.parse(text(root, "month")),
                Instant.parse(text(root, "publishedAt")), Instant.parse(text(root, "dataAsOf")),
                root.path("rho").asDouble(), strings(root.path("participants")), strings(root.path("employers")), noise,
                tables(root.path("figures"), "figures"), tables(root.path("measured"), "measured"));
    }

    private static Map<String, Map<String, Map<String, Long>>> tables(JsonNode node, String field) {
        Map<String, Map<String, Map<String, Long>>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> months = node.fields(); months.hasNext(); ) {
            Map.Entry<String, JsonNode> m = months.next();
            Map<String, Map<String, Long>> groups = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> gs = m.getValue().fields(); gs.hasNext(); ) {
                Map.Entry<String, JsonNode> g = gs.next();
                Map<String, Long> cells = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> cs = g.getValue().fields(); cs.hasNext(); ) {
                    Map.Entry<String, JsonNode> c = cs.next();
                    if (!c.getValue().canConvertToLong()) {
                        throw new IllegalArgumentException(field + "." + m.getKey() + "." + g.getKey() + "." + c.getKey()
                                + " must be a number");
                    }
                    cells.put(c.getKey(), c.getValue().asLong());
                }
                groups.put(g.getKey(), cells);
            }
            out.put(m.getKey(), groups);
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) throw new IllegalArgumentException(field + " is required");
        return v.asText();
    }
}
