package de.prokommun.insights.query.publication;

import de.prokommun.insights.query.audience.CountsUnavailableException;
import de.prokommun.insights.query.audience.SqlLiteral;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The exact counts of the current profiles (not deleted; a profile exists only with the resident's consent to
 * profiling) per slice and cell, from GROUP BYs per kind of slice: everybody, per persona (a multi-value
 * column: Pinot groups a person once under each of its personas, and a person without any under Pinot's null
 * value "null", which is persona "other") and per interest (only published interests are kept). A persona outside
 * the vocabulary (only if the jobs' personas.json differs from the service's) is not published: pooling several
 * of them into "other" would count one person more than once in a slice, and the sensitivity argument needs
 * every person in at most one cell of each slice. Age bands and districts outside the vocabulary go to the
 * "other" cells, so every profile is counted in the slice of everybody.
 *
 * <p>Recent activity ({@link RecentActivity}) is counted as nested windows: each kind of slice is asked once per
 * window ({@code lastPurchaseDay >= today − days}) and once without, and a bucket is the difference of two nested
 * counts (a profile without purchases has Pinot's null INT, far below any window, so it is "older").
 */
public final class TrueCube {

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

    /**
     * The latest activity day of a city's current profiles, for {@link PublicationGate} only: it decides when to
     * publish and is never shown (MAX of a city without profiles is no whole number, or Pinot is away: none).
     */
    public static PublicationGate.LatestActivity latestActivity(CubeSource source, String table) {
        if (!table.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new IllegalArgumentException("bad table name " + table);
        return city -> {
            Map<List<String>, Long> max;
            try {
                max = source.countsPerGroup("SELECT MAX(lastActivityDay) FROM " + table + " WHERE city = "
                        + SqlLiteral.quote(city) + " AND deleted = false", 0);
            } catch (CountsUnavailableException e) {
                return java.util.OptionalLong.empty();
            }
            Long day = max.get(List.of());
            return day == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(day);
        };
    }

    /** @param today the epoch day the activity windows end on (the publication's data day in the city) */
    Map<String, Map<CellKey, Long>> count(String city, CubeDomain domain, long today) {
        Map<String, Map<CellKey, Long>> slices = new HashMap<>();
        String where = " WHERE city = " + SqlLiteral.quote(city) + " AND deleted = false";
        byActivity(today, window -> source.countsPerGroup("SELECT " + CUBE + ", COUNT(*) FROM " + table + where
                + window + " GROUP BY " + CUBE + " LIMIT " + MAX_GROUPS, 4))
                .forEach((g, n) -> add(slices, CubeDomain.ALL, domain, g, n));
        byActivity(today, window -> source.countsPerGroup("SELECT " + CUBE + ", personas, COUNT(*) FROM " + table
                + where + window + " GROUP BY " + CUBE + ", personas LIMIT " + MAX_GROUPS, 5)).forEach((g, n) -> {
            if (domain.personas().contains(g.get(4))) add(slices, CubeDomain.personaSlice(g.get(4)), domain, g, n);
            else if (NO_VALUE.equals(g.get(4))) add(slices, CubeDomain.personaSlice(CubeDomain.OTHER), domain, g, n);
        });
        if (!domain.interests().isEmpty()) {
            byActivity(today, window -> source.countsPerGroup("SELECT " + CUBE + ", interests, COUNT(*) FROM " + table
                    + where + " AND interests IN " + SqlLiteral.list(domain.interests()) + window + " GROUP BY " + CUBE
                    + ", interests LIMIT " + MAX_GROUPS, 5)).forEach((g, n) -> {
                if (domain.interests().contains(g.get(4))) add(slices, CubeDomain.interestSlice(g.get(4)), domain, g, n);
            });
        }
        return slices;
    }

    /**
     * The counts of one kind of slice per group and activity bucket: the group's values with the bucket appended.
     * {@code ask} gets the extra WHERE term of a window ("" for no window). The windows are asked narrowest first and
     * the whole slice last: profiles change while the queries run, and a resident only ever moves into a narrower
     * window (a purchase) or appears (a registration), so asked in this order a resident who moves or appears
     * meanwhile is counted once, in a bucket at most one query old. Only one who disappears or moves out (erasure,
     * withdrawal, a retraction) or changes group (a corrected postcode or household, a birthday into the next age band)
     * in those seconds can make a wider window count less than a narrower one; then the
     * publication is not made (it would count that resident in two buckets) and the next check tries again.
     */
    static Map<List<String>, Long> byActivity(long today, Function<String, Map<List<String>, Long>> ask) {
        List<Map<List<String>, Long>> nested = new ArrayList<>();
        for (int days : RecentActivity.WINDOWS) {
            nested.add(ask.apply(" AND lastPurchaseDay >= " + Math.subtractExact(today, days)));
        }
        nested.add(ask.apply(""));
        Map<List<String>, Long> buckets = new LinkedHashMap<>();
        Map<List<String>, Long> inner = Map.of();
        for (int i = 0; i < nested.size(); i++) {
            String bucket = i < RecentActivity.WINDOWS.size() ? RecentActivity.bucket(RecentActivity.WINDOWS.get(i))
                    : RecentActivity.OLDER;
            putDifference(buckets, nested.get(i), inner, bucket);
            inner = nested.get(i);
        }
        return buckets;
    }

    /** outer − inner per group, under the bucket between them; a group in inner but not outer is a count error. */
    private static void putDifference(Map<List<String>, Long> buckets, Map<List<String>, Long> outer,
                                      Map<List<String>, Long> inner, String bucket) {
        outer.forEach((group, n) -> {
            long difference = n - inner.getOrDefault(group, 0L);
            if (difference < 0) {
                throw new IllegalStateException("a narrower activity window counted more than a wider one in " + group
                        + " (a profile changed its group, was erased or withdrawn between the queries); publishing later");
            }
            if (difference > 0) buckets.put(withBucket(group, bucket), difference);
        });
        for (List<String> group : inner.keySet()) {
            if (!outer.containsKey(group)) {
                throw new IllegalStateException("a narrower activity window counted a group a wider one did not: "
                        + group + " (a profile changed its group, was erased or withdrawn between the queries); publishing later");
            }
        }
    }

    private static List<String> withBucket(List<String> group, String bucket) {
        List<String> key = new ArrayList<>(group);
        key.add(bucket);
        return List.copyOf(key);
    }

    private static void add(Map<String, Map<CellKey, Long>> slices, String slice, CubeDomain domain,
                            List<String> group, long n) {
        String activity = group.get(group.size() - 1);
        CellKey cell = domain.cellOf(group.get(0), group.get(1), group.get(2), group.get(3), activity);
        slices.computeIfAbsent(slice, s -> new HashMap<>()).merge(cell, n, Long::sum);
    }
}
