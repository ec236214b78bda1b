package de.prokommun.insights.flink.ledger;

import org.apache.flink.api.common.typeutils.base.IntSerializer;
import de.prokommun.insights.flink.city.PurchaseRetention;
import de.prokommun.insights.flink.state.KeyedStates;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The person's live receipts in event-time order, in chunks of at most {@link #CHUNK}: the oldest receipts
 * (retention) and the newest one (last purchase day) are found by reading one chunk, and adding or removing a receipt
 * reads and writes one chunk and the small index, however many receipts the person has in a month or a day (the live
 * feed restamps a city's events to now: a person's month and day fill with hundreds of receipts an hour, which
 * calendar months did not bound).
 * <p>
 * The index ({@link ChunkIndex}) lists the chunks in order with the time of their first receipt; every receipt of
 * a chunk is at or after that time and at or before the first time of the next chunk.
 */
final class ReceiptCalendar {
    /** Receipts per chunk: a full chunk splits in two. */
    static final int CHUNK = 32;

    private final MapState<Integer, ReceiptChunk> chunks;
    private final ValueState<long[]> index;

    ReceiptCalendar(KeyedStates states) {
        chunks = states.map("ledger-receipt-chunks", IntSerializer.INSTANCE, ReceiptChunkSerializer.INSTANCE);
        index = states.value("ledger-receipt-chunk-index", TypeInformation.of(long[].class));
    }

    void add(String receipt, long eventTime) throws Exception {
        ChunkIndex idx = index();
        if (idx.size() == 0) {
            int id = idx.newId();
            idx.insert(0, id, eventTime);
            chunks.put(id, new ReceiptChunk().with(receipt, eventTime));
            index.update(idx.encoded());
            return;
        }
        int at = Math.max(0, idx.lastStartingAtOrBefore(eventTime));
        int id = idx.id(at);
        ReceiptChunk chunk = chunks.get(id).with(receipt, eventTime);
        boolean indexChanged = chunk.eventTimes[0] != idx.first(at);
        idx.setFirst(at, chunk.eventTimes[0]);
        if (chunk.receipts.length > CHUNK) {
            ReceiptChunk[] halves = chunk.split();
            int right = idx.newId();
            chunks.put(id, halves[0]);
            chunks.put(right, halves[1]);
            idx.insert(at + 1, right, halves[1].eventTimes[0]);
            indexChanged = true;
        } else {
            chunks.put(id, chunk);
        }
        if (indexChanged) index.update(idx.encoded());
    }

    void remove(String receipt, long eventTime) throws Exception {
        ChunkIndex idx = index();
        // equal times may straddle a split: look back while a chunk starts exactly at the time
        for (int at = idx.lastStartingAtOrBefore(eventTime); at >= 0; at--) {
            ReceiptChunk chunk = chunks.get(idx.id(at));
            ReceiptChunk left = chunk == null ? null : chunk.without(receipt);
            if (left != null && left != chunk) {
                store(idx, at, left);
                return;
            }
            if (idx.first(at) < eventTime) return;
        }
    }

    private void store(ChunkIndex idx, int at, ReceiptChunk left) throws Exception {
        if (left.isEmpty()) {
            chunks.remove(idx.id(at));
            idx.delete(at);
        } else {
            chunks.put(idx.id(at), left);
            if (left.eventTimes[0] == idx.first(at)) return;
            idx.setFirst(at, left.eventTimes[0]);
        }
        if (idx.size() == 0) index.clear();
        else index.update(idx.encoded());
    }

    /** The receipts expired at {@code now}, oldest first; reads only the chunks that hold expired receipts (+1). */
    List<String> expired(long now, PurchaseRetention retention, ZoneId zone) throws Exception {
        List<String> expired = new ArrayList<>();
        ChunkIndex idx = index();
        for (int at = 0; at < idx.size(); at++) {
            if (!retention.expired(idx.first(at), now, zone)) return expired;
            ReceiptChunk chunk = chunks.get(idx.id(at));
            if (chunk == null) continue;
            for (int i = 0; i < chunk.receipts.length; i++) {
                if (!retention.expired(chunk.eventTimes[i], now, zone)) return expired;
                expired.add(chunk.receipts[i]);
            }
        }
        return expired;
    }

    /** The event time of the oldest live receipt, or null (from the index alone). */
    Long oldest() throws Exception {
        ChunkIndex idx = index();
        return idx.size() == 0 ? null : idx.first(0);
    }

    /** The event time of the newest live receipt, or null. */
    Long newest() throws Exception {
        ChunkIndex idx = index();
        if (idx.size() == 0) return null;
        ReceiptChunk chunk = chunks.get(idx.id(idx.size() - 1));
        return chunk == null || chunk.isEmpty() ? null : chunk.eventTimes[chunk.eventTimes.length - 1];
    }

    void clear() {
        chunks.clear();
        index.clear();
    }

    private ChunkIndex index() throws Exception {
        return new ChunkIndex(index.value());
    }
}
