package de.prokommun.insights.flink.journey;

/**
 * The rows the ledger emitted for one scope and has not negated yet, as 64-bit fingerprints (a Flink POJO, one entry
 * per scope in journey-emitted-scopes), sorted. A change reads and writes only this small list to diff a family's rows;
 * the text of a row (needed only to negate it) is an entry of its own ({@link EmittedRow}), read when the row goes
 * and written when it comes — before, the scope's entry held every row's text and was read and written whole.
 */
public class EmittedScope {
    /** Fingerprints ({@link RowFingerprints#of}) of the standing rows, ascending. */
    public long[] rows = new long[0];

    public EmittedScope() {}

    static EmittedScope of(long[] sorted) {
        EmittedScope s = new EmittedScope();
        s.rows = sorted;
        return s;
    }
}
