package de.prokommun.insights.query.audience;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The display names of a city's identifiers, from the city's own files, so that no dashboard shows a raw id
 * ("lebensmittel.backwaren", "single_parent"): category names from taxonomy.json ({@code name}, German, and an
 * optional {@code nameEn}), persona names from personas.json ({@code label: {de, en}}). A file without an English
 * name gives the German one for both languages. Districts are names already (city.json) and need no label.
 */
public record CityLabels(Map<String, Label> categories, Map<String, Label> personas) {

    public static final CityLabels NONE = new CityLabels(Map.of(), Map.of());

    /** A name in the two languages of the dashboards. */
    public record Label(String de, String en) {
        public Label {
            if (de == null || de.isBlank()) throw new IllegalArgumentException("label: de must not be blank");
            if (en == null || en.isBlank()) en = de;
        }
    }

    public CityLabels {
        categories = Collections.unmodifiableMap(new LinkedHashMap<>(categories));
        personas = Collections.unmodifiableMap(new LinkedHashMap<>(personas));
    }

    /** Reads the labels from taxonomy.json and personas.json (either may be null: no labels of that kind). */
    static CityLabels of(JsonNode taxonomy, JsonNode personas) {
        Map<String, Label> categories = new LinkedHashMap<>();
        if (taxonomy != null) {
            for (JsonNode top : taxonomy.path("categories")) {
                category(top, categories);
                top.path("children").forEach(child -> category(child, categories));
            }
        }
        Map<String, Label> personaLabels = new LinkedHashMap<>();
        if (personas != null) {
            for (JsonNode rule : personas.path("personas")) {
                String id = rule.path("persona").asText("");
                JsonNode label = rule.path("label");
                if (id.isEmpty() || label.isMissingNode()) continue;
                if (!label.isObject() || !label.path("de").isTextual()) {
                    throw new IllegalArgumentException("personas.json: persona '" + id
                            + "': label must be an object with a German name \"de\" (and optionally \"en\")");
                }
                personaLabels.put(id, new Label(label.path("de").asText(), label.path("en").asText(null)));
            }
        }
        return new CityLabels(categories, personaLabels);
    }

    private static void category(JsonNode node, Map<String, Label> into) {
        String id = node.path("id").asText("");
        if (id.isEmpty() || !node.path("name").isTextual()) return;
        into.put(id, new Label(node.path("name").asText(), node.path("nameEn").asText(null)));
    }
}
