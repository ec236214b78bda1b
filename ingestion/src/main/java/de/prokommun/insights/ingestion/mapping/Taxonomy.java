package de.prokommun.insights.ingestion.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A city's common category taxonomy (cities/&lt;city&gt;/taxonomy.json): top-level categories with second-level
 * children. Product groups are mapped onto second-level ids only, so every figure has one level of detail.
 */
public final class Taxonomy {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A top-level category and its assignable children. */
    public record Category(String id, String name, List<Leaf> children) {}

    /** A second-level category: the only kind a product group may be mapped onto. */
    public record Leaf(String id, String name) {}

    private final String name;
    private final int version;
    private final List<Category> categories;
    private final Map<String, Leaf> leaves = new LinkedHashMap<>();
    private final Map<String, Category> tops = new LinkedHashMap<>();

    public Taxonomy(String name, int version, List<Category> categories) {
        this.name = name;
        this.version = version;
        this.categories = List.copyOf(categories);
        for (Category c : categories) {
            tops.put(c.id(), c);
            c.children().forEach(l -> leaves.put(l.id(), l));
        }
    }

    public static Taxonomy load(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read taxonomy " + file, e);
        }
        List<Category> categories = new ArrayList<>();
        for (JsonNode c : root.path("categories")) {
            List<Leaf> children = new ArrayList<>();
            for (JsonNode l : c.path("children")) children.add(new Leaf(text(l, "id", file), text(l, "name", file)));
            categories.add(new Category(text(c, "id", file), text(c, "name", file), children));
        }
        if (categories.isEmpty()) throw new IllegalArgumentException(file + ": field 'categories' is missing or empty");
        return new Taxonomy(root.path("taxonomy").asText("taxonomy"), root.path("version").asInt(1), categories);
    }

    private static String text(JsonNode node, String field, Path file) {
        String value = node.path(field).asText("");
        if (value.isBlank()) throw new IllegalArgumentException(file + ": a category lacks '" + field + "'");
        return value;
    }

    public boolean isAssignable(String id) {
        return leaves.containsKey(id);
    }

    /** Why {@code id} cannot be assigned to a product group, or empty if it can. */
    public Optional<String> problemWith(String id) {
        if (leaves.containsKey(id)) return Optional.empty();
        Category top = tops.get(id);
        if (top != null) {
            List<String> ids = top.children().stream().map(Leaf::id).toList();
            return Optional.of("'" + id + "' is a top-level category; map onto one of its sub-categories " + ids);
        }
        return Optional.of("unknown category id '" + id + "'; GET /api/v1/product-groups/taxonomy lists the valid ids");
    }

    public List<Category> categories() { return categories; }

    /** The taxonomy as served to participants (German names). */
    public JsonObject toJson(String city) {
        JsonArray cats = new JsonArray();
        for (Category c : categories) {
            JsonArray children = new JsonArray();
            c.children().forEach(l -> children.add(new JsonObject().put("id", l.id()).put("name", l.name())));
            cats.add(new JsonObject().put("id", c.id()).put("name", c.name()).put("children", children));
        }
        return new JsonObject().put("city", city).put("taxonomy", name).put("version", version)
                .put("language", "de").put("categories", cats);
    }
}
