package de.prokommun.insights.query.insights;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The demographic restriction of a trend, in the dimensions the contribution rows carry (the segment of the
 * person when the contribution was made): age bands instead of ages. Any value within a dimension, all
 * dimensions; an empty set means no restriction.
 */
public record SegmentFilter(SortedSet<String> ageBands, SortedSet<String> genders, SortedSet<String> personas,
                            SortedSet<String> districts, SortedSet<String> householdTypes) {

    public SegmentFilter {
        ageBands = frozen(ageBands);
        genders = frozen(genders);
        personas = frozen(personas);
        districts = frozen(districts);
        householdTypes = frozen(householdTypes);
    }

    public static SegmentFilter everyone() {
        return new SegmentFilter(null, null, null, null, null);
    }

    private static SortedSet<String> frozen(SortedSet<String> values) {
        return Collections.unmodifiableSortedSet(values == null ? new TreeSet<>() : new TreeSet<>(values));
    }
}
