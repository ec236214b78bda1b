package de.prokommun.insights.flink.ledger;

import de.prokommun.insights.contract.Measures.Names;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import de.prokommun.insights.flink.state.KeyedStates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;

/**
 * The person's open distinct counts ({@link DistinctKeys}), kept in groups by period: buyer_month and customer_month
 * of a month in one state entry, buyer_year and customer_year of a year in one, active_resident per day, the
 * internal customer key per participant. A receipt supports eight distinct keys; one entry per key cost eight RocksDB
 * reads and eight writes per purchase, the largest share of the operator's CPU at a long history (Java Flight
 * Recorder). Grouped, a purchase reads and writes four entries, each bounded by the categories and participants of
 * one period. Groups read during one operation are cached and written once by {@link #flush}.
 */
final class DistinctCounts {
    private final MapState<String, OpenDistinctGroup> groups;
    private final Map<String, OpenDistinctGroup> cache = new HashMap<>();
    private final List<String> dirty = new ArrayList<>();

    DistinctCounts(KeyedStates states) {
        groups = states.map("ledger-distinct-groups", StringSerializer.INSTANCE, OpenDistinctGroupSerializer.INSTANCE);
    }

    OpenDistinct get(String key) throws Exception {
        return group(groupOf(key)).find(key);
    }

    /** Stores the (changed) open count; it is written with its group at {@link #flush}. */
    void put(String key, OpenDistinct open) throws Exception {
        String g = groupOf(key);
        group(g).put(key, open);
        if (!dirty.contains(g)) dirty.add(g);
    }

    void remove(String key) throws Exception {
        String g = groupOf(key);
        group(g).remove(key);
        if (!dirty.contains(g)) dirty.add(g);
    }

    /** Writes the changed groups and forgets the cache (the next event may belong to another person). */
    void flush() throws Exception {
        for (String g : dirty) {
            OpenDistinctGroup group = cache.get(g);
            if (group.isEmpty()) groups.remove(g);
            else groups.put(g, group);
        }
        dirty.clear();
        cache.clear();
    }

    /** Every open count of the person (after a flush). */
    List<OpenDistinct> all() throws Exception {
        List<OpenDistinct> all = new ArrayList<>();
        for (OpenDistinctGroup group : groups.values()) all.addAll(List.of(group.open));
        return all;
    }

    void clear() {
        groups.clear();
        cache.clear();
        dirty.clear();
    }

    private OpenDistinctGroup group(String g) throws Exception {
        OpenDistinctGroup cached = cache.get(g);
        if (cached != null) return cached;
        OpenDistinctGroup stored = groups.get(g);
        OpenDistinctGroup found = stored == null ? new OpenDistinctGroup() : stored;
        cache.put(g, found);
        return found;
    }

    /** The group of a distinct key (measure ␟ participant ␟ category ␟ period, see {@link DistinctKeys#keyOf}). */
    static String groupOf(String key) {
        String measure = key.substring(0, key.indexOf('\u001f'));
        String period = key.substring(key.lastIndexOf('\u001f') + 1);
        return switch (measure) {
            case Names.BUYER_MONTH, Names.CUSTOMER_MONTH -> "m" + period;
            case Names.BUYER_YEAR, Names.CUSTOMER_YEAR -> "y" + period;
            case Names.ACTIVE_RESIDENT -> "d" + period;
            default -> "k" + key; // the internal customer key: one per participant, a group of its own
        };
    }
}
