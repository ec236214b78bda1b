package de.prokommun.insights.query.publication;

import de.prokommun.insights.query.audience.SqlLiteral;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact counts of the current profiles (not deleted; a profile exists only with the resident's consent to
 * profiling) per slice and cell, from one GROUP BY per kind of slice: everybody, per persona (a multi-value
 * column: Pinot groups a person once under each of its personas, and a person without any under Pinot's null
 * value "null", which is persona "other") and per interest (only published interests are kept). A persona outside
 * the vocabulary (only if the jobs' personas.json differs from the service's) is not published: pooling several
 * of them into "other" would count one person more than once in a slice, and the sensitivity argument needs
 * every person in at most one cell of each slice. Age bands and districts outside the vocabulary go to the
 * "other" cells, so every profile is counted in the slice of everybody.
 */
final class TrueCube {

    private static final String CUBE = "ageBand, gender, district, householdType";
    /** Pinot's default null value of a string column: what an empty multi-value column groups under. */
    static final String NO_VALUE = "null";
    /** Far above any real cube (bands x genders x districts x households x personas), so nothing is cut. */
    private static final int MAX_GROUPS = 1_000_000;

    private final CubeSource source;
    private final String table;

    TrueCube(CubeSource source, String table) {
        if (!table.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new IllegalArgumentException("bad table name " + table);
        this.source = source;
        this.table = table;
    }

    Map<String, Map<CellKey, Long>> count(String city, CubeDomain domain) {
        Map<String, Map<CellKey, Long>> slices = new HashMap<>();
        String where = " WHERE city = " + SqlLiteral.quote(city) + " AND deleted = false";
        source.countsPerGroup("SELECT " + CUBE + ", COUNT(*) FROM " + table + where + " GROUP BY " + CUBE
                + " LIMIT " + MAX_GROUPS, 4).forEach((g, n) -> add(slices, CubeDomain.ALL, domain, g, n));
        source.countsPerGroup("SELECT " + CUBE + ", personas, COUNT(*) FROM " + table + where + " GROUP BY " + CUBE
                + ", personas LIMIT " + MAX_GROUPS, 5).forEach((g, n) -> {
            if (domain.personas().contains(g.get(4))) add(slices, CubeDomain.personaSlice(g.get(4)), domain, g, n);
            else if (NO_VALUE.equals(g.get(4))) add(slices, CubeDomain.personaSlice(CubeDomain.OTHER), domain, g, n);
        });
        if (!domain.interests().isEmpty()) {
            source.countsPerGroup("SELECT " + CUBE + ", interests, COUNT(*) FROM " + table + where
                    + " AND interests IN " + SqlLiteral.list(domain.interests()) + " GROUP BY " + CUBE
                    + ", interests LIMIT " + MAX_GROUPS, 5).forEach((g, n) -> {
                if (domain.interests().contains(g.get(4))) add(slices, CubeDomain.interestSlice(g.get(4)), domain, g, n);
            });
        }
        return slices;
    }

    private static void add(Map<String, Map<CellKey, Long>> slices, String slice, CubeDomain domain,
                            List<String> group, long n) {
        CellKey cell = domain.cellOf(group.get(0), group.get(1), group.get(2), group.get(3));
        slices.computeIfAbsent(slice, s -> new HashMap<>()).merge(cell, n, Long::sum);
    }
}
