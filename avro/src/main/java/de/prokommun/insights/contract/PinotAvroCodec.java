package de.prokommun.insights.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Records bound for Pinot as plain Avro binary (no header), the format Pinot's {@code SimpleAvroMessageDecoder} reads
 * with the schema given in the table's stream config ({@code stream.kafka.decoder.prop.schema}, kept equal to this
 * class's schema by TableDefinitionTest). For the append-only contributions: about a third of the JSON bytes, and
 * neither the jobs' writers nor Pinot's consumers parse text (the JSON encoding was ~7.5 % of the local mode's CPU at
 * 2,000 events/s). Writer and reader schema are the same: a change of the record is a change of the table config.
 * <p>Encoding is the profile job's sinks' hot path (about 12 % of its operator chain's CPU in Flight Recorder on
 * 2026-12-06): records are written by their generated coders ({@link Models#withGeneratedCoders}) through a buffered
 * encoder and a buffer that each thread reuses, not byte by byte into a new locked stream per record.
 */
public final class PinotAvroCodec<T extends SpecificRecord> implements Codec<T> {
    private final Class<T> type;
    private final Schema schema;
    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;
    /** Per thread: the registry's codec is shared by the sink writers of every subtask. */
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final ReusableBytes out = new ReusableBytes();
        BinaryEncoder encoder;
    }

    public PinotAvroCodec(Class<T> type) {
        SpecificData model = Models.withGeneratedCoders(type);
        this.type = type;
        this.schema = model.getSchema(type);
        this.writer = new SpecificDatumWriter<>(schema, model);
        this.reader = new SpecificDatumReader<>(schema, schema, model);
    }

    /** The schema Pinot's decoder must be given. */
    public Schema schema() {
        return schema;
    }

    @Override
    public byte[] encode(T value) {
        try {
            Scratch s = scratch.get();
            s.out.reset();
            s.encoder = EncoderFactory.get().binaryEncoder(s.out, s.encoder);
            writer.write(value, s.encoder);
            s.encoder.flush();
            return s.out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(type.getSimpleName() + " Avro encoding failed: " + e.getMessage(), e);
        }
    }

    @Override
    public T decode(byte[] bytes) {
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
            T value = reader.read(null, decoder);
            if (!decoder.isEnd()) throw new IOException("bytes left after the record");
            return value;
        } catch (IOException | RuntimeException e) {
            throw new MalformedRecordException(type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
