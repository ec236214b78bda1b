package de.prokommun.insights.ingestion.mapping;

import de.prokommun.insights.city.City;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A city's common category taxonomy (cities/&lt;city&gt;/taxonomy.json, read by the city module): top-level categories with second-level
 * children. Product groups are mapped onto second-level ids only, so every figure has one level of detail.
 */
public final class Taxonomy {

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

    /** The city's taxonomy.json as the city module reads it; a city without categories has no taxonomy to map onto. */
    public static Taxonomy of(City city) {
        List<Category> categories = new ArrayList<>();
        for (de.prokommun.insights.city.Category c : city.categories()) {
            List<Leaf> children = c.children().stream().map(l -> new Leaf(l.id(), l.name().de())).toList();
            categories.add(new Category(c.id(), c.name().de(), children));
        }
        if (categories.isEmpty() || city.taxonomy() == null) {
            throw new IllegalArgumentException(city.id() + "/taxonomy.json: field 'categories' is missing or empty");
        }
        return new Taxonomy(city.taxonomy().name(), city.taxonomy().version(), categories);
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
