package de.prokommun.insights.query.publication;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;

/**
 * Turns a slice's least-squares estimates into the integer cells that every answer is summed from: each estimate is
 * rounded down and the slice's remainder goes, one unit each, to the cells with the largest fractional parts (ties
 * to the earlier cell), so the cells add up to the rounded total of the estimates. Cells keep their sign.
 *
 * <p>Why one integer table: every answer, every breakdown part and every total is then a sum of the same integers —
 * a district asked alone equals that district's part of a breakdown, and a breakdown's parts add up to its count —
 * so no released figure contradicts another. Why signed: the previous table clamped every cell at zero and rescaled
 * the rest (the TopDown idea), which on 2,160 noisy cells per slice moved mass into the many near-empty ones and
 * biased sums by up to 47 % (docs/BENCHMARKS.md). Rounding without clamping only adds an unbiased error of at most
 * ±0.5 per cell (about √(k/12) on a sum of k cells, 13 on all 2,160, against noise σ ≥ 44), and the slice total is
 * exact. A shown figure is clamped at 0 and suppressed below the minimum cell size, so a negative sum is never shown.
 */
final class SignedCellRounding {

    private SignedCellRounding() {}

    static Map<CellKey, Long> round(Map<CellKey, Double> estimates) {
        List<CellKey> keys = new ArrayList<>(estimates.keySet());
        int n = keys.size();
        long[] floors = new long[n];
        double[] fractions = new double[n];
        double total = 0;
        long floorSum = 0;
        for (int i = 0; i < n; i++) {
            double v = estimates.get(keys.get(i));
            if (!Double.isFinite(v)) throw new IllegalArgumentException("not a finite estimate: " + keys.get(i));
            floors[i] = (long) Math.floor(v);
            fractions[i] = v - floors[i];
            total += v;
            floorSum += floors[i];
        }
        long remainder = Math.round(total) - floorSum;
        Integer[] byFraction = new Integer[n];
        for (int i = 0; i < n; i++) byFraction[i] = i;
        Arrays.sort(byFraction, Comparator.comparingDouble((Integer i) -> -fractions[i]).thenComparingInt(i -> i));
        // Floating-point error can put the remainder one unit outside 0..n; the loops still end with the exact sum.
        for (int k = 0; remainder > 0; k = (k + 1) % n, remainder--) floors[byFraction[k]]++;
        for (int k = n - 1; remainder < 0; k = (k + n - 1) % n, remainder++) floors[byFraction[k]]--;
        Map<CellKey, Long> cells = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) cells.put(keys.get(i), floors[i]);
        return cells;
    }
}
