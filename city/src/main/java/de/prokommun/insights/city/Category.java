package de.prokommun.insights.city;

import java.io.Serializable;
import java.util.List;

/** A category of taxonomy.json: a first-level one with its children, or a second-level one (no children). */
public record Category(String id, Label name, String sector, List<Category> children) implements Serializable {
    public Category {
        children = children == null ? List.of() : List.copyOf(children);
    }
}
