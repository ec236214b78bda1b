package de.prokommun.insights.flink.serialize;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Shared checks of the hand-written state serializers: random values filled by reflection (every public
 * instance field, so a field added to a state class without being written fails the round trip), round trip,
 * copy, size against Flink's POJO serializer, and snapshot compatibility after writing and reading the snapshot.
 */
public final class SerializerChecks {
    private SerializerChecks() {}

    /** A random value of a public field's type; null for nullable ones now and then; unknown types fail. */
    public interface Filler {
        Object valueFor(Class<?> type, Random random);
    }

    public static <T> T randomInstance(Class<T> type, Random random, Filler nested) {
        try {
            T value = type.getConstructor().newInstance();
            for (Field field : type.getFields()) {
                if (Modifier.isStatic(field.getModifiers())) continue;
                field.set(value, randomOf(field.getType(), random, nested, type.getSimpleName() + "." + field.getName()));
            }
            return value;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot fill " + type.getSimpleName(), e);
        }
    }

    private static Object randomOf(Class<?> t, Random random, Filler nested, String field) {
        boolean nullNow = random.nextInt(7) == 0;
        if (t == boolean.class) return random.nextBoolean();
        if (t == int.class) return randomInt(random);
        if (t == long.class) return randomLong(random);
        if (nullNow) return null;
        if (t == String.class) return randomString(random);
        if (t == Integer.class) return randomInt(random);
        if (t == Long.class) return randomLong(random);
        if (t == String[].class) {
            String[] a = new String[randomLength(random)];
            for (int i = 0; i < a.length; i++) a[i] = random.nextInt(9) == 0 ? null : randomString(random);
            return a;
        }
        if (t == int[].class) {
            int[] a = new int[randomLength(random)];
            for (int i = 0; i < a.length; i++) a[i] = randomInt(random);
            return a;
        }
        if (t == long[].class) {
            long[] a = new long[randomLength(random)];
            for (int i = 0; i < a.length; i++) a[i] = randomLong(random);
            return a;
        }
        if (t == int[][].class) {
            int[][] a = new int[randomLength(random)][];
            for (int i = 0; i < a.length; i++) a[i] = (int[]) randomOf(int[].class, random, nested, field);
            return a;
        }
        Object value = nested.valueFor(t, random);
        if (value == null) throw new IllegalStateException("no random generator for field " + field + " of type " + t);
        return value;
    }

    public static int randomLength(Random random) {
        return switch (random.nextInt(4)) { case 0 -> 0; case 1 -> 1; case 2 -> 2 + random.nextInt(6); default -> random.nextInt(200); };
    }

    public static int randomInt(Random random) {
        int[] extremes = {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 20_000};
        return random.nextBoolean() ? extremes[random.nextInt(extremes.length)] : random.nextInt();
    }

    public static long randomLong(Random random) {
        long[] extremes = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1_764_800_000_000L};
        return random.nextBoolean() ? extremes[random.nextInt(extremes.length)] : random.nextLong();
    }

    private static final String[] PIECES = {"", "a", "ä", "ß", "Müller", "\"", "\\", "\n", "\u0000", "😀", "\ud83d",
            "category:lebensmittel.backwaren:2025", "customer:baeckerei-schmidt", "中文"};

    public static String randomString(Random random) {
        StringBuilder b = new StringBuilder();
        int pieces = random.nextInt(6);
        for (int i = 0; i < pieces; i++) {
            if (random.nextInt(5) == 0) b.append((char) random.nextInt(0x10000));
            else b.append(PIECES[random.nextInt(PIECES.length)]);
        }
        if (!(random instanceof Latin1Text)) return b.toString();
        StringBuilder latin1 = new StringBuilder(b.length());
        for (int i = 0; i < b.length(); i++) latin1.append((char) (b.charAt(i) & 0xFF));
        return latin1.toString();
    }

    /**
     * Random values whose strings are all Latin-1, as the strings in state are (ids, categories, districts, German
     * names): what the size comparison with the POJO serializer is about. A string beyond Latin-1 costs one byte more
     * than in Flink's encoding ({@code FieldsTest}).
     */
    public static final class Latin1Text extends Random {
        private static final long serialVersionUID = 1L;

        public Latin1Text(long seed) {
            super(seed);
        }
    }

    /** Serialises, reads back and copies; both equal the value field by field (arrays and nesting included). */
    public static <T> void assertRoundTrip(TypeSerializer<T> serializer, T value) throws IOException {
        byte[] bytes = bytesOf(serializer, value);
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        T back = serializer.deserialize(in);
        assertThat(in.available()).as("bytes left after reading").isZero();
        assertThat(back).usingRecursiveComparison().isEqualTo(value);
        assertThat(serializer.copy(value)).usingRecursiveComparison().isEqualTo(value);
        DataOutputSerializer copied = new DataOutputSerializer(64);
        serializer.copy(new DataInputDeserializer(bytes), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(bytes);
    }

    public static <T> byte[] bytesOf(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return out.getCopyOfBuffer();
    }

    /** Flink's POJO serializer for the class, as used before (for size comparisons). */
    public static <T> TypeSerializer<T> pojoSerializer(Class<T> type) {
        return TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
    }

    /** Writes the snapshot as a checkpoint does, reads it back and resolves it against a fresh serializer. */
    public static <T> TypeSerializerSchemaCompatibility<T> restoredCompatibility(TypeSerializer<T> serializer)
            throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
        TypeSerializerSnapshot<T> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), SerializerChecks.class.getClassLoader());
        assertThat(restored.restoreSerializer()).isEqualTo(serializer);
        return serializer.snapshotConfiguration().resolveSchemaCompatibility(restored);
    }
}
