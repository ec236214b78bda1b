package de.prokommun.insights.flink.ledger;

import de.prokommun.insights.flink.serialize.CompactSerializer;
import de.prokommun.insights.flink.serialize.FormatSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import static de.prokommun.insights.flink.serialize.Fields.*;

/**
 * Receipts of one chunk of the calendar (ledger-receipt-chunks). Field by field, format 1; a field added to {@link ReceiptChunk}
 * needs a new format here (bump {@link #FORMAT}), the serializer tests fail when a field is not written.
 */
public final class ReceiptChunkSerializer extends CompactSerializer<ReceiptChunk> {
    private static final long serialVersionUID = 1L;
    static final int FORMAT = 1;

    public static final ReceiptChunkSerializer INSTANCE = new ReceiptChunkSerializer();

    @Override
    public ReceiptChunk createInstance() {
        return new ReceiptChunk();
    }

    @Override
    protected void write(ReceiptChunk v, DataOutputView out) throws IOException {
        writeLongs(v.eventTimes, out);
        writeStrings(v.receipts, out);
    }

    @Override
    protected ReceiptChunk read(DataInputView in) throws IOException {
        ReceiptChunk v = new ReceiptChunk();
        v.eventTimes = readLongs(in);
        v.receipts = readStrings(in);
        return v;
    }

    @Override
    public TypeSerializerSnapshot<ReceiptChunk> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer; records the format. */
    public static final class Snapshot extends FormatSnapshot<ReceiptChunk> {
        public Snapshot() {
            super(FORMAT, () -> INSTANCE);
        }
    }
}
