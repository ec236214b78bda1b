package de.prokommun.insights.flink.journey;

import de.prokommun.insights.flink.serialize.CompactSerializer;
import de.prokommun.insights.flink.serialize.FormatSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import static de.prokommun.insights.flink.serialize.Fields.*;

/**
 * One emitted journey row, its content and segment text (journey-emitted-row). Field by field, format 1; a field added to {@link
 * EmittedRow} needs a new format here (bump {@link #FORMAT}), the serializer tests fail when a field is not
 * written.
 */
public final class EmittedRowSerializer extends CompactSerializer<EmittedRow> {
    private static final long serialVersionUID = 1L;
    static final int FORMAT = 1;

    public static final EmittedRowSerializer INSTANCE = new EmittedRowSerializer();

    @Override
    public EmittedRow createInstance() {
        return new EmittedRow();
    }

    @Override
    protected void write(EmittedRow v, DataOutputView out) throws IOException {
        writeString(v.content, out);
        writeString(v.segment, out);
    }

    @Override
    protected EmittedRow read(DataInputView in) throws IOException {
        EmittedRow v = new EmittedRow();
        v.content = readString(in);
        v.segment = readString(in);
        return v;
    }

    @Override
    public TypeSerializerSnapshot<EmittedRow> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer; records the format. */
    public static final class Snapshot extends FormatSnapshot<EmittedRow> {
        public Snapshot() {
            super(FORMAT, () -> INSTANCE);
        }
    }
}
