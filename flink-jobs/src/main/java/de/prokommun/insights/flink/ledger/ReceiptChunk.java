package de.prokommun.insights.flink.ledger;

/** Up to {@link ReceiptCalendar#CHUNK} of the person's live receipts, oldest first (a Flink POJO: parallel arrays). */
public class ReceiptChunk {
    public long[] eventTimes = new long[0];
    public String[] receipts = new String[0];

    public ReceiptChunk() {}

    ReceiptChunk with(String receipt, long eventTime) {
        int at = 0;
        while (at < eventTimes.length && eventTimes[at] <= eventTime) at++;
        ReceiptChunk m = new ReceiptChunk();
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

    ReceiptChunk without(String receipt) {
        int at = -1;
        for (int i = 0; i < receipts.length; i++) if (receipts[i].equals(receipt)) at = i;
        if (at < 0) return this;
        ReceiptChunk m = new ReceiptChunk();
        m.eventTimes = new long[eventTimes.length - 1];
        m.receipts = new String[receipts.length - 1];
        System.arraycopy(eventTimes, 0, m.eventTimes, 0, at);
        System.arraycopy(receipts, 0, m.receipts, 0, at);
        System.arraycopy(eventTimes, at + 1, m.eventTimes, at, eventTimes.length - at - 1);
        System.arraycopy(receipts, at + 1, m.receipts, at, receipts.length - at - 1);
        return m;
    }

    /** The older and the newer half. */
    ReceiptChunk[] split() {
        int half = receipts.length / 2;
        ReceiptChunk older = new ReceiptChunk();
        older.eventTimes = java.util.Arrays.copyOfRange(eventTimes, 0, half);
        older.receipts = java.util.Arrays.copyOfRange(receipts, 0, half);
        ReceiptChunk newer = new ReceiptChunk();
        newer.eventTimes = java.util.Arrays.copyOfRange(eventTimes, half, eventTimes.length);
        newer.receipts = java.util.Arrays.copyOfRange(receipts, half, receipts.length);
        return new ReceiptChunk[] {older, newer};
    }

    boolean isEmpty() {
        return receipts.length == 0;
    }
}
