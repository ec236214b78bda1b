package de.prokommun.insights.bench.accuracy;

import java.util.Map;

/**
 * One point of the trade-off: a cap ε per resident and month, N publications a month, the noise σ of every
 * measured node that follows from them, and the p95 relative error (percent, median over the runs) per size class.
 */
public record Tradeoff(double epsilon, int perMonth, double sigma, Map<SizeClass, Double> p95Percent,
                       Map<SizeClass, Double> p95LeastSquaresPercent) {
    public Tradeoff {
        p95Percent = Map.copyOf(p95Percent);
        p95LeastSquaresPercent = Map.copyOf(p95LeastSquaresPercent);
    }
}
