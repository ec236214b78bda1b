package de.prokommun.insights.flink.ledger;

/**
 * A distinct count the person has opened (a Flink POJO in ledger state): how many of the person's live
 * contributions support it, and the +1 row that opened it — closing it emits exactly that row negated.
 */
public class OpenDistinct {
    public int supporters;
    public LedgerRow opened;

    public OpenDistinct() {}

    OpenDistinct(LedgerRow opened) {
        this.opened = opened;
    }
}
