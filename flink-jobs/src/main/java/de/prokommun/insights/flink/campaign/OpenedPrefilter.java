package de.prokommun.insights.flink.campaign;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.CampaignOpened;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Whether an anonymous event's bytes may hold a {@link CampaignOpened}, read from the payload's union branch without
 * decoding the event: the campaign job reads the whole anonymous topic for the rare opened offers, and decoding every
 * purchase (lines, payments) only to drop it would cost the machine's shared cores. Bytes of another writer schema, or
 * that cannot be read this way, answer true (the full decode then decides).
 */
final class OpenedPrefilter {
    private OpenedPrefilter() {}

    private static final Schema SCHEMA = AnonymousEvent.getClassSchema();
    private static final long FINGERPRINT = SchemaNormalization.parsingFingerprint64(SCHEMA);
    private static final int OPENED_BRANCH = SCHEMA.getField("payload").schema().getIndexNamed(CampaignOpened.getClassSchema().getFullName());
    /** Single-object encoding: 2 marker bytes, the writer schema's 8-byte fingerprint (little endian), the body. */
    private static final int HEADER = 10;

    static boolean mayBeOpened(byte[] bytes) {
        if (bytes.length < HEADER || bytes[0] != (byte) 0xC3 || bytes[1] != (byte) 0x01) return true;
        if (ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong() != FINGERPRINT) return true;
        try {
            BinaryDecoder in = DecoderFactory.get().binaryDecoder(bytes, HEADER, bytes.length - HEADER, null);
            // the fields before the payload, in schema order: eventId, city, participant, eventTime, receivedTime, pseudonym
            in.skipString();
            in.skipString();
            in.skipString();
            in.readLong();
            in.readLong();
            in.skipString();
            return in.readIndex() == OPENED_BRANCH;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }
}
