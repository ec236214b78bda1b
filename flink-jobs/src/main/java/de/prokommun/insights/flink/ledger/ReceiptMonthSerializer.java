package de.prokommun.insights.flink.ledger;

import de.prokommun.insights.flink.serialize.CompactSerializer;
import de.prokommun.insights.flink.serialize.FormatSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import static de.prokommun.insights.flink.serialize.Fields.*;

/**
 * The receipts of a month (ledger-receipt-months). Field by field, format 1; a field added to {@link ReceiptMonth}
 * needs a new format here (bump {@link #FORMAT}), the serializer tests fail when a field is not written.
 */
public final class ReceiptMonthSerializer extends CompactSerializer<ReceiptMonth> {
    private static final long serialVersionUID = 1L;
    static final int FORMAT = 1;

    public static final ReceiptMonthSerializer INSTANCE = new ReceiptMonthSerializer();

    @Override
    public ReceiptMonth createInstance() {
        return new ReceiptMonth();
    }

    @Override
    protected void write(ReceiptMonth v, DataOutputView out) throws IOException {
        writeLongs(v.eventTimes, out);
        writeStrings(v.receipts, out);
    }

    @Override
    protected ReceiptMonth read(DataInputView in) throws IOException {
        ReceiptMonth v = new ReceiptMonth();
        v.eventTimes = readLongs(in);
        v.receipts = readStrings(in);
        return v;
    }

    @Override
    public TypeSerializerSnapshot<ReceiptMonth> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer; records the format. */
    public static final class Snapshot extends FormatSnapshot<ReceiptMonth> {
        public Snapshot() {
            super(FORMAT, () -> INSTANCE);
        }
    }
}
