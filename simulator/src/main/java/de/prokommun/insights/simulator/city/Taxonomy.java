package de.prokommun.insights.simulator.city;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The common two-level category taxonomy (taxonomy.json) onto which participants' product groups map. */
public final class Taxonomy {

    public record Category(String id, String name, String parentId, String sector) {
        public boolean isTopLevel() { return parentId == null; }
    }

    private static final String FILE = "taxonomy.json";
    private final Map<String, Category> byId;

    private Taxonomy(Map<String, Category> byId) {
        this.byId = byId;
    }

    public static Taxonomy load(CityFiles files) {
        Map<String, Category> byId = new LinkedHashMap<>();
        for (JsonNode top : files.read(FILE).path("categories")) {
            String topId = CityFiles.text(top, "id", FILE);
            String sector = CityFiles.text(top, "sector", FILE);
            put(byId, new Category(topId, CityFiles.text(top, "name", FILE), null, sector));
            for (JsonNode child : top.path("children")) {
                String id = CityFiles.text(child, "id", FILE);
                if (!id.startsWith(topId + ".")) {
                    throw new IllegalArgumentException(FILE + ": category '" + id + "' must start with its parent id '" + topId + ".'");
                }
                put(byId, new Category(id, CityFiles.text(child, "name", FILE), topId, sector));
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
