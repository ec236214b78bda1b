package de.prokommun.insights.query.publication;

import de.prokommun.insights.query.audience.CityVocabulary;
import java.util.ArrayList;
import java.util.List;

/**
 * Every cell of a city's published cube: the vocabulary's age bands and districts, each with an {@link #OTHER}
 * value (no age, no district of the vocabulary), and the genders and household types of the event contract
 * (closed enums whose UNKNOWN value takes anything else, so they need no "other"). Every cell is published, zeros
 * included (a missing cell would tell that it is empty), with the resident's recent activity as the fifth dimension
 * ({@link RecentActivity}), and the slices of the publication: everybody, each
 * persona (and the persona {@link #OTHER}: no persona of the vocabulary), each published interest.
 */
public record CubeDomain(List<String> ageBands, List<String> genders, List<String> districts,
                         List<String> householdTypes, List<String> personas, List<String> interests) {

    /** The values of the activity dimension, the same for every city ({@link RecentActivity}). */
    private static final List<String> ACTIVITY = RecentActivity.buckets();

    public static final String OTHER = "other";
    public static final String ALL = "all";
    /** The contract's value for an undeclared gender or household type. */
    public static final String UNKNOWN = "UNKNOWN";

    public CubeDomain {
        ageBands = withOther(ageBands);
        genders = List.copyOf(genders);
        districts = withOther(districts);
        householdTypes = List.copyOf(householdTypes);
        personas = List.copyOf(personas);
        interests = List.copyOf(interests);
    }

    /**
     * The city's cube. Personas defined by the cube's own dimensions ({@link CityVocabulary#cubePersona}) get no
     * slice: they are cells of the slice of everybody ({@link #personaCells}), and a slice of their own would only
     * add sensitivity (a resident may be in every slice) and noise.
     */
    public static CubeDomain of(CityVocabulary city) {
        return new CubeDomain(city.ageBands(), city.genders(), city.districts(), city.householdTypes(),
                city.personas().stream().filter(p -> city.cubePersona(p).isEmpty()).toList(), city.publishedInterests());
    }

    /**
     * Where a persona is published: its own slice with every cell, or — for a persona defined by the cube's
     * dimensions — the slice of everybody with the cells its rule selects.
     */
    public static PersonaCells personaCells(CityVocabulary city, String persona) {
        return city.cubePersona(persona)
                .map(d -> new PersonaCells(ALL, (java.util.function.Predicate<CellKey>)
                        c -> d.holds(c.ageBand(), c.gender(), c.householdType())))
                .orElseGet(() -> new PersonaCells(personaSlice(persona), c -> true));
    }

    /** A persona's slice and the cells of it that hold the persona. */
    public record PersonaCells(String slice, java.util.function.Predicate<CellKey> cells) {}

    public static String personaSlice(String persona) {
        return "persona:" + persona;
    }

    public static String interestSlice(String interest) {
        return "interest:" + interest;
    }

    /** The slices in publication order: everybody, each persona, persona other, each interest. */
    public List<String> slices() {
        List<String> slices = new ArrayList<>();
        slices.add(ALL);
        personas.forEach(p -> slices.add(personaSlice(p)));
        slices.add(personaSlice(OTHER));
        interests.forEach(i -> slices.add(interestSlice(i)));
        return slices;
    }

    public List<String> activities() {
        return ACTIVITY;
    }

    /** The values of every dimension, in {@link CellKey} order. */
    public List<List<String>> dimensions() {
        return List.of(ageBands, genders, districts, householdTypes, ACTIVITY);
    }

    /** Every cell of one slice, in mixed-radix order of {@link #dimensions()} (the first most significant). */
    public List<CellKey> cells() {
        List<CellKey> keys = new ArrayList<>(ageBands.size() * genders.size() * districts.size() * householdTypes.size()
                * ACTIVITY.size());
        for (String a : ageBands) for (String g : genders) for (String d : districts) for (String h : householdTypes) {
            for (String activity : ACTIVITY) keys.add(new CellKey(a, g, d, h, activity));
        }
        return keys;
    }

    /**
     * The cell of a profile's values: an age band or district outside the vocabulary (or none) is {@link #OTHER};
     * a gender or household type outside the contract's enum (which cannot occur in a valid profile) is UNKNOWN.
     */
    public CellKey cellOf(String ageBand, String gender, String district, String householdType, String activity) {
        return new CellKey(known(ageBands, ageBand, OTHER), known(genders, gender, UNKNOWN),
                known(districts, district, OTHER), known(householdTypes, householdType, UNKNOWN),
                known(ACTIVITY, activity, RecentActivity.OLDER));
    }

    /**
     * The dimensions in the order of the older hierarchical design: district, age band, gender, household type,
     * activity.
     */
    public List<List<String>> hierarchy() {
        return List.of(districts, ageBands, genders, householdTypes, ACTIVITY);
    }

    /** The cell at the end of a path of the hierarchy (district, age band, gender, household type, activity). */
    public static CellKey cellAt(List<String> path) {
        return new CellKey(path.get(1), path.get(2), path.get(0), path.get(3), path.get(4));
    }

    private static String known(List<String> domain, String value, String fallback) {
        return value != null && domain.contains(value) ? value : fallback;
    }

    private static List<String> withOther(List<String> values) {
        List<String> all = new ArrayList<>(values);
        all.remove(OTHER);
        all.add(OTHER);
        return List.copyOf(all);
    }
}
