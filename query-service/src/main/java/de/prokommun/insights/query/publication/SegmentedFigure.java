package de.prokommun.insights.query.publication;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One figure by segment: its total, per dimension the value of each label (a partition of the total: every
 * person of the figure sits in exactly one label of each dimension) and per persona (not a partition: a person
 * holds several personas or none, "other"). The same shape holds the true counts, the noisy measurements and the
 * published consistent values. Immutable.
 */
public record SegmentedFigure(long total, Map<String, Map<String, Long>> dimensions, Map<String, Long> personas) {

    public SegmentedFigure {
        Map<String, Map<String, Long>> copy = new LinkedHashMap<>();
        dimensions.forEach((d, values) -> copy.put(d, Collections.unmodifiableMap(new LinkedHashMap<>(values))));
        dimensions = Collections.unmodifiableMap(copy);
        personas = Collections.unmodifiableMap(new LinkedHashMap<>(personas));
    }

    /** A figure published as its total only (still active buyers). */
    public static SegmentedFigure totalOnly(long total) {
        return new SegmentedFigure(total, Map.of(), Map.of());
    }

    /** The value of one label of a dimension ("persona" reads the persona cells); null when not published. */
    public Long value(String dimension, String label) {
        if ("persona".equals(dimension)) return personas.get(label);
        Map<String, Long> values = dimensions.get(dimension);
        return values == null ? null : values.get(label);
    }
}
