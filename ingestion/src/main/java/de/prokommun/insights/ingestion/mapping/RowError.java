package de.prokommun.insights.ingestion.mapping;

import io.vertx.core.json.JsonObject;

/**
 * What is wrong with one row of a mapping upload. {@code row} is 1-based (0: the upload as a whole),
 * {@code line} the CSV line number (0 for JSON), {@code field} the column or JSON path.
 */
public record RowError(int row, int line, String field, String reason) {

    public JsonObject toJson() {
        JsonObject o = new JsonObject().put("row", row);
        if (line > 0) o.put("line", line);
        return o.put("field", field).put("reason", reason);
    }
}
