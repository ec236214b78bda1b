package de.prokommun.insights.flink.journey;

import static de.prokommun.insights.flink.serialize.Fields.readLength;
import static de.prokommun.insights.flink.serialize.Fields.readString;
import static de.prokommun.insights.flink.serialize.Fields.writeLength;
import static de.prokommun.insights.flink.serialize.Fields.writeString;

import de.prokommun.insights.flink.serialize.Varints;
import java.io.IOException;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The compact binary form of journey facts shared by their serializers (format 2): the kind as one byte (the seven
 * known kinds; any other as text), numbers as zig-zag varints (amounts and points take a byte or three instead of
 * eight). A month entry is read by most journey events, so its bytes are a large part of what an event costs.
 */
final class FactCodec {
    private FactCodec() {}

    private static final List<String> KINDS = List.of(JourneyFact.PURCHASE, JourneyFact.CHECK_IN,
            JourneyFact.ENGAGEMENT, JourneyFact.EMPLOYER_CREDIT, JourneyFact.EMPLOYER_REDEMPTION,
            JourneyFact.BONUS_EARNED, JourneyFact.BONUS_REDEEMED);
    /** A kind that is none of {@link #KINDS} (or null) follows as text. */
    private static final int OTHER_KIND = 0;

    static void writeKind(String kind, DataOutputView out) throws IOException {
        int code = kind == null ? -1 : KINDS.indexOf(kind);
        out.writeByte(code + 1);
        if (code < 0) writeString(kind, out);
    }

    static String readKind(DataInputView in) throws IOException {
        int code = in.readUnsignedByte();
        if (code == OTHER_KIND) return readString(in);
        if (code > KINDS.size()) throw new IOException("unknown journey fact kind code " + code);
        return KINDS.get(code - 1);
    }

    static void writeVarLong(long value, DataOutputView out) throws IOException {
        Varints.writeVarLong(value, out);
    }

    static long readVarLong(DataInputView in) throws IOException {
        return Varints.readVarLong(in);
    }

    /** An index into a string table, -1 for null. */
    static void writeRef(int index, DataOutputView out) throws IOException {
        writeLength(index, out);
    }

    static int readRef(DataInputView in) throws IOException {
        return readLength(in);
    }
}
