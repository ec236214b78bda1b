package de.prokommun.insights.flink.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * The size in bytes of a state key or value as its state's serializer writes it: what a serializing state backend
 * (RocksDB) encodes on a write and decodes on a read. Null (an absent entry) is 0 bytes.
 */
final class SerializedSize<T> {
    /** A size function over elements (an entry, a key, a value). */
    @FunctionalInterface
    interface Of<T> {
        long of(T element);
    }

    private final TypeSerializer<T> serializer;
    private final DataOutputSerializer buffer = new DataOutputSerializer(256);

    SerializedSize(TypeSerializer<T> serializer) {
        this.serializer = serializer.duplicate(); // the state's own instance may be in use in the backend
    }

    long of(T value) {
        if (value == null) return 0;
        buffer.clear();
        try {
            serializer.serialize(value, buffer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.length();
    }
}
