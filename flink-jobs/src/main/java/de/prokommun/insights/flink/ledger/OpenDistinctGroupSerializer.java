package de.prokommun.insights.flink.ledger;

import de.prokommun.insights.flink.serialize.CompactSerializer;
import de.prokommun.insights.flink.serialize.FormatSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import static de.prokommun.insights.flink.serialize.Fields.*;

/**
 * A group of open distinct counts (ledger-distinct-groups). Field by field, format 1; a field added to {@link
 * OpenDistinctGroup} needs a new format here (bump {@link #FORMAT}), the serializer tests fail when a field is not
 * written.
 */
public final class OpenDistinctGroupSerializer extends CompactSerializer<OpenDistinctGroup> {
    private static final long serialVersionUID = 1L;
    static final int FORMAT = 1;

    public static final OpenDistinctGroupSerializer INSTANCE = new OpenDistinctGroupSerializer();

    @Override
    public OpenDistinctGroup createInstance() {
        return new OpenDistinctGroup();
    }

    @Override
    protected void write(OpenDistinctGroup v, DataOutputView out) throws IOException {
        writeStrings(v.keys, out);
        writeArray(v.open, OpenDistinctSerializer.INSTANCE, out);
    }

    @Override
    protected OpenDistinctGroup read(DataInputView in) throws IOException {
        OpenDistinctGroup v = new OpenDistinctGroup();
        v.keys = readStrings(in);
        v.open = readArray(OpenDistinctSerializer.INSTANCE, OpenDistinct[]::new, in);
        return v;
    }

    @Override
    public TypeSerializerSnapshot<OpenDistinctGroup> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer; records the format. */
    public static final class Snapshot extends FormatSnapshot<OpenDistinctGroup> {
        public Snapshot() {
            super(FORMAT, () -> INSTANCE);
        }
    }
}
