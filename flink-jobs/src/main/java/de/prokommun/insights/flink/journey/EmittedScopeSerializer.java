package de.prokommun.insights.flink.journey;

import de.prokommun.insights.flink.serialize.CompactSerializer;
import de.prokommun.insights.flink.serialize.FormatSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import static de.prokommun.insights.flink.serialize.Fields.*;

/**
 * The fingerprints of a scope's emitted journey rows (journey-emitted-scopes). Field by field, format 1; a field added to {@link
 * EmittedScope} needs a new format here (bump {@link #FORMAT}), the serializer tests fail when a field is not
 * written.
 */
public final class EmittedScopeSerializer extends CompactSerializer<EmittedScope> {
    private static final long serialVersionUID = 1L;
    static final int FORMAT = 1;

    public static final EmittedScopeSerializer INSTANCE = new EmittedScopeSerializer();

    @Override
    public EmittedScope createInstance() {
        return new EmittedScope();
    }

    @Override
    protected void write(EmittedScope v, DataOutputView out) throws IOException {
        writeLongs(v.rows, out);
    }

    @Override
    protected EmittedScope read(DataInputView in) throws IOException {
        EmittedScope v = new EmittedScope();
        v.rows = readLongs(in);
        return v;
    }

    @Override
    public TypeSerializerSnapshot<EmittedScope> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer; records the format. */
    public static final class Snapshot extends FormatSnapshot<EmittedScope> {
        public Snapshot() {
            super(FORMAT, () -> INSTANCE);
        }
    }
}
