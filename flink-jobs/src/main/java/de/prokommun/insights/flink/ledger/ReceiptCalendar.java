package de.prokommun.insights.flink.ledger;

import org.apache.flink.api.common.typeutils.base.IntSerializer;
import de.prokommun.insights.flink.city.PurchaseRetention;
import de.prokommun.insights.flink.state.KeyedStates;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The person's live receipts by month of their event time, and the months that hold any: the oldest receipts
 * (retention) and the newest one (last purchase day) are found by reading one month, not every receipt the person
 * ever had.
 */
final class ReceiptCalendar {
    private final MapState<Integer, ReceiptMonth> months;
    private final ValueState<int[]> liveMonths;

    ReceiptCalendar(KeyedStates states) {
        months = states.map("ledger-receipt-months", IntSerializer.INSTANCE, ReceiptMonthSerializer.INSTANCE);
        liveMonths = states.value("ledger-receipt-month-index", TypeInformation.of(int[].class));
    }

    void add(String receipt, long eventTime, ZoneId zone) throws Exception {
        int month = monthOf(eventTime, zone);
        ReceiptMonth stored = months.get(month);
        months.put(month, (stored == null ? new ReceiptMonth() : stored).with(receipt, eventTime));
        if (stored == null) {
            int[] index = index();
            int at = Arrays.binarySearch(index, month);
            if (at < 0) {
                int insert = -at - 1;
                int[] grown = new int[index.length + 1];
                System.arraycopy(index, 0, grown, 0, insert);
                grown[insert] = month;
                System.arraycopy(index, insert, grown, insert + 1, index.length - insert);
                liveMonths.update(grown);
            }
        }
    }

    void remove(String receipt, long eventTime, ZoneId zone) throws Exception {
        int month = monthOf(eventTime, zone);
        ReceiptMonth stored = months.get(month);
        if (stored == null) return;
        ReceiptMonth left = stored.without(receipt);
        if (!left.isEmpty()) {
            months.put(month, left);
            return;
        }
        months.remove(month);
        int[] index = index();
        int[] shrunk = Arrays.stream(index).filter(m -> m != month).toArray();
        if (shrunk.length == 0) liveMonths.clear();
        else liveMonths.update(shrunk);
    }

    /** The receipts expired at {@code now}, oldest first; reads only the months that hold expired receipts (+1). */
    List<String> expired(long now, PurchaseRetention retention, ZoneId zone) throws Exception {
        List<String> expired = new ArrayList<>();
        for (int month : index()) {
            ReceiptMonth m = months.get(month);
            if (m == null) continue;
            for (int i = 0; i < m.receipts.length; i++) {
                if (!retention.expired(m.eventTimes[i], now, zone)) return expired;
                expired.add(m.receipts[i]);
            }
        }
        return expired;
    }

    /** The event time of the oldest live receipt, or null. */
    Long oldest() throws Exception {
        int[] index = index();
        if (index.length == 0) return null;
        ReceiptMonth m = months.get(index[0]);
        return m == null || m.isEmpty() ? null : m.eventTimes[0];
    }

    /** The event time of the newest live receipt, or null. */
    Long newest() throws Exception {
        int[] index = index();
        if (index.length == 0) return null;
        ReceiptMonth m = months.get(index[index.length - 1]);
        return m == null || m.isEmpty() ? null : m.eventTimes[m.eventTimes.length - 1];
    }

    void clear() {
        months.clear();
        liveMonths.clear();
    }

    private int[] index() throws Exception {
        int[] index = liveMonths.value();
        return index == null ? new int[0] : index;
    }

    private static int monthOf(long eventTime, ZoneId zone) {
        ZonedDateTime at = Instant.ofEpochMilli(eventTime).atZone(zone);
        return at.getYear() * 100 + at.getMonthValue();
    }
}
