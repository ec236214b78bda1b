package de.prokommun.insights.flink.state;

/**
 * How many keyed state entries an operator read and wrote (an iteration reads one entry per element). Shown as the
 * operator's metrics {@code stateReads} / {@code stateWrites}, so that the cost of an event in state round trips is
 * visible in production, and read by the tests that prove it does not grow with a person's history. One instance
 * per operator instance: an operator runs on one thread.
 */
public final class StateAccessCount {
    private long reads;
    private long writes;

    void read() {
        reads++;
    }

    void write() {
        writes++;
    }

    public long reads() {
        return reads;
    }

    public long writes() {
        return writes;
    }

    public long total() {
        return reads + writes;
    }
}
