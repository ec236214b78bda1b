package de.prokommun.insights.query.publication;

import java.time.Instant;
import java.time.YearMonth;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One release of a city's published statistics (Stadtstatistik): per slice (everybody, each persona, each
 * published interest) the noisy measurements of the marginals its {@link MeasurementPlan} lists, and the one
 * consistent estimate of every cell fitted to all of them ({@link SliceMarginals}). Noise was drawn once per
 * measured value and the release was paid once from the city's publication share; everything computed from it
 * (sums, breakdowns) is post-processing and free. Immutable.
 *
 * <p>Answers are sums of {@code cells}: the real-valued least-squares {@code estimates} (sums of them are unbiased
 * and every marginal agrees with every other) rounded to integers that add up to each slice's rounded total,
 * without clamping at zero ({@link SignedCellRounding}), so every released figure is a sum of the same integers;
 * {@code measurements} are the noisy values as drawn and {@code noise} the σ² of each slice's marginals, kept for
 * audit (and re-derivation by whoever holds the key).
 *
 * @param id           unique per city and publication period, e.g. {@code musterstadt/2026-12/2of4}; the city
 *                     budget charges a release id once
 * @param month        the city-month whose publication share paid it
 * @param publishedAt  when it was released
 * @param dataAsOf     when Pinot was counted (the data it shows)
 * @param rho          the ρ (zCDP) it cost, for every resident: Σ over every measurement of 1/(2σ²)
 * @param sigmaSquared the σ² of the noise of the cells of the slice of everybody, as an exact decimal (every
 *                     measurement's own σ² is in {@code noise})
 * @param noise        per slice, marginal name → σ² of its noise, as an exact decimal
 */
public record Publication(String city, String id, YearMonth month, Instant publishedAt, Instant dataAsOf,
                          double rho, String sigmaSquared, Map<String, Map<CellKey, Long>> cells,
                          Map<String, List<Measurement>> measurements, Map<String, Map<CellKey, Double>> estimates,
                          Map<String, Map<String, String>> noise) {

    public Publication {
        Map<String, List<Measurement>> measured = new LinkedHashMap<>();
        measurements.forEach((slice, values) -> measured.put(slice, List.copyOf(values)));
        measurements = Collections.unmodifiableMap(measured);
        Map<String, Map<CellKey, Long>> copy = new LinkedHashMap<>();
        cells.forEach((slice, values) -> copy.put(slice, Collections.unmodifiableMap(new LinkedHashMap<>(values))));
        cells = Collections.unmodifiableMap(copy);
        Map<String, Map<CellKey, Double>> fitted = new LinkedHashMap<>();
        estimates.forEach((slice, values) -> fitted.put(slice, Collections.unmodifiableMap(new LinkedHashMap<>(values))));
        estimates = Collections.unmodifiableMap(fitted);
        Map<String, Map<String, String>> sigmas = new LinkedHashMap<>();
        noise.forEach((slice, values) -> sigmas.put(slice, Collections.unmodifiableMap(new LinkedHashMap<>(values))));
        noise = Collections.unmodifiableMap(sigmas);
        if (!estimates.keySet().equals(cells.keySet())) {
            throw new IllegalArgumentException("estimates and cells must cover the same slices");
        }
    }

    /**
     * A publication known by its integer cells only (made before the least-squares estimates were kept, or in
     * tests): the estimates are the integer cells themselves.
     */
    public Publication(String city, String id, YearMonth month, Instant publishedAt, Instant dataAsOf, double rho,
                       String sigmaSquared, Map<String, Map<CellKey, Long>> cells, Map<String, List<Measurement>> measurements) {
        this(city, id, month, publishedAt, dataAsOf, rho, sigmaSquared, cells, measurements, asEstimates(cells), Map.of());
    }

    private static Map<String, Map<CellKey, Double>> asEstimates(Map<String, Map<CellKey, Long>> cells) {
        Map<String, Map<CellKey, Double>> estimates = new LinkedHashMap<>();
        cells.forEach((slice, values) -> {
            Map<CellKey, Double> v = new LinkedHashMap<>();
            values.forEach((k, n) -> v.put(k, (double) n));
            estimates.put(slice, v);
        });
        return estimates;
    }

    public boolean hasSlice(String slice) {
        return cells.containsKey(slice);
    }

    /** The sum of the slice's estimates that the predicate selects: unbiased, real-valued, possibly negative. */
    public double estimate(String slice, Predicate<CellKey> selected) {
        Map<CellKey, Double> values = estimates.get(slice);
        if (values == null) throw new IllegalArgumentException("publication " + id + " has no slice " + slice);
        double sum = 0;
        for (Map.Entry<CellKey, Double> e : values.entrySet()) {
            if (selected.test(e.getKey())) sum += e.getValue();
        }
        return sum;
    }

    /**
     * The sums of the slice's selected integer cells per value of one dimension, in one pass over the slice (a
     * breakdown asked as one sum per label would pass over every cell once per label).
     */
    public Map<String, Long> sumsBy(String slice, Predicate<CellKey> selected, Function<CellKey, String> dimension) {
        Map<CellKey, Long> values = cells.get(slice);
        if (values == null) throw new IllegalArgumentException("publication " + id + " has no slice " + slice);
        Map<String, Long> sums = new HashMap<>();
        for (Map.Entry<CellKey, Long> e : values.entrySet()) {
            if (selected.test(e.getKey())) sums.merge(dimension.apply(e.getKey()), e.getValue(), Math::addExact);
        }
        return sums;
    }

    /** The sum of the slice's integer cells that the predicate selects: what an answer shows, clamped at zero. */
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
