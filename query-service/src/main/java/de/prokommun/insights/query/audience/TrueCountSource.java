package de.prokommun.insights.query.audience;

import java.util.Map;

/**
 * Where exact counts come from (Pinot). Exact counts never leave the audience package unreleased: the
 * {@link AudienceService} hands them straight to the privacy layer.
 */
public interface TrueCountSource {

    /** The single number of a {@code SELECT COUNT(*)} query. */
    long count(String sql);

    /** Group value → count of a {@code SELECT <column>, COUNT(*) ... GROUP BY <column>} query. */
    Map<String, Long> countsPerValue(String sql);
}
