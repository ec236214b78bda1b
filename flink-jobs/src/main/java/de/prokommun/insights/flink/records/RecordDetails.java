package de.prokommun.insights.flink.records;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * The compact JSON of an event payload for the person's own view: every field of the Avro record except
 * pseudonyms (a card link shows only whether it replaced a card). Nothing but the payload of the person's own
 * event goes in, so no other person's data can.
 */
public final class RecordDetails {
    private RecordDetails() {}

    static final ObjectMapper JSON = new ObjectMapper();

    public static ObjectNode of(IndexedRecord payload) {
        ObjectNode out = JSON.createObjectNode();
        for (Schema.Field field : payload.getSchema().getFields()) {
            Object value = payload.get(field.pos());
            if (value == null) continue;
            String name = field.name();
            if (name.toLowerCase().contains("pseudonym")) {
                if (name.startsWith("replaced")) out.put("replacesCard", true);
                continue;
            }
            put(out, name, value);
        }
        return out;
    }

    private static void put(ObjectNode out, String name, Object value) {
        if (value instanceof IndexedRecord r) out.set(name, of(r));
        else if (value instanceof Collection<?> list) {
            ArrayNode array = out.putArray(name);
            for (Object item : list) {
                if (item instanceof IndexedRecord r) array.add(of(r));
                else if (item instanceof Number n) array.add(n.longValue());
                else if (item instanceof Boolean b) array.add(b);
                else array.add(String.valueOf(item));
            }
        } else if (value instanceof Integer || value instanceof Long) out.put(name, ((Number) value).longValue());
        else if (value instanceof Number n) out.put(name, n.doubleValue());
        else if (value instanceof Boolean b) out.put(name, b);
        else out.put(name, String.valueOf(value));
    }
}
