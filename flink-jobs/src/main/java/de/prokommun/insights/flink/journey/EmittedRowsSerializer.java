package de.prokommun.insights.flink.journey;

import de.prokommun.insights.flink.serialize.CompactSerializer;
import de.prokommun.insights.flink.serialize.FormatSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import static de.prokommun.insights.flink.serialize.Fields.*;

/**
 * The emitted journey rows of a family (journey-emitted-rows). Field by field, format 1; a field added to {@link
 * EmittedRows} needs a new format here (bump {@link #FORMAT}), the serializer tests fail when a field is not
 * written.
 */
public final class EmittedRowsSerializer extends CompactSerializer<EmittedRows> {
    private static final long serialVersionUID = 1L;
    static final int FORMAT = 1;

    public static final EmittedRowsSerializer INSTANCE = new EmittedRowsSerializer();

    @Override
    public EmittedRows createInstance() {
        return new EmittedRows();
    }

    @Override
    protected void write(EmittedRows v, DataOutputView out) throws IOException {
        writeStrings(v.keys, out);
        writeInts(v.segmentIndex, out);
        writeStrings(v.segmentTexts, out);
    }

    @Override
    protected EmittedRows read(DataInputView in) throws IOException {
        EmittedRows v = new EmittedRows();
        v.keys = readStrings(in);
        v.segmentIndex = readInts(in);
        v.segmentTexts = readStrings(in);
        return v;
    }

    @Override
    public TypeSerializerSnapshot<EmittedRows> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer; records the format. */
    public static final class Snapshot extends FormatSnapshot<EmittedRows> {
        public Snapshot() {
            super(FORMAT, () -> INSTANCE);
        }
    }
}
