package de.prokommun.insights.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding (magic bytes + schema fingerprint + binary body): a reader knows which
 * writer schema produced a message, so older writer schemas can be added with {@link #acceptAlso}.
 */
public final class AvroCodec<T extends SpecificRecord> implements Codec<T> {

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    public AvroCodec(Class<T> type) {
        this.type = type;
        Schema schema = SpecificData.getForClass(type).getSchema(type);
        SpecificData model = Models.withGeneratedCoders(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
    }

    /** Registers an earlier version of the schema whose messages may still be on a topic. */
    public AvroCodec<T> acceptAlso(Schema writerSchema) {
        decoder.addSchema(writerSchema);
        return this;
    }

    public Class<T> type() { return type; }

    @Override
    public byte[] encode(T value) {
        try {
            ByteBuffer buffer = encoder.encode(value);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public T decode(byte[] bytes) {
        try {
            return decoder.decode(bytes);
        } catch (IOException | RuntimeException e) {
            // Avro reports foreign bytes as BadHeaderException / AvroRuntimeException: poison all the same.
            throw new MalformedRecordException(type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
