package de.prokommun.insights.flink.ledger;

import de.prokommun.insights.flink.serialize.CompactSerializer;
import de.prokommun.insights.flink.serialize.FormatSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import static de.prokommun.insights.flink.serialize.Fields.*;

/**
 * A live receipt's contribution rows (ledger-receipts). Field by field, format 1; a field added to {@link
 * ReceiptContribution} needs a new format here (bump {@link #FORMAT}), the serializer tests fail when a field is
 * not written.
 */
public final class ReceiptContributionSerializer extends CompactSerializer<ReceiptContribution> {
    private static final long serialVersionUID = 1L;
    static final int FORMAT = 1;

    public static final ReceiptContributionSerializer INSTANCE = new ReceiptContributionSerializer();

    @Override
    public ReceiptContribution createInstance() {
        return new ReceiptContribution();
    }

    @Override
    protected void write(ReceiptContribution v, DataOutputView out) throws IOException {
        writeString(v.participant, out);
        out.writeLong(v.eventTime);
        out.writeInt(v.day);
        writeArray(v.rows, LedgerRowSerializer.INSTANCE, out);
    }

    @Override
    protected ReceiptContribution read(DataInputView in) throws IOException {
        ReceiptContribution v = new ReceiptContribution();
        v.participant = readString(in);
        v.eventTime = in.readLong();
        v.day = in.readInt();
        v.rows = readArray(LedgerRowSerializer.INSTANCE, LedgerRow[]::new, in);
        return v;
    }

    @Override
    public TypeSerializerSnapshot<ReceiptContribution> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer; records the format. */
    public static final class Snapshot extends FormatSnapshot<ReceiptContribution> {
        public Snapshot() {
            super(FORMAT, () -> INSTANCE);
        }
    }
}
