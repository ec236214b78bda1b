package de.prokommun.insights.flink.serialize;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Base of the hand-written state serializers: a value is written field by field in a fixed order, without
 * reflection, Kryo or per-field class tags (the POJO serializer's reflective field access was ~16 % of the profile
 * job's CPU). Subclasses are stateless, so one instance serves every thread; a value is copied by writing and
 * reading it (only the heap backend and object reuse copy state values; RocksDB never does). A null value is
 * written as one marker byte, so null handling is exact at every level.
 */
public abstract class CompactSerializer<T> extends TypeSerializer<T> {
    private static final long serialVersionUID = 1L;

    /** Writes a non-null value. */
    protected abstract void write(T value, DataOutputView out) throws IOException;

    /** Reads a value written by {@link #write}. */
    protected abstract T read(DataInputView in) throws IOException;

    @Override
    public final void serialize(T value, DataOutputView out) throws IOException {
        if (value == null) {
            out.writeByte(0);
        } else {
            out.writeByte(1);
            write(value, out);
        }
    }

    @Override
    public final T deserialize(DataInputView in) throws IOException {
        byte marker = in.readByte();
        if (marker == 0) return null;
        if (marker != 1) throw new IOException(getClass().getSimpleName() + ": corrupt value, marker byte " + marker);
        return read(in);
    }

    @Override
    public final T deserialize(T reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public final void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public final T copy(T from) {
        if (from == null) return null;
        try {
            DataOutputSerializer out = new DataOutputSerializer(128);
            serialize(from, out);
            return deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        } catch (IOException e) {
            throw new IllegalStateException(getClass().getSimpleName() + ": cannot copy " + from, e);
        }
    }

    @Override
    public final T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public final boolean isImmutableType() {
        return false;
    }

    @Override
    public final TypeSerializer<T> duplicate() {
        return this; // stateless
    }

    @Override
    public final int getLength() {
        return -1;
    }

    @Override
    public final boolean equals(Object other) {
        return other != null && other.getClass() == getClass();
    }

    @Override
    public final int hashCode() {
        return getClass().hashCode();
    }
}
