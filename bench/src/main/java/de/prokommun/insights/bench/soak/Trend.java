package de.prokommun.insights.bench.soak;

import java.util.List;

/** Least-squares slope of y over x (per hour when x is in seconds): a growth trend in a soak's time series. */
final class Trend {
    private Trend() {}

    /** Slope per 3600 x-units of the points whose y is known; NaN with fewer than 3 such points. */
    static double perHour(List<double[]> points) {
        double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (double[] p : points) {
            if (Double.isNaN(p[1])) continue;
            n++;
            sx += p[0];
            sy += p[1];
            sxx += p[0] * p[0];
            sxy += p[0] * p[1];
        }
        if (n < 3) return Double.NaN;
        double denominator = n * sxx - sx * sx;
        if (denominator == 0) return Double.NaN;
        return (n * sxy - sx * sy) / denominator * 3600;
    }
}
