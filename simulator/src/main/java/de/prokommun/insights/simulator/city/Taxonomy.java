package de.prokommun.insights.simulator.city;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The common two-level category taxonomy (taxonomy.json) onto which participants' product groups map. */
public final class Taxonomy {

    public record Category(String id, String name, String parentId, String sector) {
        public boolean isTopLevel() { return parentId == null; }
    }

    private static final String FILE = de.prokommun.insights.city.CityFiles.TAXONOMY_JSON;
    private final Map<String, Category> byId;

    private Taxonomy(Map<String, Category> byId) {
        this.byId = byId;
    }

    /** The taxonomy as the city module reads it; the simulator needs a sector on every first-level category. */
    public static Taxonomy load(CityFiles files) {
        Map<String, Category> byId = new LinkedHashMap<>();
        List<de.prokommun.insights.city.Category> categories = files.city().categories();
        if (categories.isEmpty()) throw new IllegalArgumentException(FILE + " of " + files + " is missing or has no categories");
        for (de.prokommun.insights.city.Category top : categories) {
            String sector = top.sector();
            if (sector == null) throw new IllegalArgumentException(FILE + ": field 'sector' of category '" + top.id() + "' is required");
            put(byId, new Category(top.id(), top.name().de(), null, sector));
            for (de.prokommun.insights.city.Category child : top.children()) {
                if (!child.id().startsWith(top.id() + ".")) {
                    throw new IllegalArgumentException(FILE + ": category '" + child.id() + "' must start with its parent id '" + top.id() + ".'");
                }
                put(byId, new Category(child.id(), child.name().de(), top.id(), sector));
            }
        }
        return new Taxonomy(byId);
    }

    private static void put(Map<String, Category> byId, Category c) {
        if (byId.putIfAbsent(c.id(), c) != null) throw new IllegalArgumentException(FILE + ": duplicate category id " + c.id());
    }

    public Category get(String id) {
        Category c = byId.get(id);
        if (c == null) throw new IllegalArgumentException("category '" + id + "' is not in the taxonomy");
        return c;
    }

    public boolean contains(String id) { return byId.containsKey(id); }

    public String topLevelOf(String id) {
        Category c = get(id);
        return c.isTopLevel() ? c.id() : c.parentId();
    }

    public List<Category> all() { return new ArrayList<>(byId.values()); }

    public List<Category> leaves() {
        return byId.values().stream().filter(c -> !c.isTopLevel()).toList();
    }
}
