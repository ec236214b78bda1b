package de.prokommun.insights.flink.runtime;

import de.prokommun.insights.contract.Codec;
import de.prokommun.insights.contract.Topic;
import de.prokommun.insights.contract.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes records with the registry's codec of the topic (looked up by base name when the sink opens, so the
 * codec itself need not be serialisable) and a UTF-8 string key. The Kafka timestamp is left to the broker
 * (CreateTime now): event times of historical imports must not make the broker expire the records at once.
 */
final class RegistryRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final String topicName;
    private final String baseName;
    private final SerializableFunction<T, String> key;
    private transient Codec<T> codec;

    RegistryRecordSerializer(String topicName, String baseName, SerializableFunction<T, String> key) {
        this.topicName = topicName;
        this.baseName = baseName;
        this.key = key;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        if (codec == null) codec = codecOf(baseName);
        String k = key.apply(element);
        byte[] keyBytes = k == null || k.isEmpty() ? null : k.getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topicName, null, null, keyBytes, codec.encode(element));
    }

    @SuppressWarnings("unchecked")
    private static <T> Codec<T> codecOf(String baseName) {
        for (Topic<?> t : Topics.ALL) {
            if (t.baseName().equals(baseName)) return (Codec<T>) t.codec();
        }
        throw new IllegalStateException("no topic '" + baseName + "' in the registry");
    }
}
