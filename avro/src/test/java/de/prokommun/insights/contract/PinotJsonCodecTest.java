package de.prokommun.insights.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.DeadLetter;
import de.prokommun.insights.events.PersonRecord;
import de.prokommun.insights.events.ProductGroupMapping;
import de.prokommun.insights.events.ProfileRow;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The streaming encoder writes exactly the bytes of the former Jackson-tree encoder (kept below as the oracle)
 * for many generated records of every type: nulls in every field that can hold one (nullable or not), unicode incl. escapes,
 * control characters, emoji and lone surrogates, empty and long arrays, extreme numbers, enums, maps and
 * nested records (the last three written as their text, as before).
 */
class PinotJsonCodecTest {

    private static final int RECORDS_PER_TYPE = 3_000;

    @Test
    void streamingEncodingIsByteIdenticalToTheTreeEncoding() {
        for (Class<? extends SpecificRecord> type : List.of(ProfileRow.class, ContributionDelta.class,
                PersonRecord.class, DeadLetter.class, ProductGroupMapping.class, AnonymousEvent.class)) {
            assertIdentical(type);
        }
    }

    @Test
    void nullFieldsAreOmittedAndValuesKeepTheirJsonTypes() {
        ProfileRow row = new ProfileRow();
        row.setPseudonym("p\u00e4\"1");
        row.setPersonas(List.of("family", "senior"));
        row.setInterests(List.of());
        row.setConsentOffers(true);
        row.setRegisteredDay(-1);
        row.setUpdatedAt(Long.MIN_VALUE);
        String json = new String(new PinotJsonCodec<>(ProfileRow.class).encode(row), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"pseudonym\":\"p\u00e4\\\"1\",\"personas\":[\"family\",\"senior\"],"
                + "\"interests\":[],\"consentOffers\":true,\"consentNewsletter\":false,\"registeredDay\":-1,"
                + "\"deleted\":false,\"updatedAt\":-9223372036854775808,\"version\":0}");
    }

    private static <T extends SpecificRecord> void assertIdentical(Class<T> type) {
        PinotJsonCodec<T> codec = new PinotJsonCodec<>(type);
        Schema schema = SpecificData.getForClass(type).getSchema(type);
        Random random = new Random(type.getName().hashCode());
        for (int n = 0; n < RECORDS_PER_TYPE; n++) {
            @SuppressWarnings("unchecked")
            T record = (T) SpecificData.getForClass(type).newRecord(null, schema);
            for (Schema.Field field : schema.getFields()) {
                boolean primitive = switch (field.schema().getType()) {
                    case INT, LONG, BOOLEAN, DOUBLE, FLOAT -> true;
                    default -> false;
                };
                record.put(field.pos(), !primitive && random.nextInt(6) == 0 ? null : valueOf(field.schema(), random, 0));
            }
            byte[] expected = treeEncoding(schema, record);
            byte[] actual = codec.encode(record);
            assertThat(new String(actual, StandardCharsets.UTF_8))
                    .as("%s #%d", type.getSimpleName(), n)
                    .isEqualTo(new String(expected, StandardCharsets.UTF_8));
            assertThat(actual).as("%s #%d bytes", type.getSimpleName(), n).isEqualTo(expected);
        }
    }

    // ---- the oracle: the encoder as it was before the streaming one (Jackson tree, toString) ----

    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] treeEncoding(Schema schema, SpecificRecord value) {
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

    // ---- random values by schema ----

    private static Object valueOf(Schema s, Random random, int depth) {
        switch (s.getType()) {
            case UNION: {
                List<Schema> types = s.getTypes();
                Schema t = types.get(random.nextInt(types.size()));
                return t.getType() == Schema.Type.NULL ? null : valueOf(t, random, depth);
            }
            case STRING: return text(random);
            case INT: return pick(random, new int[] {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}, random.nextInt());
            case LONG: return pickLong(random);
            case BOOLEAN: return random.nextBoolean();
            case DOUBLE: return pickDouble(random);
            case FLOAT: return (float) pickDouble(random);
            case BYTES: return ByteBuffer.wrap(text(random).getBytes(StandardCharsets.UTF_8));
            case ENUM: {
                List<String> symbols = s.getEnumSymbols();
                return SpecificData.get().createEnum(symbols.get(random.nextInt(symbols.size())), s);
            }
            case ARRAY: {
                int size = depth > 2 ? 0 : sizeOf(random);
                List<Object> list = new ArrayList<>(size);
                for (int i = 0; i < size; i++) list.add(valueOf(s.getElementType(), random, depth + 1));
                list.removeIf(x -> x == null); // a null element cannot be encoded (neither before nor now)
                return list;
            }
            case MAP: {
                int size = depth > 2 ? 0 : sizeOf(random);
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < size; i++) map.put(text(random), valueOf(s.getValueType(), random, depth + 1));
                return map;
            }
            case RECORD: {
                SpecificRecord nested = (SpecificRecord) SpecificData.get().newRecord(null, s);
                for (Schema.Field f : s.getFields()) {
                    nested.put(f.pos(), depth > 2 ? null : valueOf(f.schema(), random, depth + 1));
                }
                return nested;
            }
            default: throw new IllegalStateException("no generator for schema type " + s.getType());
        }
    }

    private static int sizeOf(Random random) {
        return switch (random.nextInt(4)) { case 0 -> 0; case 1 -> 1; case 2 -> 2 + random.nextInt(5); default -> random.nextInt(40); };
    }

    private static int pick(Random random, int[] extremes, int otherwise) {
        return random.nextBoolean() ? extremes[random.nextInt(extremes.length)] : otherwise;
    }

    private static long pickLong(Random random) {
        long[] extremes = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE + 1L, 1_764_800_000_000L};
        return random.nextBoolean() ? extremes[random.nextInt(extremes.length)] : random.nextLong();
    }

    private static double pickDouble(Random random) {
        double[] extremes = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.MIN_VALUE, Double.MAX_VALUE, 1e-7, 1e21, 0.1};
        return random.nextBoolean() ? extremes[random.nextInt(extremes.length)] : random.nextGaussian() * 1e6;
    }

    private static final String[] PIECES = {"", "a", "Z", "ä", "ß", "Müller", "\"", "\\", "/", "\n", "\r", "\t",
            "\u0000", "\u001f", "\u007f", "\u2028", "\u2029", "\u20ac", "😀", "\ud83d", "\ude00", "<script>", "&",
            "category:lebensmittel.backwaren:2025", "{\"x\":1}", " ", "\u00a0", "中文", "\ufeff"};

    private static String text(Random random) {
        StringBuilder b = new StringBuilder();
        int pieces = random.nextInt(8);
        for (int i = 0; i < pieces; i++) {
            if (random.nextInt(5) == 0) b.append((char) random.nextInt(0x10000));
            else b.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return b.toString();
    }
}
