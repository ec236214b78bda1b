package de.prokommun.insights.flink.state;

/**
 * How many keyed state entries an operator read and wrote (an iteration reads one entry per element), and, while
 * {@link #measureBytes(boolean) switched on}, how many serialized bytes those entries had (key and value). Entries
 * are shown as the operator's metrics {@code stateReads} / {@code stateWrites}, so that the cost of an event in
 * state round trips is visible in production, and read by the tests that prove it does not grow with a person's
 * history. Bytes are off by default: measuring them serializes every value a second time. A bounded number of
 * entries can still hold values that grow without bound, which only the bytes show. One instance per operator
 * instance: an operator runs on one thread.
 */
public final class StateAccessCount {
    private long reads;
    private long writes;
    private long bytesRead;
    private long bytesWritten;
    private boolean measuringBytes;
    /** State name → bytes read and written, while bytes are measured: which state's values are big. */
    private final java.util.Map<String, long[]> bytesByState = new java.util.TreeMap<>();

    void read() {
        reads++;
    }

    void write() {
        writes++;
    }

    void readBytes(String state, long n) {
        bytesRead += n;
        bytesByState.computeIfAbsent(state, k -> new long[2])[0] += n;
    }

    void wroteBytes(String state, long n) {
        bytesWritten += n;
        bytesByState.computeIfAbsent(state, k -> new long[2])[1] += n;
    }

    /** Whether the sizes of the entries read and written are measured from now on (tests and benchmarks). */
    public void measureBytes(boolean on) {
        measuringBytes = on;
    }

    boolean measuringBytes() {
        return measuringBytes;
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

    /** Serialized bytes (keys and values) of the entries read while bytes were measured. */
    public long bytesRead() {
        return bytesRead;
    }

    /** Serialized bytes (keys and values) of the entries written while bytes were measured. */
    public long bytesWritten() {
        return bytesWritten;
    }

    public long bytesTotal() {
        return bytesRead + bytesWritten;
    }

    /** State name → {bytes read, bytes written} so far (a copy). */
    public java.util.Map<String, long[]> bytesByState() {
        java.util.Map<String, long[]> copy = new java.util.TreeMap<>();
        bytesByState.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }
}
