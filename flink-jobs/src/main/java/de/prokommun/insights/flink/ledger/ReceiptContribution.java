package de.prokommun.insights.flink.ledger;

/**
 * What one live receipt contributed (a Flink POJO in ledger state): its purchase and unmapped-line rows with
 * the segment of that moment. The distinct keys it supports are derived from these rows ({@link DistinctKeys}),
 * the same way when it is recorded and when it is retracted.
 */
public class ReceiptContribution {
    public String participant;
    public long eventTime;
    public int day;
    public LedgerRow[] rows;

    public ReceiptContribution() {}
}
