package de.prokommun.insights.query.journey;

import de.prokommun.insights.privacy.TrueCell;
import de.prokommun.insights.query.audience.AudienceQuery;
import de.prokommun.insights.query.audience.TrueCountSource;
import de.prokommun.insights.query.insights.ContributionQuery;
import de.prokommun.insights.query.insights.ContributionSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The only reader of true journey figures (sums over the contribution rows, residents from the profiles). What it
 * returns goes straight into a {@link de.prokommun.insights.query.insights.ReleasePlan}; it never leaves the package.
 */
final class JourneyData {

    static final String OTHER = "other";
    private static final int MAX_UNKNOWN_GROUPS = 1000;

    private final ContributionSource contributions;
    private final TrueCountSource profiles;
    private final String contributionsTable;

    JourneyData(ContributionSource contributions, TrueCountSource profiles, String contributionsTable) {
        this.contributions = contributions;
        this.profiles = profiles;
        this.contributionsTable = contributionsTable;
    }

    ContributionQuery query(String city, String measure, String valueColumn) {
        return ContributionQuery.sumOf(contributionsTable, city, measure, valueColumn);
    }

    /** The sum of a query without grouping. */
    long total(ContributionQuery q) {
        return contributions.sums(q.sql(1), 0).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Group values (null for a missing value) → sum, of a grouped query. */
    Map<List<String>, Long> grouped(ContributionQuery q, int expectedGroups) {
        return contributions.sums(q.sql(expectedGroups + MAX_UNKNOWN_GROUPS), q.groupColumns());
    }

    /**
     * One cell per label in order, zeros included; the groups of a one-column query outside the labels are pooled
     * in {@link #OTHER} when {@code withOther} (else left out: they are rows the asker may not see).
     */
    List<TrueCell> cells(ContributionQuery q, List<String> labels, boolean withOther) {
        return cells(grouped(q, labels.size()), key -> key.get(0), labels, withOther);
    }

    /** As {@link #cells(ContributionQuery, List, boolean)} with the label of each group made by {@code label}. */
    static List<TrueCell> cells(Map<List<String>, Long> groups, Function<List<String>, String> label, List<String> labels,
                                boolean withOther) {
        Map<String, Long> perLabel = new TreeMap<>();
        long other = 0;
        for (Map.Entry<List<String>, Long> g : groups.entrySet()) {
            String l = label.apply(g.getKey());
            if (l != null && labels.contains(l)) perLabel.merge(l, g.getValue(), Long::sum);
            else other += g.getValue();
        }
        List<TrueCell> cells = new ArrayList<>();
        for (String l : labels) cells.add(new TrueCell(l, perLabel.getOrDefault(l, 0L)));
        if (withOther) cells.add(new TrueCell(OTHER, other));
        return cells;
    }

    /** Residents now (profiles) per value of the query's breakdown, as cells in label order plus "other". */
    List<TrueCell> residents(AudienceQuery grouped, List<String> labels) {
        Map<List<String>, Long> groups = new TreeMap<>((a, b) -> Objects.compare(a.get(0), b.get(0),
                java.util.Comparator.nullsFirst(String::compareTo)));
        profiles.countsPerValue(grouped.breakdownSql(labels.size() + MAX_UNKNOWN_GROUPS))
                .forEach((k, v) -> groups.merge(java.util.Collections.singletonList(k), v, Long::sum));
        return cells(groups, key -> key.get(0), labels, true);
    }

    /** A flow or pair label "A→B". */
    static String pair(String from, String to) {
        return from + "→" + to;
    }
}
