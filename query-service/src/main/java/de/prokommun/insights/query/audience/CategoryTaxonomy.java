package de.prokommun.insights.query.audience;

import de.prokommun.insights.city.Category;
import de.prokommun.insights.city.City;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The city's common product categories (cities/&lt;city&gt;/taxonomy.json): first-level ids ("lebensmittel") with
 * their second-level children ("lebensmittel.backwaren"). Purchases are recorded per second-level id; a
 * first-level id in a question means any of its children.
 */
public record CategoryTaxonomy(Map<String, List<String>> childrenByParent) {

    public static final CategoryTaxonomy EMPTY = new CategoryTaxonomy(Map.of());

    public CategoryTaxonomy {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        childrenByParent.forEach((parent, children) -> copy.put(parent, List.copyOf(children)));
        childrenByParent = java.util.Collections.unmodifiableMap(copy);
    }

    /** The two levels of the city's taxonomy.json, as the city module read it. */
    static CategoryTaxonomy of(City city) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (Category top : city.categories()) map.put(top.id(), top.children().stream().map(Category::id).toList());
        return new CategoryTaxonomy(map);
    }

    /** The id in canonical spelling (ids are lower case), if it is a category of either level. */
    public Optional<String> category(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        return isFirstLevel(v) || isSecondLevel(v) ? Optional.of(v) : Optional.empty();
    }

    public boolean isFirstLevel(String id) {
        return childrenByParent.containsKey(id);
    }

    public boolean isSecondLevel(String id) {
        return childrenByParent.values().stream().anyMatch(children -> children.contains(id));
    }

    /** The second-level ids a category stands for: its children, or itself. */
    public List<String> leaves(String id) {
        List<String> children = childrenByParent.get(id);
        if (children != null) return children;
        if (isSecondLevel(id)) return List.of(id);
        throw new IllegalArgumentException("not a category: " + id);
    }
}
