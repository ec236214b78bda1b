package de.prokommun.insights.flink.journey;

import de.prokommun.insights.flink.serialize.CompactSerializer;
import de.prokommun.insights.flink.serialize.FormatSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import static de.prokommun.insights.flink.serialize.Fields.*;

/**
 * A journey fact (journey-fact-keys; nested in the index). Field by field, format 2 ({@link FactCodec}: kind as a
 * byte, amounts and points as varints; format 1 wrote the kind as text and three longs of 8 bytes — not read any more, see
 * flink-jobs/README.md: fresh state); a field added to {@link JourneyFact} needs a new format here (bump {@link #FORMAT}), the
 * serializer tests fail when a field is not written.
 */
public final class JourneyFactSerializer extends CompactSerializer<JourneyFact> {
    private static final long serialVersionUID = 1L;
    static final int FORMAT = 2;

    public static final JourneyFactSerializer INSTANCE = new JourneyFactSerializer();

    @Override
    public JourneyFact createInstance() {
        return new JourneyFact();
    }

    @Override
    protected void write(JourneyFact v, DataOutputView out) throws IOException {
        FactCodec.writeKind(v.kind, out);
        writeString(v.id, out);
        writeString(v.participant, out);
        writeString(v.counterpart, out);
        writeString(v.category, out);
        writeString(v.place, out);
        out.writeLong(v.eventTime); // about 6 bytes as a varint: not worth a worst case of 10
        FactCodec.writeVarLong(v.amountCents, out);
        FactCodec.writeVarLong(v.points, out);
    }

    @Override
    protected JourneyFact read(DataInputView in) throws IOException {
        JourneyFact v = new JourneyFact();
        v.kind = FactCodec.readKind(in);
        v.id = readString(in);
        v.participant = readString(in);
        v.counterpart = readString(in);
        v.category = readString(in);
        v.place = readString(in);
        v.eventTime = in.readLong();
        v.amountCents = FactCodec.readVarLong(in);
        v.points = FactCodec.readVarLong(in);
        return v;
    }

    @Override
    public TypeSerializerSnapshot<JourneyFact> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer; records the format. */
    public static final class Snapshot extends FormatSnapshot<JourneyFact> {
        public Snapshot() {
            super(FORMAT, () -> INSTANCE);
        }
    }
}
