package de.prokommun.insights.bench.accuracy;

import de.prokommun.insights.query.publication.BuyersByAgeBand;
import de.prokommun.insights.query.publication.PublicationCost;
import de.prokommun.insights.query.publication.PurchaseDomain;
import de.prokommun.insights.query.publication.PurchaseFigureKey;
import de.prokommun.insights.query.publication.PurchaseReleaseCost;
import de.prokommun.insights.query.publication.PurchaseStatistics;
import de.prokommun.insights.query.publication.SegmentedFigure;
import java.util.Arrays;
import java.util.Map;

/**
 * "Category buyers by age band per year (≥ 200 buyers) p95 ≤ 10 %" (issue 13, item 5): every cell category × age
 * band × year of the window whose true buyers are at least {@value #MIN_BUYERS}, answered by the published figure
 * {@code buyers(category, year)} as the service releases it ({@link PurchaseStatistics#release}, its own noise,
 * slice and consistency) at the service's share, and the relative error against the truth. The dominance rule is
 * not applied (the synthetic buyers have no sellers): it withholds figures, it does not change the others.
 */
final class BuyerAccuracy {

    static final int MIN_BUYERS = 200;
    static final double GOAL_P95_PERCENT = 10;

    /** One measurement: cells counted, median and p95 relative error in percent, the σ used. */
    record Result(int cells, double medianPercent, double p95Percent, double sigmaMain, double sigmaSlice, double rho) {}

    private BuyerAccuracy() {}

    static Result measure(Map<PurchaseFigureKey, SegmentedFigure> truth, PurchaseDomain domain, int perMonth,
                          double purchaseRho, double ageBandShare, byte[] key, String releaseId) {
        return measure(truth, truth, PurchaseReleaseCost.of(domain, perMonth, purchaseRho, ageBandShare), key, releaseId);
    }

    /**
     * @param counted   what the pipeline counts and the release noises (with a per-person bound, fewer than the truth)
     * @param reference the true buyers the answers are compared with, and which cells have ≥ {@value #MIN_BUYERS}
     */
    static Result measure(Map<PurchaseFigureKey, SegmentedFigure> counted, Map<PurchaseFigureKey, SegmentedFigure> reference,
                          PurchaseReleaseCost cost, byte[] key, String releaseId) {
        Map<PurchaseFigureKey, SegmentedFigure> published = PurchaseStatistics.release(counted, cost, key, releaseId).figures();
        double[] errors = reference.entrySet().stream().flatMap(e -> e.getValue().dimensions()
                        .get(BuyersByAgeBand.DIMENSION).entrySet().stream()
                        .filter(b -> b.getValue() >= MIN_BUYERS)
                        .map(b -> ErrorStats.relativeError(b.getValue(),
                                Math.max(0, published.get(e.getKey()).value(BuyersByAgeBand.DIMENSION, b.getKey())))))
                .mapToDouble(Double::doubleValue).sorted().toArray();
        return new Result(errors.length,
                errors.length == 0 ? Double.NaN : 100 * ErrorStats.median(errors),
                errors.length == 0 ? Double.NaN : 100 * ErrorStats.nearestRank(errors, 0.95),
                Math.sqrt(cost.main().sigmaSquared().doubleValue()),
                cost.hasSlice() ? Math.sqrt(cost.sliceSigmaSquared().doubleValue()) : Double.NaN, cost.rho());
    }

    /**
     * The cost of a release if the pipeline kept at most {@code bound} categories per person and year (a proposal,
     * not built: flink-jobs would have to enforce it where the distinct rows {@code buyer_year} and the profiles'
     * year tags are formed). The yearly figures, the slice and "still active" then move in at most {@code bound}
     * categories a year instead of all C: Δ²_slice = k·Y, Δ²_figures = S·(C·M + k·Y + P·M) + k·Y (k = min(bound, C));
     * the months and customers stay unbounded.
     */
    static PurchaseReleaseCost boundedCost(PurchaseDomain domain, int bound, int perMonth, double purchaseRho,
                                           double ageBandShare) {
        if (bound < 1) throw new IllegalArgumentException("bound: must be at least 1, got " + bound);
        if (!(ageBandShare > 0 && ageBandShare < 1)) {
            throw new IllegalArgumentException("ageBandShare: must be above 0 and below 1 with a bound, got " + ageBandShare);
        }
        long c = domain.categories().size(), k = Math.min(bound, c), p = domain.participants().size();
        long m = domain.months().size(), y = domain.years().size();
        long figures = domain.sensitivityPerFigure() * (c * m + k * y + p * m) + k * y;
        return new PurchaseReleaseCost(
                new PublicationCost(Math.toIntExact(figures), perMonth, purchaseRho * (1 - ageBandShare)),
                new PublicationCost(Math.toIntExact(k * y), perMonth, purchaseRho * ageBandShare));
    }

    /** How many cells of at least {@link #MIN_BUYERS} there are per size class of buyers (for the reading). */
    static long[] sizes(Map<PurchaseFigureKey, SegmentedFigure> truth) {
        long[] bins = new long[4]; // 200-499, 500-999, 1000-4999, ≥ 5000
        truth.values().forEach(f -> f.dimensions().get(BuyersByAgeBand.DIMENSION).values().forEach(v -> {
            if (v >= 5000) bins[3]++;
            else if (v >= 1000) bins[2]++;
            else if (v >= 500) bins[1]++;
            else if (v >= MIN_BUYERS) bins[0]++;
        }));
        return Arrays.copyOf(bins, bins.length);
    }
}
