package de.prokommun.insights.flink.ledger;

/** The person's live receipts of one calendar month, oldest first (a Flink POJO: parallel arrays). */
public class ReceiptMonth {
    public long[] eventTimes = new long[0];
    public String[] receipts = new String[0];

    public ReceiptMonth() {}

    ReceiptMonth with(String receipt, long eventTime) {
        int at = 0;
        while (at < eventTimes.length && eventTimes[at] <= eventTime) at++;
        ReceiptMonth m = new ReceiptMonth();
        m.eventTimes = new long[eventTimes.length + 1];
        m.receipts = new String[receipts.length + 1];
        System.arraycopy(eventTimes, 0, m.eventTimes, 0, at);
        System.arraycopy(receipts, 0, m.receipts, 0, at);
        m.eventTimes[at] = eventTime;
        m.receipts[at] = receipt;
        System.arraycopy(eventTimes, at, m.eventTimes, at + 1, eventTimes.length - at);
        System.arraycopy(receipts, at, m.receipts, at + 1, receipts.length - at);
        return m;
    }

    ReceiptMonth without(String receipt) {
        int at = -1;
        for (int i = 0; i < receipts.length; i++) if (receipts[i].equals(receipt)) at = i;
        if (at < 0) return this;
        ReceiptMonth m = new ReceiptMonth();
        m.eventTimes = new long[eventTimes.length - 1];
        m.receipts = new String[receipts.length - 1];
        System.arraycopy(eventTimes, 0, m.eventTimes, 0, at);
        System.arraycopy(receipts, 0, m.receipts, 0, at);
        System.arraycopy(eventTimes, at + 1, m.eventTimes, at, eventTimes.length - at - 1);
        System.arraycopy(receipts, at + 1, m.receipts, at, receipts.length - at - 1);
        return m;
    }

    boolean isEmpty() {
        return receipts.length == 0;
    }
}
