package de.prokommun.insights.flink.serialize;

import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.util.function.IntFunction;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Field codecs of the state serializers, each exact for null: strings as one byte per character when every
 * character is Latin-1 (as good as every string in state: ids, categories, districts, German names), else through
 * Flink's {@link StringValue}; boxed numbers behind a presence byte; arrays with their length + 1 as a varint (0 =
 * null).
 */
public final class Fields {
    private Fields() {}

    /** String encoding of {@link #writeString} (recorded in every state serializer's snapshot, {@link FormatSnapshot}). */
    public static final int STRING_ENCODING = 2;

    /**
     * A varint header, 0 for null, 1 for a string in {@link StringValue}'s encoding (a character beyond Latin-1),
     * else the character count + 2 followed by one byte per character. StringValue writes and reads a string
     * character by character through the stream — with the state backend's stream wrapper a virtual call per byte,
     * about a fifth of the local mode's CPU under load (Java Flight Recorder, 2026-12-05); a Latin-1 string is one
     * array copy each way.
     */
    public static void writeString(String s, DataOutputView out) throws IOException {
        if (s == null) {
            writeLength(-1, out);
        } else if (isLatin1(s)) {
            writeLength(s.length() + 1, out);
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        } else {
            writeLength(0, out);
            StringValue.writeString(s, out);
        }
    }

    public static String readString(DataInputView in) throws IOException {
        int header = readLength(in);
        if (header < 0) return null;
        if (header == 0) return StringValue.readString(in);
        byte[] chars = new byte[header - 1];
        in.readFully(chars);
        return new String(chars, StandardCharsets.ISO_8859_1);
    }

    private static boolean isLatin1(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) > 0xFF) return false;
        }
        return true;
    }

    public static void writeInteger(Integer v, DataOutputView out) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) out.writeInt(v);
    }

    public static Integer readInteger(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readInt() : null;
    }

    public static void writeLongOrNull(Long v, DataOutputView out) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) out.writeLong(v);
    }

    public static Long readLongOrNull(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }

    public static void writeStrings(String[] values, DataOutputView out) throws IOException {
        writeLength(values == null ? -1 : values.length, out);
        if (values != null) for (String v : values) writeString(v, out);
    }

    public static String[] readStrings(DataInputView in) throws IOException {
        int length = readLength(in);
        if (length < 0) return null;
        String[] values = new String[length];
        for (int i = 0; i < length; i++) values[i] = readString(in);
        return values;
    }

    public static void writeInts(int[] values, DataOutputView out) throws IOException {
        writeLength(values == null ? -1 : values.length, out);
        if (values != null) for (int v : values) out.writeInt(v);
    }

    public static int[] readInts(DataInputView in) throws IOException {
        int length = readLength(in);
        if (length < 0) return null;
        int[] values = new int[length];
        for (int i = 0; i < length; i++) values[i] = in.readInt();
        return values;
    }

    public static void writeIntArrays(int[][] values, DataOutputView out) throws IOException {
        writeLength(values == null ? -1 : values.length, out);
        if (values != null) for (int[] v : values) writeInts(v, out);
    }

    public static int[][] readIntArrays(DataInputView in) throws IOException {
        int length = readLength(in);
        if (length < 0) return null;
        int[][] values = new int[length][];
        for (int i = 0; i < length; i++) values[i] = readInts(in);
        return values;
    }

    public static void writeLongs(long[] values, DataOutputView out) throws IOException {
        writeLength(values == null ? -1 : values.length, out);
        if (values != null) for (long v : values) out.writeLong(v);
    }

    public static long[] readLongs(DataInputView in) throws IOException {
        int length = readLength(in);
        if (length < 0) return null;
        long[] values = new long[length];
        for (int i = 0; i < length; i++) values[i] = in.readLong();
        return values;
    }

    /** An array of values of another state serializer (each element null-exact through its marker byte). */
    public static <T> void writeArray(T[] values, CompactSerializer<T> elements, DataOutputView out)
            throws IOException {
        writeLength(values == null ? -1 : values.length, out);
        if (values != null) for (T v : values) elements.serialize(v, out);
    }

    public static <T> T[] readArray(CompactSerializer<T> elements, IntFunction<T[]> array, DataInputView in)
            throws IOException {
        int length = readLength(in);
        if (length < 0) return null;
        T[] values = array.apply(length);
        for (int i = 0; i < length; i++) values[i] = elements.deserialize(in);
        return values;
    }

    /** A length (or -1 for null) as an unsigned varint of length + 1. */
    public static void writeLength(int length, DataOutputView out) throws IOException {
        int v = length + 1;
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    public static int readLength(DataInputView in) throws IOException {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (v < 0) throw new IOException("corrupt length varint: " + (v - 1));
                return v - 1;
            }
        }
        throw new IOException("corrupt length varint: more than 5 bytes");
    }
}
