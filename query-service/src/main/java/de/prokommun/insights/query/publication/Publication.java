package de.prokommun.insights.query.publication;

import java.time.Instant;
import java.time.YearMonth;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One release of a city's published statistics (Stadtstatistik): per slice (everybody, each persona, each
 * published interest) the noisy count of every cell of the cube. The cells are released values: noise was drawn
 * once per cell and the release was paid once from the city's publication share; everything computed from them
 * (sums, breakdowns) is post-processing and free. Immutable.
 *
 * <p>The cells are the consistent estimates ({@link SliceHierarchy}): non-negative integers whose sums over any
 * district, age band or gender agree with every level measured; {@code measurements} are the noisy counts as
 * drawn, kept for audit.
 *
 * @param id           unique per city and publication period, e.g. {@code musterstadt/2026-12/2of4}; the city
 *                     budget charges a release id once
 * @param month        the city-month whose publication share paid it
 * @param publishedAt  when it was released
 * @param dataAsOf     when Pinot was counted (the data it shows)
 * @param rho          the ρ (zCDP) it cost, for every resident
 * @param sigmaSquared the variance parameter of the discrete Gaussian noise of each cell, as an exact decimal
 */
public record Publication(String city, String id, YearMonth month, Instant publishedAt, Instant dataAsOf,
                          double rho, String sigmaSquared, Map<String, Map<CellKey, Long>> cells,
                          Map<String, List<Measurement>> measurements) {

    public Publication {
        Map<String, List<Measurement>> measured = new LinkedHashMap<>();
        measurements.forEach((slice, values) -> measured.put(slice, List.copyOf(values)));
        measurements = Collections.unmodifiableMap(measured);
        Map<String, Map<CellKey, Long>> copy = new LinkedHashMap<>();
        cells.forEach((slice, values) -> copy.put(slice, Collections.unmodifiableMap(new LinkedHashMap<>(values))));
        cells = Collections.unmodifiableMap(copy);
    }

    public boolean hasSlice(String slice) {
        return cells.containsKey(slice);
    }

    /** The sum of the slice's cells that the predicate selects (signed; the caller clamps what it shows). */
    public long sum(String slice, Predicate<CellKey> selected) {
        Map<CellKey, Long> values = cells.get(slice);
        if (values == null) throw new IllegalArgumentException("publication " + id + " has no slice " + slice);
        long sum = 0;
        for (Map.Entry<CellKey, Long> e : values.entrySet()) {
            if (selected.test(e.getKey())) sum = Math.addExact(sum, e.getValue());
        }
        return sum;
    }
}
