package de.prokommun.insights.query.publication;

import java.util.List;
import java.util.Map;

/**
 * Where the exact counts of the cube come from (Pinot). They never leave the publication package unnoised: the
 * {@link Publisher} adds the noise before anything is kept or shown.
 */
public interface CubeSource {

    /** The rows of {@code SELECT g1, ..., gN, COUNT(*) ... GROUP BY g1, ..., gN}: group values → count. */
    Map<List<String>, Long> countsPerGroup(String sql, int groupColumns);
}
