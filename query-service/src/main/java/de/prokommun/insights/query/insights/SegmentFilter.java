package de.prokommun.insights.query.insights;

import de.prokommun.insights.privacy.CanonicalQuestion;
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

    /** Adds the restricted dimensions to a canonical question (so the same segment is the same question). */
    public CanonicalQuestion describe(CanonicalQuestion q) {
        anyOf(q, "ageBands", ageBands);
        anyOf(q, "genders", genders);
        anyOf(q, "personas", personas);
        anyOf(q, "districts", districts);
        anyOf(q, "householdTypes", householdTypes);
        return q;
    }

    private static void anyOf(CanonicalQuestion q, String key, SortedSet<String> values) {
        if (!values.isEmpty()) q.anyOf(key, values);
    }

    private static SortedSet<String> frozen(SortedSet<String> values) {
        return Collections.unmodifiableSortedSet(values == null ? new TreeSet<>() : new TreeSet<>(values));
    }
}
