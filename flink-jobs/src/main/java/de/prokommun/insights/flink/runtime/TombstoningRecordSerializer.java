package de.prokommun.insights.flink.runtime;

import de.prokommun.insights.contract.Codec;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes changes of a compacted topic: the registry's codec of the record {@code valueOrNull} gives, or a null value
 * (a tombstone) where it gives none. Key and timestamp as {@link RegistryRecordSerializer}.
 */
final class TombstoningRecordSerializer<E, T> implements KafkaRecordSerializationSchema<E> {
    private static final long serialVersionUID = 1L;

    private final String topicName;
    private final String baseName;
    private final SerializableFunction<E, String> key;
    private final SerializableFunction<E, T> valueOrNull;
    private transient Codec<T> codec;

    TombstoningRecordSerializer(String topicName, String baseName, SerializableFunction<E, String> key,
                                SerializableFunction<E, T> valueOrNull) {
        this.topicName = topicName;
        this.baseName = baseName;
        this.key = key;
        this.valueOrNull = valueOrNull;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(E element, KafkaSinkContext context, Long timestamp) {
        if (codec == null) codec = RegistryRecordSerializer.codecOf(baseName);
        T value = valueOrNull.apply(element);
        return new ProducerRecord<>(topicName, null, null, key.apply(element).getBytes(StandardCharsets.UTF_8),
                value == null ? null : codec.encode(value));
    }
}
