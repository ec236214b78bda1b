package de.prokommun.insights.flink.runtime;

import de.prokommun.insights.contract.Codec;
import de.prokommun.insights.contract.PersonRecordKeys;
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
 * The partition is Kafka's default for the key, or, with a partition key, Kafka's default for that (a topic keyed by
 * a row's identity whose rows of one person must share a partition: person-records, {@link PersonRecordKeys}).
 */
final class RegistryRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final String topicName;
    private final String baseName;
    private final SerializableFunction<T, String> key;
    /** Null: the partition follows the key. */
    private final SerializableFunction<T, String> partitionKey;
    private transient Codec<T> codec;

    RegistryRecordSerializer(String topicName, String baseName, SerializableFunction<T, String> key) {
        this(topicName, baseName, key, null);
    }

    RegistryRecordSerializer(String topicName, String baseName, SerializableFunction<T, String> key,
                             SerializableFunction<T, String> partitionKey) {
        this.topicName = topicName;
        this.baseName = baseName;
        this.key = key;
        this.partitionKey = partitionKey;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        if (codec == null) codec = codecOf(baseName);
        String k = key.apply(element);
        byte[] keyBytes = k == null || k.isEmpty() ? null : k.getBytes(StandardCharsets.UTF_8);
        Integer partition = partitionKey == null ? null
                : PersonRecordKeys.partitionOf(partitionKey.apply(element), context.getPartitionsForTopic(topicName).length);
        return new ProducerRecord<>(topicName, partition, null, keyBytes, codec.encode(element));
    }

    @SuppressWarnings("unchecked")
    static <T> Codec<T> codecOf(String baseName) {
        for (Topic<?> t : Topics.ALL) {
            if (t.baseName().equals(baseName)) return (Codec<T>) t.codec();
        }
        throw new IllegalStateException("no topic '" + baseName + "' in the registry");
    }
}
