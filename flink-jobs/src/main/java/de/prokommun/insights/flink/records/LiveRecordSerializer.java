package de.prokommun.insights.flink.records;

import de.prokommun.insights.flink.serialize.CompactSerializer;
import de.prokommun.insights.flink.serialize.FormatSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import static de.prokommun.insights.flink.serialize.Fields.*;

/**
 * A live person record (person-records). Field by field, format 1; a field added to {@link LiveRecord} needs a new
 * format here (bump {@link #FORMAT}), the serializer tests fail when a field is not written.
 */
public final class LiveRecordSerializer extends CompactSerializer<LiveRecord> {
    private static final long serialVersionUID = 1L;
    static final int FORMAT = 1;

    public static final LiveRecordSerializer INSTANCE = new LiveRecordSerializer();

    @Override
    public LiveRecord createInstance() {
        return new LiveRecord();
    }

    @Override
    protected void write(LiveRecord v, DataOutputView out) throws IOException {
        writeString(v.recordId, out);
        writeString(v.kind, out);
        writeString(v.participant, out);
        out.writeLong(v.eventTime);
        writeString(v.receipt, out);
        out.writeLong(v.version);
    }

    @Override
    protected LiveRecord read(DataInputView in) throws IOException {
        LiveRecord v = new LiveRecord();
        v.recordId = readString(in);
        v.kind = readString(in);
        v.participant = readString(in);
        v.eventTime = in.readLong();
        v.receipt = readString(in);
        v.version = in.readLong();
        return v;
    }

    @Override
    public TypeSerializerSnapshot<LiveRecord> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer; records the format. */
    public static final class Snapshot extends FormatSnapshot<LiveRecord> {
        public Snapshot() {
            super(FORMAT, () -> INSTANCE);
        }
    }
}
