package de.prokommun.insights.bench.accuracy;

import java.util.Map;

/**
 * One point of the trade-off: a cap ε per resident and month, N publications a month, the noise σ of
 * the slice of everybody's cells that follows from them, and the p95 relative error (percent, median over the runs)
 * per size class, of the answers served and of the estimates rounded once per answer (diagnostic).
 */
public record Tradeoff(double epsilon, int perMonth, double sigma, Map<SizeClass, Double> p95Percent,
                       Map<SizeClass, Double> p95EstimatesPercent) {
    public Tradeoff {
        p95Percent = Map.copyOf(p95Percent);
        p95EstimatesPercent = Map.copyOf(p95EstimatesPercent);
    }
}
