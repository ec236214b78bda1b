package de.prokommun.insights.query.audience;

import de.prokommun.insights.events.Gender;
import de.prokommun.insights.events.HouseholdType;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The values a city's audiences can be described with: its districts, age bands and personas (from the
 * city's configuration) and the fixed genders and household types of the event contract. Filter values
 * are matched case-insensitively and returned in their canonical spelling.
 */
public record CityVocabulary(String city, ZoneId timeZone, List<String> districts, List<String> ageBands,
                             List<String> personas, CategoryTaxonomy categories, List<AgeBandRange> ageBandRanges,
                             List<String> publishedInterests, Integer purchaseRetentionDays, CityLabels labels,
                             Map<String, CubePersona> cubePersonas) {

    /** One age band of the city's configuration with its inclusive bounds. */
    public record AgeBandRange(String band, int from, int to) {}

    /** Interests are declared freely by residents, so they are checked by shape only. */
    private static final Pattern INTEREST = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} _.&/+-]{0,63}");

    public CityVocabulary {
        districts = List.copyOf(districts);
        ageBands = List.copyOf(ageBands);
        personas = List.copyOf(personas);
        if (categories == null) categories = CategoryTaxonomy.EMPTY;
        ageBandRanges = ageBandRanges == null ? List.of() : List.copyOf(ageBandRanges);
        publishedInterests = publishedInterests == null ? List.of() : List.copyOf(publishedInterests);
        if (labels == null) labels = CityLabels.NONE;
        cubePersonas = cubePersonas == null ? Map.of() : Map.copyOf(cubePersonas);
        for (String p : cubePersonas.keySet()) {
            if (!personas.contains(p)) throw new IllegalArgumentException("cubePersonas: " + p + " is not a persona of " + city);
        }
    }

    /** A city with display names, none of whose personas is defined by the cube's dimensions alone. */
    public CityVocabulary(String city, ZoneId timeZone, List<String> districts, List<String> ageBands,
                          List<String> personas, CategoryTaxonomy categories, List<AgeBandRange> ageBandRanges,
                          List<String> publishedInterests, Integer purchaseRetentionDays, CityLabels labels) {
        this(city, timeZone, districts, ageBands, personas, categories, ageBandRanges, publishedInterests,
                purchaseRetentionDays, labels, Map.of());
    }

    /** A city without display names (tests), with personas the cube's dimensions define. */
    public CityVocabulary(String city, ZoneId timeZone, List<String> districts, List<String> ageBands,
                          List<String> personas, CategoryTaxonomy categories, List<AgeBandRange> ageBandRanges,
                          List<String> publishedInterests, Integer purchaseRetentionDays,
                          Map<String, CubePersona> cubePersonas) {
        this(city, timeZone, districts, ageBands, personas, categories, ageBandRanges, publishedInterests,
                purchaseRetentionDays, CityLabels.NONE, cubePersonas);
    }

    /** A city without display names (tests): the dashboards fall back to the ids; every persona its own slice. */
    public CityVocabulary(String city, ZoneId timeZone, List<String> districts, List<String> ageBands,
                          List<String> personas, CategoryTaxonomy categories, List<AgeBandRange> ageBandRanges,
                          List<String> publishedInterests, Integer purchaseRetentionDays) {
        this(city, timeZone, districts, ageBands, personas, categories, ageBandRanges, publishedInterests,
                purchaseRetentionDays, CityLabels.NONE, Map.of());
    }

    /** The persona's definition by age bands, genders and household types, if its rule is nothing else. */
    public Optional<CubePersona> cubePersona(String persona) {
        return Optional.ofNullable(cubePersonas.get(persona));
    }

    /** A city without band bounds, published interests or purchase retention (tests, old configurations). */
    public CityVocabulary(String city, ZoneId timeZone, List<String> districts, List<String> ageBands,
                          List<String> personas, CategoryTaxonomy categories) {
        this(city, timeZone, districts, ageBands, personas, categories, List.of(), List.of(), null, CityLabels.NONE, Map.of());
    }

    /** A city without a taxonomy: no purchase categories can be asked about. */
    public CityVocabulary(String city, ZoneId timeZone, List<String> districts, List<String> ageBands,
                          List<String> personas) {
        this(city, timeZone, districts, ageBands, personas, CategoryTaxonomy.EMPTY);
    }

    public List<String> genders() {
        return Arrays.stream(Gender.values()).map(Enum::name).toList();
    }

    public List<String> householdTypes() {
        return Arrays.stream(HouseholdType.values()).map(Enum::name).toList();
    }

    public Optional<String> district(String value) { return canonical(districts, value); }

    public Optional<String> persona(String value) { return canonical(personas, value); }

    public Optional<String> gender(String value) { return canonical(genders(), value); }

    public Optional<String> householdType(String value) { return canonical(householdTypes(), value); }

    public Optional<String> interest(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        return INTEREST.matcher(v).matches() ? Optional.of(v) : Optional.empty();
    }

    /** The cells a breakdown always reports, whether or not any profile falls into them. */
    public List<String> labels(Breakdown breakdown) {
        return switch (breakdown) {
            case AGE_BAND -> ageBands;
            case GENDER -> genders();
            case DISTRICT -> districts;
            case HOUSEHOLD_TYPE -> householdTypes();
            case PERSONA -> personas;
        };
    }

    private static Optional<String> canonical(List<String> allowed, String value) {
        String v = value.strip();
        return allowed.stream().filter(a -> a.equalsIgnoreCase(v)).findFirst();
    }
}
