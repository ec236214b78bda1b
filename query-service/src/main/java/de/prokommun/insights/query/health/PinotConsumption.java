package de.prokommun.insights.query.health;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * Pinot's consumed offsets per partition of a realtime table, from the controller's
 * {@code GET /tables/<table>/consumingSegmentsInfo} (each consuming segment reports partitionToOffsetMap).
 */
public final class PinotConsumption {
    private final URI controller;
    private final RestJson http;

    PinotConsumption(URI controller, RestJson http) {
        this.controller = controller;
        this.http = http;
    }

    Map<Integer, Long> consumedOffsets(String table) throws IOException {
        JsonNode info = http.json(controller.resolve("/tables/" + table + "/consumingSegmentsInfo"));
        Map<Integer, Long> out = new HashMap<>();
        collect(info, out);
        if (out.isEmpty()) throw new IOException("no consuming segment reported for " + table);
        return out;
    }

    /** Collects every partitionToOffsetMap in a consumingSegmentsInfo answer, the smallest offset per partition. */
    public static void collect(JsonNode node, Map<Integer, Long> out) {
        if (node.isObject()) {
            JsonNode offsets = node.get("partitionToOffsetMap");
            if (offsets != null && offsets.isObject()) {
                offsets.fields().forEachRemaining(e -> out.merge(Integer.parseInt(e.getKey()),
                        Long.parseLong(e.getValue().asText()), Math::min));
            }
            node.forEach(child -> collect(child, out));
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, out));
        }
    }
}
