package de.prokommun.insights.resident.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Turns one Pinot result row into the flat JSON the contract's {@code PinotJsonCodec} reads, so a row decodes
 * into the same Avro record that was written. Pinot 0.11 answers a missing value with its default null
 * placeholder ("null", Integer.MIN_VALUE, ...) and an empty multi-value column with one such placeholder;
 * both mean "absent" and are dropped here.
 */
final class PinotRows {
    private PinotRows() {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> NULL_PLACEHOLDERS = Set.of("null", String.valueOf(Integer.MIN_VALUE),
            String.valueOf(Long.MIN_VALUE), "-Infinity");

    static byte[] toCodecJson(List<String> columns, List<String> values) {
        ObjectNode node = JSON.createObjectNode();
        for (int i = 0; i < columns.size(); i++) {
            String raw = values.get(i);
            if (raw == null || NULL_PLACEHOLDERS.contains(raw)) continue;
            if (raw.startsWith("[")) {
                node.set(columns.get(i), array(raw));
            } else if (raw.equals("true") || raw.equals("false")) {
                node.put(columns.get(i), Boolean.parseBoolean(raw));
            } else {
                node.put(columns.get(i), raw);
            }
        }
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static ArrayNode array(String raw) {
        ArrayNode out = JSON.createArrayNode();
        try {
            for (JsonNode item : JSON.readTree(raw)) {
                String text = item.asText();
                if (!NULL_PLACEHOLDERS.contains(text)) out.add(text);
            }
        } catch (IOException e) {
            throw new DataUnavailableException("Pinot returned an unreadable multi-value column: " + e.getMessage(), e);
        }
        return out;
    }

    /** Pinot 0.11 may store BOOLEAN as INT: 1 is true. */
    static boolean bool(String raw) {
        return "true".equalsIgnoreCase(raw) || "1".equals(raw);
    }
}
