package de.prokommun.insights.query.audience;

import de.prokommun.insights.city.City;
import de.prokommun.insights.city.Participant;
import de.prokommun.insights.city.Persona;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The display names of a city's identifiers, from the city's own files, so that no dashboard shows a raw id
 * ("lebensmittel.backwaren", "single_parent"): category names from taxonomy.json ({@code name}, German, and an
 * optional {@code nameEn}), persona names from personas.json ({@code label: {de, en}}), employer names from
 * participants-catalogue.json (the same in both languages; the vouchers widget's employer rows). A file without an
 * English name gives the German one for both languages. Districts are names already (city.json) and need no label.
 */
public record CityLabels(Map<String, Label> categories, Map<String, Label> personas, Map<String, Label> employers) {

    public static final CityLabels NONE = new CityLabels(Map.of(), Map.of(), Map.of());

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
        employers = Collections.unmodifiableMap(new LinkedHashMap<>(employers));
    }

    /**
     * The labels of the city's categories (taxonomy.json), personas (personas.json) and named employers
     * (participants-catalogue.json), as the city module read them. An employer without a name is left out: the
     * widget then shows its id, the catalogue's own word for it.
     */
    static CityLabels of(City city) {
        Map<String, Label> categories = new LinkedHashMap<>();
        city.categoriesById().forEach((id, c) -> categories.put(id, new Label(c.name().de(), c.name().en())));
        Map<String, Label> personaLabels = new LinkedHashMap<>();
        for (Persona p : city.personas()) {
            if (p.label() != null) personaLabels.put(p.id(), new Label(p.label().de(), p.label().en()));
        }
        Map<String, Label> employers = new LinkedHashMap<>();
        for (Participant e : city.employers()) {
            if (e.name() != null) employers.put(e.id(), new Label(e.name(), null));
        }
        return new CityLabels(categories, personaLabels, employers);
    }
}
