package de.prokommun.insights.bench.accuracy;

import de.prokommun.insights.query.publication.BuyersByAgeBand;
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
        PurchaseReleaseCost cost = PurchaseReleaseCost.of(domain, perMonth, purchaseRho, ageBandShare);
        Map<PurchaseFigureKey, SegmentedFigure> published = PurchaseStatistics.release(truth, cost, key, releaseId).figures();
        double[] errors = truth.entrySet().stream().flatMap(e -> e.getValue().dimensions()
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
