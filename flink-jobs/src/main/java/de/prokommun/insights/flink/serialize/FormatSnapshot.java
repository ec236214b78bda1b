package de.prokommun.insights.flink.serialize;

import java.io.IOException;
import java.util.function.Supplier;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The snapshot of a {@link CompactSerializer}: records the binary format version the state was written with.
 * Same format: compatible as is. An older format this build has a reader for ({@link #readerOf}): compatible after
 * migration — Flink reads the old state with that reader and writes it anew in the current format. Any other
 * format: incompatible, named in the message of the failing restore.
 * Subclasses need a public no-argument constructor (Flink instantiates them on restore).
 */
public abstract class FormatSnapshot<T> implements TypeSerializerSnapshot<T> {
    private static final int SNAPSHOT_VERSION = 2;
    /** Snapshot version 1 was written before strings had an encoding of their own: StringValue's. */
    private static final int STRING_VALUE_ENCODING = 1;

    private final int currentFormat;
    private final Supplier<? extends CompactSerializer<T>> serializer;
    private int format;
    private int stringEncoding = Fields.STRING_ENCODING;

    protected FormatSnapshot(int currentFormat, Supplier<? extends CompactSerializer<T>> serializer) {
        this.currentFormat = currentFormat;
        this.serializer = serializer;
        this.format = currentFormat;
    }

    /** The format the state behind this snapshot was written in. */
    public int format() {
        return format;
    }

    @Override
    public int getCurrentVersion() {
        return SNAPSHOT_VERSION;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
        out.writeInt(format);
        out.writeInt(stringEncoding);
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
        if (readVersion != 1 && readVersion != SNAPSHOT_VERSION) {
            throw new IOException(getClass().getSimpleName() + ": unknown snapshot version " + readVersion);
        }
        format = in.readInt();
        stringEncoding = readVersion == 1 ? STRING_VALUE_ENCODING : in.readInt();
    }

    /**
     * A serializer that reads (and writes) the earlier {@code format}, for migrating state written in it; null when
     * this build cannot read that format. It must be a class of its own: serializers are equal by class.
     */
    protected TypeSerializer<T> readerOf(int format) {
        return null;
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
        if (stringEncoding != Fields.STRING_ENCODING) {
            throw new IllegalStateException(getClass().getSimpleName() + ": state with string encoding " + stringEncoding
                    + " cannot be read, this build writes and reads encoding " + Fields.STRING_ENCODING
                    + " (local mode: start again with --fresh)");
        }
        if (format == currentFormat) return serializer.get();
        TypeSerializer<T> reader = format < currentFormat ? readerOf(format) : null;
        if (reader == null) {
            throw new IllegalStateException(getClass().getSimpleName() + ": state in format " + format
                    + " cannot be read, this build reads format " + currentFormat);
        }
        return reader;
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> old) {
        if (old == null || old.getClass() != getClass()) return TypeSerializerSchemaCompatibility.incompatible();
        if (((FormatSnapshot<T>) old).stringEncoding != Fields.STRING_ENCODING) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
        int was = ((FormatSnapshot<T>) old).format;
        if (was == currentFormat) return TypeSerializerSchemaCompatibility.compatibleAsIs();
        return was < currentFormat && readerOf(was) != null
                ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
                : TypeSerializerSchemaCompatibility.incompatible();
    }
}
