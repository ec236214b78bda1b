package de.prokommun.insights.flink.ledger;

import de.prokommun.insights.flink.serialize.CompactSerializer;
import de.prokommun.insights.flink.serialize.FormatSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import static de.prokommun.insights.flink.serialize.Fields.*;

/**
 * A contribution's segment (nested in ledger rows and voucher facts). Field by field, format 1; a field added to
 * {@link Segment} needs a new format here (bump {@link #FORMAT}), the serializer tests fail when a field is not
 * written.
 */
public final class SegmentSerializer extends CompactSerializer<Segment> {
    private static final long serialVersionUID = 1L;
    static final int FORMAT = 1;

    public static final SegmentSerializer INSTANCE = new SegmentSerializer();

    @Override
    public Segment createInstance() {
        return new Segment();
    }

    @Override
    protected void write(Segment v, DataOutputView out) throws IOException {
        writeString(v.ageBand, out);
        writeString(v.gender, out);
        writeString(v.district, out);
        writeString(v.householdType, out);
        writeStrings(v.personas, out);
    }

    @Override
    protected Segment read(DataInputView in) throws IOException {
        Segment v = new Segment();
        v.ageBand = readString(in);
        v.gender = readString(in);
        v.district = readString(in);
        v.householdType = readString(in);
        v.personas = readStrings(in);
        return v;
    }

    @Override
    public TypeSerializerSnapshot<Segment> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer; records the format. */
    public static final class Snapshot extends FormatSnapshot<Segment> {
        public Snapshot() {
            super(FORMAT, () -> INSTANCE);
        }
    }
}
