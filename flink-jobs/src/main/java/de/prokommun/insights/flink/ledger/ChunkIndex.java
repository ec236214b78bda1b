package de.prokommun.insights.flink.ledger;

import java.util.Arrays;

/**
 * The chunks of a {@link ReceiptCalendar} in time order, as one {@code long[]} state value: the next free chunk id,
 * then per chunk its id and the event time of its first receipt. 16 bytes a chunk of up to 32 receipts.
 */
final class ChunkIndex {
    private long[] v;

    ChunkIndex(long[] encoded) {
        this.v = encoded == null || encoded.length == 0 ? new long[] {0L} : encoded.clone();
    }

    long[] encoded() {
        return v;
    }

    int size() {
        return (v.length - 1) / 2;
    }

    int id(int at) {
        return (int) v[1 + 2 * at];
    }

    long first(int at) {
        return v[2 + 2 * at];
    }

    void setFirst(int at, long time) {
        v[2 + 2 * at] = time;
    }

    /** A chunk id not used before by this person. */
    int newId() {
        return (int) v[0]++;
    }

    /** The position of the last chunk whose first receipt is at or before {@code time}, or -1. */
    int lastStartingAtOrBefore(long time) {
        int found = -1;
        for (int at = 0; at < size() && first(at) <= time; at++) found = at;
        return found;
    }

    void insert(int at, int id, long first) {
        long[] grown = new long[v.length + 2];
        System.arraycopy(v, 0, grown, 0, 1 + 2 * at);
        grown[1 + 2 * at] = id;
        grown[2 + 2 * at] = first;
        System.arraycopy(v, 1 + 2 * at, grown, 3 + 2 * at, v.length - 1 - 2 * at);
        v = grown;
    }

    void delete(int at) {
        long[] shrunk = Arrays.copyOf(v, v.length - 2);
        System.arraycopy(v, 3 + 2 * at, shrunk, 1 + 2 * at, v.length - 3 - 2 * at);
        v = shrunk;
    }
}
