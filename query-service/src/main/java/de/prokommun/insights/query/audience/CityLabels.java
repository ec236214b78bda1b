package de.prokommun.insights.query.audience;

import de.prokommun.insights.city.City;
import de.prokommun.insights.city.Persona;
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

    /** The labels of the city's categories (taxonomy.json) and personas (personas.json), as the city module read them. */
    static CityLabels of(City city) {
        Map<String, Label> categories = new LinkedHashMap<>();
        city.categoriesById().forEach((id, c) -> categories.put(id, new Label(c.name().de(), c.name().en())));
        Map<String, Label> personaLabels = new LinkedHashMap<>();
        for (Persona p : city.personas()) {
            if (p.label() != null) personaLabels.put(p.id(), new Label(p.label().de(), p.label().en()));
        }
        return new CityLabels(categories, personaLabels);
    }
}
