package de.prokommun.insights.query.publication;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The buyers slice of the purchase statistics: category × age band × year, measured a second time on its own with
 * its own (smaller) noise, because "who bought X in year Y, by age" is the product-history and assortment question
 * most asked, and inside the segmented figures it shares one σ with a sensitivity of {@code S · (C·(M+Y) + P·M)}.
 *
 * <p>Sensitivity. A person's distinct row of a (category, year) sits in exactly one age band (the band of the moment
 * the key opened), so over one person's data the slice's L2² is the number of (category, year) pairs the person
 * can be a buyer of: {@code Δ² = C · Y}, nothing else. Musterstadt (C = 50, Y = 4): 200, against 7,688 for the whole
 * purchase release — which is why a separate measurement pays off.
 *
 * <p>Combination (post-processing). The published figure {@code buyers(category, year)} keeps its shape; its age-band
 * marginal becomes the inverse-variance weighted mean of the release's own age-band measurement (σ²_main) and this
 * slice's (σ²_slice), per band — the best linear unbiased estimate from both — and {@link SegmentConsistency} then
 * fits the figure's total and marginals to each other with that smaller variance for the age band. Product history,
 * affinity and the assortment check read the age bands of a year from the figure, so they get the slice's accuracy
 * without reading anything new, and every part still adds up to its total.
 *
 * <p>The slice's measurements are kept in the publication's audit part ({@code measured}) under the measure
 * {@value #MEASURE}; they are never served directly.
 */
public final class BuyersByAgeBand {

    public static final String MEASURE = "buyersByAgeBand";
    public static final String DIMENSION = "ageBand";

    private BuyersByAgeBand() {}

    /** Δ² of the slice over one person's data: one age-band cell per (category, year) of the window. */
    public static long sensitivitySquared(PurchaseDomain domain) {
        return (long) domain.categories().size() * domain.years().size();
    }

    /** Whether the slice measures this figure's age bands: buyers of a category in a year of the window. */
    static boolean covers(PurchaseFigureKey key) {
        return PurchaseDomain.BUYERS.equals(key.measure()) && key.period().matches("\\d{4}");
    }

    /** The key under which the slice's measurement of a figure is kept for audit. */
    static PurchaseFigureKey auditKey(PurchaseFigureKey figure) {
        return new PurchaseFigureKey(MEASURE, figure.subject(), figure.period());
    }

    /** The slice as measured: the exact age-band cells plus one draw each, in the bands' order; total = their sum. */
    static SegmentedFigure measure(SegmentedFigure exact, LongSupplier noise) {
        Map<String, Long> bands = new LinkedHashMap<>();
        long sum = 0;
        for (Map.Entry<String, Long> e : exact.dimensions().getOrDefault(DIMENSION, Map.of()).entrySet()) {
            long v = Math.addExact(e.getValue(), noise.getAsLong());
            bands.put(e.getKey(), v);
            sum = Math.addExact(sum, v);
        }
        return new SegmentedFigure(sum, Map.of(DIMENSION, bands), Map.of());
    }

    /**
     * The release's measured figure with its age bands replaced by the inverse-variance weighted mean of its own
     * measurement (variance {@code main}) and the slice's (variance {@code slice}), rounded to integers (the
     * rounding adds at most ½ to an estimate whose σ is tens).
     */
    static SegmentedFigure combine(SegmentedFigure measured, SegmentedFigure sliceMeasured, double main, double slice) {
        Map<String, Long> own = measured.dimensions().get(DIMENSION);
        if (own == null) return measured;
        Map<String, Long> fromSlice = sliceMeasured.dimensions().getOrDefault(DIMENSION, Map.of());
        Map<String, Long> bands = new LinkedHashMap<>();
        own.forEach((band, a) -> {
            Long s = fromSlice.get(band);
            if (s == null) throw new IllegalArgumentException("the slice has no age band " + band);
            bands.put(band, Math.round((a / main + s / slice) / (1 / main + 1 / slice)));
        });
        Map<String, Map<String, Long>> dimensions = new LinkedHashMap<>(measured.dimensions());
        dimensions.put(DIMENSION, bands);
        return new SegmentedFigure(measured.total(), dimensions, measured.personas());
    }

    /** The variance of the combined age-band estimate: 1 / (1/main + 1/slice). */
    static double combinedVariance(double main, double slice) {
        return 1 / (1 / main + 1 / slice);
    }
}
