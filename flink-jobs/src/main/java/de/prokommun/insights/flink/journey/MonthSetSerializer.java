package de.prokommun.insights.flink.journey;

import de.prokommun.insights.flink.serialize.CompactSerializer;
import de.prokommun.insights.flink.serialize.FormatSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import static de.prokommun.insights.flink.serialize.Fields.*;

/**
 * A set of months (nested in the journey index). Field by field, format 1; a field added to {@link MonthSet} needs
 * a new format here (bump {@link #FORMAT}), the serializer tests fail when a field is not written.
 */
public final class MonthSetSerializer extends CompactSerializer<MonthSet> {
    private static final long serialVersionUID = 1L;
    static final int FORMAT = 1;

    public static final MonthSetSerializer INSTANCE = new MonthSetSerializer();

    @Override
    public MonthSet createInstance() {
        return new MonthSet();
    }

    @Override
    protected void write(MonthSet v, DataOutputView out) throws IOException {
        out.writeInt(v.base);
        writeLongs(v.words, out);
    }

    @Override
    protected MonthSet read(DataInputView in) throws IOException {
        MonthSet v = new MonthSet();
        v.base = in.readInt();
        v.words = readLongs(in);
        return v;
    }

    @Override
    public TypeSerializerSnapshot<MonthSet> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer; records the format. */
    public static final class Snapshot extends FormatSnapshot<MonthSet> {
        public Snapshot() {
            super(FORMAT, () -> INSTANCE);
        }
    }
}
