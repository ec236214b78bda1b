package de.prokommun.insights.query.insights;

import de.prokommun.insights.query.audience.Breakdown;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/** The validated questions about purchase behaviour (categories are second-level ids of the city's taxonomy). */
public final class InsightsRequests {
    private InsightsRequests() {}

    /**
     * Buyers, purchases and spend of a category in one period per segment, with each segment's lift.
     * {@code personas} narrows a persona segmentation to these cells (each persona cell costs its own ε).
     */
    public record Affinity(String category, Granularity granularity, int period, Breakdown segmentBy,
                           SortedSet<String> personas) {
        public Affinity { personas = frozen(personas); }
    }

    /** Buyers per period (optionally per segment) and how many of each year's buyers are still active. */
    public record History(String category, Granularity granularity, int from, int to, Breakdown segmentBy,
                          SortedSet<String> personas) {
        public History { personas = frozen(personas); }
    }

    /**
     * Everything a merchant weighs before ordering a product of a category: interested residents, trend,
     * seasonality over the last {@code years} years, personas by lift, and (with {@code customerOf}) its own
     * customers' persona mix against the city's.
     */
    public record Assortment(String category, int years, String customerOf, SortedSet<String> personas) {
        public Assortment { personas = frozen(personas); }
    }

    /**
     * A participant's own customers of the last complete month, by segment ("Meine Kundschaft"). {@code participant}
     * is the asker itself for a participant (another participant's customers are 403), any participant for the
     * operator.
     */
    public record Customers(String participant, Breakdown segmentBy) {}

    /** Buyers, purchases and spend per period of a category within a demographic segment. */
    public record Trend(String category, SegmentFilter segment, Granularity granularity, int from, int to) {}

    private static SortedSet<String> frozen(SortedSet<String> values) {
        return Collections.unmodifiableSortedSet(values == null ? new TreeSet<>() : new TreeSet<>(values));
    }
}
