package de.prokommun.insights.flink.journey;

import de.prokommun.insights.flink.serialize.CompactSerializer;
import de.prokommun.insights.flink.serialize.FormatSnapshot;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import static de.prokommun.insights.flink.serialize.Fields.*;

/**
 * A month's journey facts (journey-months), format 2: the shops, categories, districts and employers of a month
 * repeat from fact to fact (a regular shopper has three shops), so each distinct text is written once in a table
 * and facts refer to it by index; times as varint steps from the previous fact (facts are in time order), amounts
 * and points as varints ({@link FactCodec}). A month is read by most journey events: this took its entry from
 * about 80 to about 25 bytes per fact. Format 1 (every fact in full) is not read any more (flink-jobs/README.md: fresh state). A
 * field added to {@link MonthFacts} or {@link JourneyFact} needs a new format here (bump {@link #FORMAT}), the
 * serializer tests fail when a field is not written.
 */
public final class MonthFactsSerializer extends CompactSerializer<MonthFacts> {
    private static final long serialVersionUID = 1L;
    static final int FORMAT = 2;

    public static final MonthFactsSerializer INSTANCE = new MonthFactsSerializer();

    @Override
    public MonthFacts createInstance() {
        return new MonthFacts();
    }

    @Override
    protected void write(MonthFacts v, DataOutputView out) throws IOException {
        writeLength(v.facts == null ? -1 : v.facts.length, out);
        if (v.facts == null) return;
        Map<String, Integer> table = new LinkedHashMap<>();
        for (JourneyFact f : v.facts) {
            if (f == null) continue;
            for (String text : new String[] {f.participant, f.counterpart, f.category, f.place}) {
                if (text != null) table.putIfAbsent(text, table.size());
            }
        }
        writeLength(table.size(), out);
        for (String text : table.keySet()) writeString(text, out);
        long previousTime = 0;
        for (JourneyFact f : v.facts) {
            out.writeBoolean(f != null);
            if (f == null) continue;
            FactCodec.writeKind(f.kind, out);
            writeString(f.id, out);
            FactCodec.writeRef(refOf(f.participant, table), out);
            FactCodec.writeRef(refOf(f.counterpart, table), out);
            FactCodec.writeRef(refOf(f.category, table), out);
            FactCodec.writeRef(refOf(f.place, table), out);
            FactCodec.writeVarLong(f.eventTime - previousTime, out); // wraps exactly for any two longs
            previousTime = f.eventTime;
            FactCodec.writeVarLong(f.amountCents, out);
            FactCodec.writeVarLong(f.points, out);
        }
    }

    private static int refOf(String text, Map<String, Integer> table) {
        return text == null ? -1 : table.get(text);
    }

    @Override
    protected MonthFacts read(DataInputView in) throws IOException {
        MonthFacts v = new MonthFacts();
        int length = readLength(in);
        if (length < 0) {
            v.facts = null;
            return v;
        }
        String[] table = new String[readLength(in)];
        for (int i = 0; i < table.length; i++) table[i] = readString(in);
        v.facts = new JourneyFact[length];
        long previousTime = 0;
        for (int i = 0; i < length; i++) {
            if (!in.readBoolean()) continue;
            JourneyFact f = new JourneyFact();
            f.kind = FactCodec.readKind(in);
            f.id = readString(in);
            f.participant = textOf(FactCodec.readRef(in), table);
            f.counterpart = textOf(FactCodec.readRef(in), table);
            f.category = textOf(FactCodec.readRef(in), table);
            f.place = textOf(FactCodec.readRef(in), table);
            f.eventTime = previousTime + FactCodec.readVarLong(in);
            previousTime = f.eventTime;
            f.amountCents = FactCodec.readVarLong(in);
            f.points = FactCodec.readVarLong(in);
            v.facts[i] = f;
        }
        return v;
    }

    private static String textOf(int ref, String[] table) throws IOException {
        if (ref < 0) return null;
        if (ref >= table.length) throw new IOException("corrupt month entry: text " + ref + " of " + table.length);
        return table[ref];
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
