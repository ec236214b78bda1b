package de.prokommun.insights.query.publication;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The latest purchase statistics of each city on disk ({@code <dir>/<city>.purchases.json}, beside the audience
 * publication), written to a temporary file and moved into place. Only released values: the published figures and
 * the noisy measurements, never a true count.
 *
 * <p>Format: {@code {"city", "id", "month", "publishedAt", "dataAsOf", "rho", "sigmaSquared",
 * "figures": [{"measure", "subject", "period", "total", "dimensions": {dimension: {label: n}}, "personas":
 * {persona: n}}, ...], "measured": [same shape], "ageBandSigmaSquared" (optional: the {@link BuyersByAgeBand}
 * slice, measured under that measure), "pooled": [{"measure", "subject", "period", "children": [id, ...]}]}}.
 */
public final class PurchaseStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final CityJsonFiles files;

    public PurchaseStore(Path dir) {
        this.files = new CityJsonFiles(dir, ".purchases.json", "the purchase statistics");
    }

    public Optional<PurchasePublication> load(String city) {
        return files.load(city, PurchaseStore::fromJson);
    }

    public void save(PurchasePublication publication) {
        files.save(publication.city(), toJson(publication));
    }

    static ObjectNode toJson(PurchasePublication p) {
        ObjectNode root = JSON.createObjectNode()
                .put("city", p.city())
                .put("id", p.id())
                .put("month", p.month().toString())
                .put("publishedAt", p.publishedAt().toString())
                .put("dataAsOf", p.dataAsOf().toString())
                .put("rho", p.rho())
                .put("sigmaSquared", p.sigmaSquared());
        if (p.ageBandSigmaSquared() != null) root.put("ageBandSigmaSquared", p.ageBandSigmaSquared());
        figures(root.putArray("figures"), p.figures());
        figures(root.putArray("measured"), p.measured());
        ArrayNode pooled = root.putArray("pooled");
        p.pooled().forEach((key, children) -> {
            ArrayNode list = pooled.addObject().put("measure", key.measure()).put("subject", key.subject())
                    .put("period", key.period()).putArray("children");
            children.forEach(list::add);
        });
        return root;
    }

    private static void figures(ArrayNode out, Map<PurchaseFigureKey, SegmentedFigure> figures) {
        figures.forEach((key, f) -> {
            ObjectNode row = out.addObject().put("measure", key.measure()).put("subject", key.subject())
                    .put("period", key.period()).put("total", f.total());
            ObjectNode dimensions = row.putObject("dimensions");
            f.dimensions().forEach((d, values) -> {
                ObjectNode v = dimensions.putObject(d);
                values.forEach(v::put);
            });
            ObjectNode personas = row.putObject("personas");
            f.personas().forEach(personas::put);
        });
    }

    static PurchasePublication fromJson(JsonNode root) {
        return new PurchasePublication(text(root, "city"), text(root, "id"), YearMonth.parse(text(root, "month")),
                Instant.parse(text(root, "publishedAt")), Instant.parse(text(root, "dataAsOf")),
                root.path("rho").asDouble(), text(root, "sigmaSquared"), figures(root, "figures"),
                figures(root, "measured"), pooled(root),
                root.hasNonNull("ageBandSigmaSquared") ? text(root, "ageBandSigmaSquared") : null);
    }

    private static Map<PurchaseFigureKey, java.util.List<String>> pooled(JsonNode root) {
        Map<PurchaseFigureKey, java.util.List<String>> out = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode row : root.path("pooled")) {
            String at = "pooled[" + i++ + "]";
            java.util.List<String> children = new java.util.ArrayList<>();
            row.path("children").forEach(c -> children.add(c.asText()));
            out.put(new PurchaseFigureKey(text(row, "measure", at), text(row, "subject", at), text(row, "period", at)),
                    children);
        }
        return out;
    }

    private static Map<PurchaseFigureKey, SegmentedFigure> figures(JsonNode root, String field) {
        Map<PurchaseFigureKey, SegmentedFigure> out = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode row : root.path(field)) {
            String at = field + "[" + i++ + "]";
            PurchaseFigureKey key = new PurchaseFigureKey(text(row, "measure", at), text(row, "subject", at),
                    text(row, "period", at));
            if (!row.path("total").canConvertToLong()) throw new IllegalArgumentException(at + ".total must be a number");
            Map<String, Map<String, Long>> dimensions = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = row.path("dimensions").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> d = it.next();
                dimensions.put(d.getKey(), longs(d.getValue(), at + ".dimensions." + d.getKey()));
            }
            out.put(key, new SegmentedFigure(row.get("total").asLong(), dimensions, longs(row.path("personas"),
                    at + ".personas")));
        }
        return out;
    }

    private static Map<String, Long> longs(JsonNode object, String at) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().canConvertToLong()) throw new IllegalArgumentException(at + "." + e.getKey() + " must be a number");
            out.put(e.getKey(), e.getValue().asLong());
        }
        return out;
    }

    private static String text(JsonNode node, String field) {
        return text(node, field, "");
    }

    private static String text(JsonNode node, String field, String at) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) throw new IllegalArgumentException((at.isEmpty() ? "" : at + ".") + field + " is required");
        return v.asText();
    }
}
