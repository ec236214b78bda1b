package de.prokommun.insights.flink.journey;

import de.prokommun.insights.flink.serialize.CompactSerializer;
import de.prokommun.insights.flink.serialize.FormatSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import static de.prokommun.insights.flink.serialize.Fields.*;

/**
 * The journey index (journey-index). Field by field, format 1; a field added to {@link JourneyIndex} needs a new
 * format here (bump {@link #FORMAT}), the serializer tests fail when a field is not written.
 */
public final class JourneyIndexSerializer extends CompactSerializer<JourneyIndex> {
    private static final long serialVersionUID = 1L;
    static final int FORMAT = 1;

    public static final JourneyIndexSerializer INSTANCE = new JourneyIndexSerializer();

    @Override
    public JourneyIndex createInstance() {
        return new JourneyIndex();
    }

    @Override
    protected void write(JourneyIndex v, DataOutputView out) throws IOException {
        MonthSetSerializer.INSTANCE.serialize(v.visits, out);
        MonthSetSerializer.INSTANCE.serialize(v.redemptions, out);
        MonthSetSerializer.INSTANCE.serialize(v.engagements, out);
        MonthSetSerializer.INSTANCE.serialize(v.credits, out);
        JourneyFactSerializer.INSTANCE.serialize(v.firstVisit, out);
    }

    @Override
    protected JourneyIndex read(DataInputView in) throws IOException {
        JourneyIndex v = new JourneyIndex();
        v.visits = MonthSetSerializer.INSTANCE.deserialize(in);
        v.redemptions = MonthSetSerializer.INSTANCE.deserialize(in);
        v.engagements = MonthSetSerializer.INSTANCE.deserialize(in);
        v.credits = MonthSetSerializer.INSTANCE.deserialize(in);
        v.firstVisit = JourneyFactSerializer.INSTANCE.deserialize(in);
        return v;
    }

    @Override
    public TypeSerializerSnapshot<JourneyIndex> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer; records the format. */
    public static final class Snapshot extends FormatSnapshot<JourneyIndex> {
        public Snapshot() {
            super(FORMAT, () -> INSTANCE);
        }
    }
}
