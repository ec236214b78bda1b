package de.prokommun.insights.flink.serialize;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Zig-zag varints for the compact state formats: the numbers in journey and ledger state are mostly small (amounts,
 * counts, days since 1970, months as yyyyMM), a byte to three instead of four or eight; any long round-trips exactly
 * (at most ten bytes).
 */
public final class Varints {
    private Varints() {}

    public static void writeVarLong(long value, DataOutputView out) throws IOException {
        long v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    public static long readVarLong(DataInputView in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return (v >>> 1) ^ -(v & 1);
        }
        throw new IOException("corrupt varint: more than 10 bytes");
    }

    public static void writeVarInt(int value, DataOutputView out) throws IOException {
        writeVarLong(value, out);
    }

    public static int readVarInt(DataInputView in) throws IOException {
        long v = readVarLong(in);
        if (v != (int) v) throw new IOException("corrupt varint: " + v + " is no int");
        return (int) v;
    }
}
