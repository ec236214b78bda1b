package de.prokommun.insights.query.publication;

import java.util.ArrayList;
import java.util.List;

/**
 * A marginal of the audience cube: the counts of one slice summed over every dimension not in {@code dims}
 * (dimensions in {@link CellKey} order: 0 age band, 1 gender, 2 district, 3 household type, 4 recent activity). The
 * empty marginal is the slice's total, the marginal of all five dimensions its cells. Every person sits in exactly one cell of a
 * marginal, so one measured marginal is one histogram of L2 sensitivity 1.
 */
public record Marginal(List<Integer> dims) {

    static final List<String> DIMENSION_NAMES = List.of("ageBand", "gender", "district", "householdType", "activity");
    static final int DIMENSIONS = DIMENSION_NAMES.size();

    public Marginal {
        dims = List.copyOf(dims);
        for (int i = 0; i < dims.size(); i++) {
            if (dims.get(i) < 0 || dims.get(i) >= DIMENSIONS || (i > 0 && dims.get(i) <= dims.get(i - 1))) {
                throw new IllegalArgumentException("a marginal's dimensions are distinct, ascending, in 0.." + (DIMENSIONS - 1) + ": " + dims);
            }
        }
    }

    public static Marginal of(Integer... dims) {
        return new Marginal(List.of(dims));
    }

    /** Every marginal of the cube, from the total to the cells (the 32 subsets of the five dimensions). */
    static List<Marginal> all() {
        List<Marginal> all = new ArrayList<>();
        for (int mask = 0; mask < 1 << DIMENSIONS; mask++) all.add(ofMask(mask));
        all.sort(java.util.Comparator.comparingInt((Marginal m) -> m.dims.size()).thenComparing(Marginal::name));
        return all;
    }

    static Marginal ofMask(int mask) {
        List<Integer> dims = new ArrayList<>();
        for (int d = 0; d < DIMENSIONS; d++) if ((mask & (1 << d)) != 0) dims.add(d);
        return new Marginal(dims);
    }

    /** The name written into a publication: "total", or the dimensions joined with "×", e.g. "ageBand×gender". */
    public String name() {
        if (dims.isEmpty()) return "total";
        List<String> names = new ArrayList<>();
        for (int d : dims) names.add(DIMENSION_NAMES.get(d));
        return String.join("×", names);
    }

    public static Marginal named(String name) {
        if (name.equals("total")) return new Marginal(List.of());
        List<Integer> dims = new ArrayList<>();
        for (String part : name.split("×")) {
            int d = DIMENSION_NAMES.indexOf(part);
            if (d < 0) throw new IllegalArgumentException("not a marginal: " + name);
            dims.add(d);
        }
        return new Marginal(dims);
    }

    /** The index of the activity dimension. */
    static final int ACTIVITY = 4;

    /** The marginal of the four demographic dimensions (age band, gender, district, household type). */
    static final Marginal DEMOGRAPHIC_CELLS = of(0, 1, 2, 3);
    /** Every dimension: the cells. */
    static final Marginal CELLS = of(0, 1, 2, 3, 4);

    boolean involvesActivity() {
        return dims.contains(ACTIVITY);
    }

    boolean isCells() {
        return dims.size() == DIMENSIONS;
    }

    /** The values of a cell in this marginal's dimensions: the key of the marginal cell it falls into. */
    List<String> keyOf(CellKey cell) {
        List<String> parts = cell.parts();
        List<String> key = new ArrayList<>(dims.size());
        for (int d : dims) key.add(parts.get(d));
        return key;
    }
}
