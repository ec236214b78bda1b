package de.prokommun.insights.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Records bound for Pinot are defined in Avro but written as flat JSON (field name → value, enums as
 * strings, arrays as JSON arrays, nulls omitted), which Pinot 0.11's JSON decoder reads without a
 * schema registry. The Avro schema stays the single definition; the Pinot schema mirrors its fields.
 */
public final class PinotJsonCodec<T extends SpecificRecord> implements Codec<T> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Class<T> type;
    private final Schema schema;

    public PinotJsonCodec(Class<T> type) {
        this.type = type;
        this.schema = SpecificData.getForClass(type).getSchema(type);
    }

    @Override
    public byte[] encode(T value) {
        ObjectNode node = JSON.createObjectNode();
        for (Schema.Field field : schema.getFields()) {
            Object v = value.get(field.pos());
            if (v != null) node.set(field.name(), toJson(v));
        }
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode toJson(Object v) {
        if (v instanceof Collection<?> items) {
            ArrayNode array = JSON.createArrayNode();
            items.forEach(i -> array.add(toJson(i)));
            return array;
        }
        if (v instanceof Boolean b) return JSON.getNodeFactory().booleanNode(b);
        if (v instanceof Integer i) return JSON.getNodeFactory().numberNode(i);
        if (v instanceof Long l) return JSON.getNodeFactory().numberNode(l);
        if (v instanceof Double d) return JSON.getNodeFactory().numberNode(d);
        return JSON.getNodeFactory().textNode(v.toString());
    }

    @Override
    public T decode(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            @SuppressWarnings("unchecked")
            T record = (T) SpecificData.getForClass(type).newRecord(null, schema);
            for (Schema.Field field : schema.getFields()) {
                JsonNode v = node.get(field.name());
                record.put(field.pos(), v == null || v.isNull() ? defaultOf(field) : fromJson(v, field.schema()));
            }
            return record;
        } catch (IOException | RuntimeException e) {
            throw new MalformedRecordException(type.getSimpleName() + " JSON: " + e.getMessage(), e);
        }
    }

    private static Object defaultOf(Schema.Field field) {
        return field.hasDefaultValue() ? SpecificData.get().getDefaultValue(field) : null;
    }

    private static Object fromJson(JsonNode v, Schema s) {
        Schema t = nonNull(s);
        switch (t.getType()) {
            case BOOLEAN: return v.asBoolean();
            case INT: return v.asInt();
            case LONG: return v.asLong();
            case DOUBLE: return v.asDouble();
            case ARRAY: {
                java.util.List<Object> list = new java.util.ArrayList<>();
                v.forEach(i -> list.add(fromJson(i, t.getElementType())));
                return list;
            }
            default: return v.asText();
        }
    }

    private static Schema nonNull(Schema s) {
        if (s.getType() != Schema.Type.UNION) return s;
        return s.getTypes().stream().filter(x -> x.getType() != Schema.Type.NULL).findFirst().orElse(s);
    }
}
