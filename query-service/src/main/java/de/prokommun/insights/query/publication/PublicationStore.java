package de.prokommun.insights.query.publication;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
 * The latest publication of each city on disk ({@code <dir>/<city>.json}), so a restarted service serves it again
 * without releasing (and paying) anew. Only released values are written: the noisy cells, never a true count.
 * Written to a temporary file and moved into place, so a crash leaves the old or the new file, never half of one.
 *
 * <p>Format: {@code {"city", "id", "month", "publishedAt", "dataAsOf", "rho", "sigmaSquared",
 * "slices": {slice: [[ageBand, gender, district, householdType, value], ...]},
 * "estimates": {slice: [[ageBand, gender, district, householdType, estimate], ...]},
 * "noise": {slice: {marginal: σ²}},
 * "measured": {slice: [[marginal, value of each of its dimensions..., value], ...]}}} (slices: the signed integer
 * cells that answers are summed from; estimates: the real-valued least-squares cells they were rounded from;
 * measured: each measured value as drawn, in drawing order, e.g. ["ageBand×gender", "35-49", "FEMALE", 10412]). A file without estimates (written before they
 * were kept) is read with the integer cells as its estimates.
 */
public final class PublicationStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final CityJsonFiles files;

    public PublicationStore(Path dir) {
        this.files = new CityJsonFiles(dir, ".json", "the publication");
    }

    public Optional<Publication> load(String city) {
        return files.load(city, PublicationStore::fromJson);
    }

    public void save(Publication publication) {
        files.save(publication.city(), toJson(publication));
    }

    static ObjectNode toJson(Publication p) {
        ObjectNode root = JSON.createObjectNode()
                .put("city", p.city())
                .put("id", p.id())
                .put("month", p.month().toString())
                .put("publishedAt", p.publishedAt().toString())
                .put("dataAsOf", p.dataAsOf().toString())
                .put("rho", p.rho())
                .put("sigmaSquared", p.sigmaSquared());
        ObjectNode slices = root.putObject("slices");
        p.cells().forEach((slice, cells) -> {
            ArrayNode rows = slices.putArray(slice);
            cells.forEach((key, value) -> {
                ArrayNode row = rows.addArray();
                key.parts().forEach(row::add);
                row.add(value);
            });
        });
        ObjectNode estimates = root.putObject("estimates");
        p.estimates().forEach((slice, cells) -> {
            ArrayNode rows = estimates.putArray(slice);
            cells.forEach((key, value) -> {
                ArrayNode row = rows.addArray();
                key.parts().forEach(row::add);
                row.add(value);
            });
        });
        ObjectNode noise = root.putObject("noise");
        p.noise().forEach((slice, sigmas) -> {
            ObjectNode perMarginal = noise.putObject(slice);
            sigmas.forEach(perMarginal::put);
        });
        ObjectNode measured = root.putObject("measured");
        p.measurements().forEach((slice, values) -> {
            ArrayNode rows = measured.putArray(slice);
            values.forEach(m -> {
                ArrayNode row = rows.addArray();
                m.path().forEach(row::add);
                row.add(m.value());
            });
        });
        return root;
    }

    static Publication fromJson(JsonNode root) {
        Map<String, Map<CellKey, Long>> cells = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("slices").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> slice = it.next();
            Map<CellKey, Long> values = new LinkedHashMap<>();
            for (JsonNode row : slice.getValue()) {
                if (row.size() != CellKey.PARTS + 1 || !row.get(CellKey.PARTS).canConvertToLong()) {
                    throw new IllegalArgumentException("slices." + slice.getKey() + ": a cell is [ageBand, gender,"
                            + " district, householdType, activity, value]: " + row);
                }
                values.put(keyOf(row), row.get(CellKey.PARTS).asLong());
            }
            cells.put(slice.getKey(), values);
        }
        Map<String, List<Measurement>> measured = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("measured").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> slice = it.next();
            List<Measurement> values = new ArrayList<>();
            for (JsonNode row : slice.getValue()) {
                List<String> path = new ArrayList<>();
                for (int i = 0; i < row.size() - 1; i++) path.add(row.get(i).asText());
                values.add(new Measurement(path, row.get(row.size() - 1).asLong()));
            }
            measured.put(slice.getKey(), values);
        }
        if (!root.has("estimates")) {
            return new Publication(text(root, "city"), text(root, "id"), YearMonth.parse(text(root, "month")),
                    Instant.parse(text(root, "publishedAt")), Instant.parse(text(root, "dataAsOf")),
                    root.path("rho").asDouble(), text(root, "sigmaSquared"), cells, measured);
        }
        Map<String, Map<CellKey, Double>> estimates = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("estimates").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> slice = it.next();
            Map<CellKey, Double> values = new LinkedHashMap<>();
            for (JsonNode row : slice.getValue()) {
                if (row.size() != CellKey.PARTS + 1 || !row.get(CellKey.PARTS).isNumber()) {
                    throw new IllegalArgumentException("estimates." + slice.getKey() + ": a cell is [ageBand, gender,"
                            + " district, householdType, activity, estimate]: " + row);
                }
                values.put(keyOf(row), row.get(CellKey.PARTS).asDouble());
            }
            estimates.put(slice.getKey(), values);
        }
        Map<String, Map<String, String>> noise = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("noise").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> slice = it.next();
            Map<String, String> sigmas = new LinkedHashMap<>();
            slice.getValue().fields().forEachRemaining(e -> sigmas.put(e.getKey(), e.getValue().asText()));
            noise.put(slice.getKey(), sigmas);
        }
        return new Publication(text(root, "city"), text(root, "id"), YearMonth.parse(text(root, "month")),
                Instant.parse(text(root, "publishedAt")), Instant.parse(text(root, "dataAsOf")),
                root.path("rho").asDouble(), text(root, "sigmaSquared"), cells, measured, estimates, noise);
    }

    private static CellKey keyOf(JsonNode row) {
        List<String> parts = new ArrayList<>(CellKey.PARTS);
        for (int i = 0; i < CellKey.PARTS; i++) parts.add(row.get(i).asText());
        return CellKey.of(parts);
    }

    private static String text(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || !v.isTextual()) throw new IllegalArgumentException(field + " is required");
        return v.asText();
    }
}
