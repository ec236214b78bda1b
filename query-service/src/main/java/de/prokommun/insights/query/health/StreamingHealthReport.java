package de.prokommun.insights.query.health;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tiles of one sample, as JSON (external monitoring, the UI) and as Prometheus text; {@code trends} holds each
 * tile's recent headline values (the sparklines), oldest first.
 */
public record StreamingHealthReport(Instant sampledAt, List<Tile> tiles, Map<String, List<TileTrends.Point>> trends) {

    public StreamingHealthReport(Instant sampledAt, List<Tile> tiles) {
        this(sampledAt, tiles, Map.of());
    }

    public Tile.Status overall() {
        if (tiles.stream().anyMatch(t -> t.status() == Tile.Status.RED)) return Tile.Status.RED;
        return Tile.Status.OK;
    }

    public JsonObject toJson() {
        JsonArray out = new JsonArray();
        for (Tile t : tiles) {
            out.add(new JsonObject().put("id", t.id()).put("status", t.status().name()).put("value", t.value())
                    .put("unit", t.unit()).put("reason", t.reason()).put("detail", new JsonObject(detail(t.detail())))
                    .put("trend", trend(trends.getOrDefault(t.id(), List.of()))));
        }
        return new JsonObject().put("sampledAt", sampledAt.toString()).put("status", overall().name()).put("tiles", out);
    }

    /** [[epoch millis, value or null], …] */
    private static JsonArray trend(List<TileTrends.Point> points) {
        JsonArray out = new JsonArray();
        for (TileTrends.Point p : points) out.add(new JsonArray().add(p.atMillis()).add(p.value()));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(Map<String, Object> d) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>();
        d.forEach((k, v) -> copy.put(k, v instanceof Map<?, ?> m ? new JsonObject(detail((Map<String, Object>) m)) : v));
        return copy;
    }

    /** Prometheus text 0.0.4: one gauge per tile value, its status (0 ok, 1 red, 2 unknown), and per-key details. */
    public String toPrometheus() {
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP prokommun_health_tile_status Status of a health tile: 0 OK, 1 RED, 2 UNKNOWN\n");
        sb.append("# TYPE prokommun_health_tile_status gauge\n");
        for (Tile t : tiles) {
            sb.append("prokommun_health_tile_status{tile=\"").append(t.id()).append("\"} ")
                    .append(t.status().ordinal()).append('\n');
        }
        sb.append("# HELP prokommun_health_tile_value Headline value of a health tile (unit in the label)\n");
        sb.append("# TYPE prokommun_health_tile_value gauge\n");
        for (Tile t : tiles) {
            if (t.value() == null) continue;
            sb.append("prokommun_health_tile_value{tile=\"").append(t.id()).append("\",unit=\"").append(t.unit())
                    .append("\"} ").append(number(t.value())).append('\n');
        }
        sb.append("# HELP prokommun_health_detail Figures behind a tile, per consumer group, job or reason\n");
        sb.append("# TYPE prokommun_health_detail gauge\n");
        for (Tile t : tiles) {
            t.detail().forEach((key, v) -> {
                if (v instanceof Number n) {
                    sb.append("prokommun_health_detail{tile=\"").append(t.id()).append("\",key=\"").append(escape(key))
                            .append("\"} ").append(number(n.doubleValue())).append('\n');
                }
            });
        }
        return sb.toString();
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
