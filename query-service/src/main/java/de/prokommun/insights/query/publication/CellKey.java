package de.prokommun.insights.query.publication;

import java.util.List;

/**
 * The coordinates of one published cell: age band, gender, district, household type and recent activity, each a
 * value of the city's vocabulary (activity: a {@link RecentActivity} bucket) or {@link CubeDomain#OTHER} for
 * everything outside it (no district, an unknown value), so that every profile falls into exactly one cell of a
 * slice and nobody is lost from a total.
 */
public record CellKey(String ageBand, String gender, String district, String householdType, String activity) {

    static final int PARTS = 5;

    public List<String> parts() {
        return List.of(ageBand, gender, district, householdType, activity);
    }

    public static CellKey of(List<String> parts) {
        if (parts.size() != PARTS) throw new IllegalArgumentException("a cell key has " + PARTS + " parts: " + parts);
        return new CellKey(parts.get(0), parts.get(1), parts.get(2), parts.get(3), parts.get(4));
    }
}
