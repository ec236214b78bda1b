package de.prokommun.insights.query.insights;

import java.util.List;
import java.util.Map;

/**
 * Where exact sums of contribution deltas come from (Pinot's table "contributions"). They never leave the
 * insights package unreleased: the {@link InsightsService} hands them straight to the privacy layer.
 */
public interface ContributionSource {

    /**
     * The rows of {@code SELECT g1, ..., gN, SUM(x) ... GROUP BY g1, ..., gN} (or of a plain {@code SELECT SUM(x)}
     * when {@code groupColumns} is 0): group values → the sum as a whole number.
     */
    Map<List<String>, Long> sums(String sql, int groupColumns);
}
