package de.prokommun.insights.city;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One JSON object of a city file, read strictly: every error names the file and the field's path
 * ({@code personas.json: field 'personas[3].age.from' must be a whole number}). "comment" is allowed everywhere,
 * so that the files can explain themselves.
 */
final class JsonFields {
    private final JsonNode node;
    private final String file;
    private final String path;

    private JsonFields(JsonNode node, String file, String path) {
        this.node = node;
        this.file = file;
        this.path = path;
    }

    /** The object at {@code path} of {@code file}; anything else than an object is an error. */
    static JsonFields of(JsonNode node, String file, String path) {
        if (node == null || !node.isObject()) throw error(file, path, "must be an object");
        return new JsonFields(node, file, path);
    }

    static CityFileException error(String file, String path, String reason) {
        return new CityFileException(file + ": " + (path.isEmpty() ? "" : "field '" + path + "' ") + reason);
    }

    CityFileException error(String field, String reason) {
        return error(file, at(field), reason);
    }

    String at(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    String file() { return file; }

    /** Refuses any field not in {@code known} (and not "comment"). */
    JsonFields only(Set<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name) && !name.equals("comment")) {
                throw error(name, "is not a known field (known: " + new TreeSet<>(known) + ")");
            }
        }
        return this;
    }

    boolean has(String field) {
        return node.hasNonNull(field);
    }

    JsonNode raw(String field) {
        return node.get(field);
    }

    String text(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) throw error(field, "is required");
        if (!v.isTextual() || v.asText().isBlank()) throw error(field, "must be a non-blank string");
        return v.asText().strip();
    }

    String optionalText(String field) {
        return has(field) ? text(field) : null;
    }

    int integer(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) throw error(field, "is required");
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw error(field, "must be a whole number");
        return v.intValue();
    }

    Integer optionalInteger(String field) {
        return has(field) ? integer(field) : null;
    }

    JsonFields object(String field) {
        if (!has(field)) throw error(field, "is required");
        return of(node.get(field), file, at(field));
    }

    JsonFields optionalObject(String field) {
        return has(field) ? object(field) : null;
    }

    /** The elements of an array field (required); each element's path is {@code field[i]}. */
    List<JsonNode> array(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) throw error(field, "is required");
        if (!v.isArray()) throw error(field, "must be an array");
        List<JsonNode> out = new ArrayList<>();
        v.forEach(out::add);
        return out;
    }

    /** A string array, or null when the field is absent. */
    List<String> optionalTexts(String field) {
        if (!has(field)) return null;
        List<String> out = new ArrayList<>();
        List<JsonNode> values = array(field);
        for (int i = 0; i < values.size(); i++) {
            JsonNode v = values.get(i);
            if (!v.isTextual() || v.asText().isBlank()) throw error(field + "[" + i + "]", "must be a non-blank string");
            out.add(v.asText().strip());
        }
        return out;
    }

    /** The element {@code i} of array {@code field} as an object. */
    JsonFields element(String field, int i, JsonNode value) {
        return of(value, file, at(field) + "[" + i + "]");
    }

    Iterator<String> fieldNames() {
        return node.fieldNames();
    }
}
