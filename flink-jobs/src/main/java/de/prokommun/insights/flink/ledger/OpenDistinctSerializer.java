package de.prokommun.insights.flink.ledger;

import de.prokommun.insights.flink.serialize.CompactSerializer;
import de.prokommun.insights.flink.serialize.FormatSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import static de.prokommun.insights.flink.serialize.Fields.*;

/**
 * One open distinct count (nested in its group). Field by field, format 1; a field added to {@link OpenDistinct}
 * needs a new format here (bump {@link #FORMAT}), the serializer tests fail when a field is not written.
 */
public final class OpenDistinctSerializer extends CompactSerializer<OpenDistinct> {
    private static final long serialVersionUID = 1L;
    static final int FORMAT = 1;

    public static final OpenDistinctSerializer INSTANCE = new OpenDistinctSerializer();

    @Override
    public OpenDistinct createInstance() {
        return new OpenDistinct();
    }

    @Override
    protected void write(OpenDistinct v, DataOutputView out) throws IOException {
        out.writeInt(v.supporters);
        LedgerRowSerializer.INSTANCE.serialize(v.opened, out);
    }

    @Override
    protected OpenDistinct read(DataInputView in) throws IOException {
        OpenDistinct v = new OpenDistinct();
        v.supporters = in.readInt();
        v.opened = LedgerRowSerializer.INSTANCE.deserialize(in);
        return v;
    }

    @Override
    public TypeSerializerSnapshot<OpenDistinct> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer; records the format. */
    public static final class Snapshot extends FormatSnapshot<OpenDistinct> {
        public Snapshot() {
            super(FORMAT, () -> INSTANCE);
        }
    }
}
