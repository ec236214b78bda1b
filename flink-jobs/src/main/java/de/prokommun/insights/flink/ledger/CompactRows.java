package de.prokommun.insights.flink.ledger;

import static de.prokommun.insights.flink.serialize.Fields.readLength;
import static de.prokommun.insights.flink.serialize.Fields.readString;
import static de.prokommun.insights.flink.serialize.Fields.writeLength;
import static de.prokommun.insights.flink.serialize.Fields.writeString;

import de.prokommun.insights.flink.serialize.Varints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The compact form of ledger rows inside a state value (open distinct groups, clamped totals): texts and segments
 * that repeat within the value are written once and then by index, small numbers as varints. Byte for byte never
 * longer than Flink's POJO serializer (its per-field presence bytes pay for the varints' worst case), usually less
 * than half of {@link LedgerRowSerializer}'s.
 */
final class CompactRows {
    private CompactRows() {}

    /** Writes the rows of one state value, in order. */
    static final class Writer {
        private final Texts texts = new Texts();
        private final Map<List<Object>, Integer> segments = new HashMap<>();

        void write(LedgerRow r, DataOutputView out) throws IOException {
            writeRow(r, texts, segments, out);
        }
    }

    /** Reads the rows of one state value, in the order they were written. */
    static final class Reader {
        private final List<String> texts = new ArrayList<>();
        private final List<Segment> segments = new ArrayList<>();

        LedgerRow read(DataInputView in) throws IOException {
            return readRow(texts, segments, in);
        }
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
}
