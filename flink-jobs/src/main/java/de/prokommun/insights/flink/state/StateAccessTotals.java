package de.prokommun.insights.flink.state;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link StateAccessCount}s of several operators read as one: the cost of an event in keyed state entries and
 * bytes over the whole chain of operators that process it (tests and benchmarks). A live view: every read sums
 * the counts as they are now.
 */
public final class StateAccessTotals {
    private final List<StateAccessCount> counts;

    private StateAccessTotals(List<StateAccessCount> counts) {
        this.counts = counts;
    }

    public static StateAccessTotals of(StateAccessCount... counts) {
        return new StateAccessTotals(List.of(counts));
    }

    public long reads() {
        return counts.stream().mapToLong(StateAccessCount::reads).sum();
    }

    public long writes() {
        return counts.stream().mapToLong(StateAccessCount::writes).sum();
    }

    public long total() {
        return reads() + writes();
    }

    public long bytesTotal() {
        return counts.stream().mapToLong(StateAccessCount::bytesTotal).sum();
    }

    /** Switches byte measuring on or off in every operator. */
    public void measureBytes(boolean on) {
        counts.forEach(c -> c.measureBytes(on));
    }

    /** State name → {bytes read, bytes written} over all operators (state names are distinct across them). */
    public Map<String, long[]> bytesByState() {
        Map<String, long[]> all = new TreeMap<>();
        for (StateAccessCount c : counts) {
            c.bytesByState().forEach((name, rw) -> {
                long[] sum = all.computeIfAbsent(name, k -> new long[2]);
                sum[0] += rw[0];
                sum[1] += rw[1];
            });
        }
        return all;
    }
}
