package de.prokommun.insights.flink.ledger;

import de.prokommun.insights.flink.serialize.CompactSerializer;
import de.prokommun.insights.flink.serialize.FormatSnapshot;
import de.prokommun.insights.flink.serialize.Varints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import static de.prokommun.insights.flink.serialize.Fields.*;

/**
 * A group of open distinct counts (ledger-distinct-groups), format 2: the opening rows of a group share their
 * measure, participants, categories and above all the segment (age band, gender, district, household, personas), so
 * a text is written in full once and later by the index of its first occurrence; small numbers as varints
 * ({@link Varints}); the keys are not written when each is the key of its opening row (always, as the ledger keeps
 * them). Format 1 (every key and row in full, about 250 bytes per open count) is not read any more
 * (flink-jobs/README.md: fresh state). A field
 * added to {@link OpenDistinctGroup}, {@link OpenDistinct}, {@link LedgerRow} or {@link Segment} needs a new format
 * here (bump {@link #FORMAT}), the serializer tests fail when a field is not written.
 */
public final class OpenDistinctGroupSerializer extends CompactSerializer<OpenDistinctGroup> {
    private static final long serialVersionUID = 1L;
    static final int FORMAT = 2;

    public static final OpenDistinctGroupSerializer INSTANCE = new OpenDistinctGroupSerializer();

    @Override
    public OpenDistinctGroup createInstance() {
        return new OpenDistinctGroup();
    }

    @Override
    protected void write(OpenDistinctGroup v, DataOutputView out) throws IOException {
        // keys: 0 none (null), 1 each the key of its opening row, n + 2 then n keys in full
        boolean derived = keysDerived(v);
        writeLength(v.keys == null ? -1 : derived ? 0 : v.keys.length + 1, out);
        if (v.keys != null && !derived) for (String key : v.keys) writeString(key, out);
        writeLength(v.open == null ? -1 : v.open.length, out);
        if (v.open == null) return;
        Texts texts = new Texts();
        Map<List<Object>, Integer> segments = new HashMap<>();
        for (OpenDistinct o : v.open) {
            out.writeBoolean(o != null);
            if (o == null) continue;
            Varints.writeVarInt(o.supporters, out);
            writeRow(o.opened, texts, segments, out);
        }
    }

    @Override
    protected OpenDistinctGroup read(DataInputView in) throws IOException {
        OpenDistinctGroup v = new OpenDistinctGroup();
        int keys = readLength(in);
        boolean derived = keys == 0;
        if (keys < 0) {
            v.keys = null;
        } else if (!derived) {
            v.keys = new String[keys - 1];
            for (int i = 0; i < v.keys.length; i++) v.keys[i] = readString(in);
        }
        int length = readLength(in);
        if (length < 0) {
            v.open = null;
            return v;
        }
        List<String> texts = new ArrayList<>();
        List<Segment> segments = new ArrayList<>();
        v.open = new OpenDistinct[length];
        for (int i = 0; i < length; i++) {
            if (!in.readBoolean()) continue;
            OpenDistinct o = new OpenDistinct();
            o.supporters = Varints.readVarInt(in);
            o.opened = readRow(texts, segments, in);
            v.open[i] = o;
        }
        if (derived) {
            v.keys = new String[length];
            for (int i = 0; i < length; i++) v.keys[i] = DistinctKeys.keyOf(v.open[i].opened);
        }
        return v;
    }

    /** Whether every key is that of its opening row, so that it need not be written. */
    private static boolean keysDerived(OpenDistinctGroup v) {
        if (v.keys == null || v.open == null || v.keys.length != v.open.length) return false;
        for (int i = 0; i < v.keys.length; i++) {
            OpenDistinct o = v.open[i];
            if (o == null || o.opened == null || o.opened.measure == null || v.keys[i] == null
                    || !v.keys[i].equals(DistinctKeys.keyOf(o.opened))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Texts written once: 0 null, 1 a new text follows, n + 2 the n-th text written before. A text never takes more
     * bytes than with a presence byte in front (the POJO serializer's), a repeated one a byte or two.
     */
    private static final class Texts {
        private final Map<String, Integer> seen = new HashMap<>();

        void write(String text, DataOutputView out) throws IOException {
            if (text == null) {
                writeLength(-1, out);
                return;
            }
            Integer at = seen.get(text);
            if (at != null) {
                writeLength(at + 1, out);
                return;
            }
            seen.put(text, seen.size());
            writeLength(0, out);
            writeString(text, out);
        }
    }

    private static String text(List<String> texts, DataInputView in) throws IOException {
        int code = readLength(in) + 1;
        if (code == 0) return null;
        if (code == 1) {
            String text = readString(in);
            texts.add(text);
            return text;
        }
        if (code - 2 >= texts.size()) throw new IOException("corrupt distinct group: text " + (code - 2) + " of " + texts.size());
        return texts.get(code - 2);
    }

    private static void writeRow(LedgerRow r, Texts texts, Map<List<Object>, Integer> segments, DataOutputView out)
            throws IOException {
        out.writeBoolean(r != null);
        if (r == null) return;
        texts.write(r.measure, out);
        Varints.writeVarInt(r.day, out);
        Varints.writeVarInt(r.month, out);
        Varints.writeVarInt(r.year, out);
        texts.write(r.participant, out);
        texts.write(r.category, out);
        writeSegment(r.segment, segments, out);
        Varints.writeVarLong(r.count, out);
        Varints.writeVarLong(r.quantity, out);
        Varints.writeVarLong(r.amountCents, out);
        out.writeLong(r.eventTime); // about 6 bytes as a varint: not worth a worst case of 10
        texts.write(r.counterpart, out);
        Varints.writeVarInt(r.weekday, out);
        out.writeBoolean(r.hour != null);
        if (r.hour != null) Varints.writeVarInt(r.hour, out);
        texts.write(r.place, out);
        Varints.writeVarInt(r.lagBucket, out);
        Varints.writeVarLong(r.lagDays, out);
    }

    /** A segment (mostly the same for all rows of a group): 0 null, 1 a new one follows, n + 2 the n-th before. */
    private static void writeSegment(Segment s, Map<List<Object>, Integer> segments, DataOutputView out)
            throws IOException {
        if (s == null) {
            writeLength(-1, out);
            return;
        }
        List<Object> identity = Arrays.asList(s.ageBand, s.gender, s.district, s.householdType,
                s.personas == null ? null : Arrays.asList(s.personas));
        Integer at = segments.get(identity);
        if (at != null) {
            writeLength(at + 1, out);
            return;
        }
        segments.put(identity, segments.size());
        writeLength(0, out);
        SegmentSerializer.INSTANCE.serialize(s, out);
    }

    private static Segment readSegment(List<Segment> segments, DataInputView in) throws IOException {
        int code = readLength(in) + 1;
        if (code == 0) return null;
        if (code == 1) {
            Segment s = SegmentSerializer.INSTANCE.deserialize(in);
            segments.add(s);
            return s;
        }
        if (code - 2 >= segments.size()) throw new IOException("corrupt distinct group: segment " + (code - 2));
        return SegmentSerializer.INSTANCE.copy(segments.get(code - 2)); // rows must not share a mutable segment
    }

    private static LedgerRow readRow(List<String> texts, List<Segment> segments, DataInputView in) throws IOException {
        if (!in.readBoolean()) return null;
        LedgerRow r = new LedgerRow();
        r.measure = text(texts, in);
        r.day = Varints.readVarInt(in);
        r.month = Varints.readVarInt(in);
        r.year = Varints.readVarInt(in);
        r.participant = text(texts, in);
        r.category = text(texts, in);
        r.segment = readSegment(segments, in);
        r.count = Varints.readVarLong(in);
        r.quantity = Varints.readVarLong(in);
        r.amountCents = Varints.readVarLong(in);
        r.eventTime = in.readLong();
        r.counterpart = text(texts, in);
        r.weekday = Varints.readVarInt(in);
        r.hour = in.readBoolean() ? Varints.readVarInt(in) : null;
        r.place = text(texts, in);
        r.lagBucket = Varints.readVarInt(in);
        r.lagDays = Varints.readVarLong(in);
        return r;
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
