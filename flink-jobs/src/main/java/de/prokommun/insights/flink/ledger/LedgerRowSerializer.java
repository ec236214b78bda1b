package de.prokommun.insights.flink.ledger;

import de.prokommun.insights.flink.serialize.CompactSerializer;
import de.prokommun.insights.flink.serialize.FormatSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import static de.prokommun.insights.flink.serialize.Fields.*;

/**
 * A remembered contribution row (nested in receipts, open distinct counts, clamped totals; the standing rows).
 * Field by field, format 1; a field added to {@link LedgerRow} needs a new format here (bump {@link #FORMAT}), the
 * serializer tests fail when a field is not written.
 */
public final class LedgerRowSerializer extends CompactSerializer<LedgerRow> {
    private static final long serialVersionUID = 1L;
    static final int FORMAT = 1;

    public static final LedgerRowSerializer INSTANCE = new LedgerRowSerializer();

    @Override
    public LedgerRow createInstance() {
        return new LedgerRow();
    }

    @Override
    protected void write(LedgerRow v, DataOutputView out) throws IOException {
        writeString(v.measure, out);
        out.writeInt(v.day);
        out.writeInt(v.month);
        out.writeInt(v.year);
        writeString(v.participant, out);
        writeString(v.category, out);
        SegmentSerializer.INSTANCE.serialize(v.segment, out);
        out.writeLong(v.count);
        out.writeLong(v.quantity);
        out.writeLong(v.amountCents);
        out.writeLong(v.eventTime);
        writeString(v.counterpart, out);
        out.writeInt(v.weekday);
        writeInteger(v.hour, out);
        writeString(v.place, out);
        out.writeInt(v.lagBucket);
        out.writeLong(v.lagDays);
    }

    @Override
    protected LedgerRow read(DataInputView in) throws IOException {
        LedgerRow v = new LedgerRow();
        v.measure = readString(in);
        v.day = in.readInt();
        v.month = in.readInt();
        v.year = in.readInt();
        v.participant = readString(in);
        v.category = readString(in);
        v.segment = SegmentSerializer.INSTANCE.deserialize(in);
        v.count = in.readLong();
        v.quantity = in.readLong();
        v.amountCents = in.readLong();
        v.eventTime = in.readLong();
        v.counterpart = readString(in);
        v.weekday = in.readInt();
        v.hour = readInteger(in);
        v.place = readString(in);
        v.lagBucket = in.readInt();
        v.lagDays = in.readLong();
        return v;
    }

    @Override
    public TypeSerializerSnapshot<LedgerRow> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer; records the format. */
    public static final class Snapshot extends FormatSnapshot<LedgerRow> {
        public Snapshot() {
            super(FORMAT, () -> INSTANCE);
        }
    }
}
