package de.prokommun.insights.ingestion.mapping;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads the JSON form of a mapping upload, {@code {"mappings":[{"productGroup":"Brötchen",
 * "category":"lebensmittel.backwaren"}, ...]}}. {@code "category": null} removes the group's mapping; the
 * field itself is required so that a forgotten category is an error, not a removal. Unknown fields are
 * errors, so a typo never drops a mapping silently.
 */
public final class MappingJson {
    private MappingJson() {}

    /** The body is not JSON, or not the expected object. */
    public static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> ROW_FIELDS = Set.of(MappingCsv.GROUP, MappingCsv.CATEGORY);

    public static MappingUpload parse(byte[] body) throws Malformed {
        JsonNode root;
        try {
            root = STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new Malformed("malformed JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Malformed("malformed JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw new Malformed("the body must be a JSON object {\"mappings\": [...]}");
        }
        List<RowError> errors = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("mappings")) errors.add(new RowError(0, 0, name, "unknown field; the body holds only 'mappings'"));
        }
        JsonNode mappings = root.get("mappings");
        if (mappings == null || !mappings.isArray()) {
            errors.add(new RowError(0, 0, "mappings", "required: an array of {\"productGroup\", \"category\"}"));
            return new MappingUpload(List.of(), errors);
        }
        if (mappings.isEmpty()) {
            errors.add(new RowError(0, 0, "mappings", "is empty; send at least one mapping"));
        }
        List<MappingRow> rows = new ArrayList<>();
        for (int i = 0; i < mappings.size(); i++) {
            readRow(mappings.get(i), i, rows, errors);
        }
        return new MappingUpload(rows, errors);
    }

    private static void readRow(JsonNode item, int index, List<MappingRow> rows, List<RowError> errors) {
        int row = index + 1;
        String path = "mappings[" + index + "]";
        if (!item.isObject()) {
            errors.add(new RowError(row, 0, path, "must be an object {\"productGroup\", \"category\"}"));
            return;
        }
        int before = errors.size();
        for (Iterator<String> it = item.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!ROW_FIELDS.contains(name)) {
                errors.add(new RowError(row, 0, path + "." + name, "unknown field; a mapping has 'productGroup' and 'category'"));
            }
        }
        JsonNode group = item.get(MappingCsv.GROUP);
        if (group == null || !group.isTextual()) {
            errors.add(new RowError(row, 0, path + "." + MappingCsv.GROUP, "required: a string"));
        }
        JsonNode category = item.get(MappingCsv.CATEGORY);
        if (category == null || !(category.isTextual() || category.isNull())) {
            errors.add(new RowError(row, 0, path + "." + MappingCsv.CATEGORY,
                    "required: a taxonomy id (string), or null to remove the mapping"));
        }
        if (errors.size() > before) return;
        rows.add(new MappingRow(row, 0, group.textValue(), category.isNull() ? null : category.textValue()));
    }
}
