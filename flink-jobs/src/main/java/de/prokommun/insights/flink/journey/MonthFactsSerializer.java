package de.prokommun.insights.flink.journey;

import de.prokommun.insights.flink.serialize.CompactSerializer;
import de.prokommun.insights.flink.serialize.FormatSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import static de.prokommun.insights.flink.serialize.Fields.*;

/**
 * A month's journey facts (journey-months). Field by field, format 1; a field added to {@link MonthFacts} needs a
 * new format here (bump {@link #FORMAT}), the serializer tests fail when a field is not written.
 */
public final class MonthFactsSerializer extends CompactSerializer<MonthFacts> {
    private static final long serialVersionUID = 1L;
    static final int FORMAT = 1;

    public static final MonthFactsSerializer INSTANCE = new MonthFactsSerializer();

    @Override
    public MonthFacts createInstance() {
        return new MonthFacts();
    }

    @Override
    protected void write(MonthFacts v, DataOutputView out) throws IOException {
        writeArray(v.facts, JourneyFactSerializer.INSTANCE, out);
    }

    @Override
    protected MonthFacts read(DataInputView in) throws IOException {
        MonthFacts v = new MonthFacts();
        v.facts = readArray(JourneyFactSerializer.INSTANCE, JourneyFact[]::new, in);
        return v;
    }

    @Override
    public TypeSerializerSnapshot<MonthFacts> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer; records the format. */
    public static final class Snapshot extends FormatSnapshot<MonthFacts> {
        public Snapshot() {
            super(FORMAT, () -> INSTANCE);
        }
    }
}
