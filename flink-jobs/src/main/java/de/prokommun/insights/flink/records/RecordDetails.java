package de.prokommun.insights.flink.records;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * The compact JSON of an event payload for the person's own view: every field of the Avro record except
 * pseudonyms (a card link shows only whether it replaced a card). Nothing but the payload of the person's own
 * event goes in, so no other person's data can.
 * <p>
 * Written straight into a generator, without a Jackson tree: building and rendering a tree per record was about
 * 4 % of the profile chain's CPU (Flight Recorder, bench/run history). Same field order and value mapping as the
 * tree it replaces, so stored details read the same.
 */
public final class RecordDetails {
    private RecordDetails() {}

    private static final JsonFactory JSON = new JsonFactory();

    /** The details of a payload as a JSON object text. */
    public static String of(IndexedRecord payload) {
        return of(payload, null);
    }

    /** The details of a payload, with the campaign code the event carried (a redemption of an offer; null: none). */
    public static String of(IndexedRecord payload, String campaignCode) {
        return json(g -> {
            writeFields(g, payload);
            campaignCode(g, campaignCode);
            g.writeEndObject();
        });
    }

    /** The code of the campaign offer redeemed with the event (issue 18), as field "campaignCode" if there is one. */
    static void campaignCode(JsonGenerator g, String campaignCode) throws IOException {
        if (campaignCode != null) g.writeStringField("campaignCode", campaignCode);
    }

    /** Renders what {@code body} writes into one generator. */
    static String json(Body body) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException("record details JSON: " + e.getMessage(), e);
        }
        return out.toString();
    }

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static void write(JsonGenerator g, IndexedRecord payload) throws IOException {
        writeFields(g, payload);
        g.writeEndObject();
    }

    /** The object's start and its fields; the caller ends it. */
    private static void writeFields(JsonGenerator g, IndexedRecord payload) throws IOException {
        g.writeStartObject();
        for (Schema.Field field : payload.getSchema().getFields()) {
            Object value = payload.get(field.pos());
            if (value == null) continue;
            String name = field.name();
            if (name.toLowerCase().contains("pseudonym")) {
                if (name.startsWith("replaced")) g.writeBooleanField("replacesCard", true);
                continue;
            }
            g.writeFieldName(name);
            value(g, value);
        }
    }

    private static void value(JsonGenerator g, Object value) throws IOException {
        if (value instanceof IndexedRecord r) write(g, r);
        else if (value instanceof Collection<?> list) {
            g.writeStartArray();
            for (Object item : list) {
                if (item instanceof IndexedRecord r) write(g, r);
                else if (item instanceof Number n) g.writeNumber(n.longValue());
                else if (item instanceof Boolean b) g.writeBoolean(b);
                else g.writeString(String.valueOf(item));
            }
            g.writeEndArray();
        } else if (value instanceof Integer || value instanceof Long) g.writeNumber(((Number) value).longValue());
        else if (value instanceof Number n) g.writeNumber(n.doubleValue());
        else if (value instanceof Boolean b) g.writeBoolean(b);
        else g.writeString(String.valueOf(value));
    }
}
