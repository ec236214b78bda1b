package de.prokommun.insights.query.publication;

import java.time.Instant;
import java.time.YearMonth;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One release of a city's purchase statistics: per category its buyers of each month and year of the window by
 * segment and its still-active buyers per year, per participant its customers of each month by segment
 * ({@link PurchaseDomain}). Like the audience {@link Publication} it is paid once from the city's publication share
 * and everything computed from it is post-processing. Immutable.
 *
 * @param id           {@code <audience release id>/purchases}, charged once by the city budget
 * @param figures      the published (consistent, non-negative integer) figures
 * @param measured     the noisy figures as drawn, kept for audit (and re-derivation with the key); this includes
 *                     the figures the dominance rule withholds, so it is never served
 * @param pooled       the figures of first-level categories that pool withheld sub-categories
 *                     ({@link CategoryConfidentiality}), and which sub-categories each holds
 * @param ageBandSigmaSquared σ² of the {@link BuyersByAgeBand} slice's cells (its measurements are in
 *                     {@code measured} under that measure), null when the release has no slice; {@code rho} is the
 *                     sum of both parts' ρ
 */
public record PurchasePublication(String city, String id, YearMonth month, Instant publishedAt, Instant dataAsOf,
                                  double rho, String sigmaSquared, Map<PurchaseFigureKey, SegmentedFigure> figures,
                                  Map<PurchaseFigureKey, SegmentedFigure> measured,
                                  Map<PurchaseFigureKey, java.util.List<String>> pooled,
                                  String ageBandSigmaSquared) {

    public PurchasePublication {
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
        measured = Collections.unmodifiableMap(new LinkedHashMap<>(measured));
        Map<PurchaseFigureKey, java.util.List<String>> copy = new LinkedHashMap<>();
        pooled.forEach((k, children) -> copy.put(k, java.util.List.copyOf(children)));
        pooled = Collections.unmodifiableMap(copy);
    }

    /** A release without the age-band slice. */
    public PurchasePublication(String city, String id, YearMonth month, Instant publishedAt, Instant dataAsOf,
                               double rho, String sigmaSquared, Map<PurchaseFigureKey, SegmentedFigure> figures,
                               Map<PurchaseFigureKey, SegmentedFigure> measured,
                               Map<PurchaseFigureKey, java.util.List<String>> pooled) {
        this(city, id, month, publishedAt, dataAsOf, rho, sigmaSquared, figures, measured, pooled, null);
    }

    /** A release without pooled categories and without the age-band slice. */
    public PurchasePublication(String city, String id, YearMonth month, Instant publishedAt, Instant dataAsOf,
                               double rho, String sigmaSquared, Map<PurchaseFigureKey, SegmentedFigure> figures,
                               Map<PurchaseFigureKey, SegmentedFigure> measured) {
        this(city, id, month, publishedAt, dataAsOf, rho, sigmaSquared, figures, measured, Map.of());
    }

    public Optional<SegmentedFigure> figure(PurchaseFigureKey key) {
        return Optional.ofNullable(figures.get(key));
    }
}
