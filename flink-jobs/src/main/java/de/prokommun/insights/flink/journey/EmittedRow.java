package de.prokommun.insights.flink.journey;

/**
 * One row the ledger emitted and has not negated yet (a Flink POJO, journey-emitted-row, keyed by the row's
 * fingerprint): its content and the segment it was emitted with, as {@link RowText} — exactly what its negation is
 * rebuilt from. Written when the row is emitted, read only when it is negated.
 */
public class EmittedRow {
    public String content;
    public String segment;

    public EmittedRow() {}

    static EmittedRow of(String content, String segment) {
        EmittedRow r = new EmittedRow();
        r.content = content;
        r.segment = segment;
        return r;
    }
}
