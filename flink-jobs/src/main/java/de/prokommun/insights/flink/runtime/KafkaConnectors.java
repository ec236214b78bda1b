package de.prokommun.insights.flink.runtime;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topic;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.flink.events.RawRecord;
import de.prokommun.insights.flink.events.RawRecordDeserializer;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The real Kafka connectors of the jobs, built from the topic registry: sources read read_committed and
 * hand on raw bytes; sinks are transactional (exactly-once, committed with each checkpoint).
 */
public final class KafkaConnectors {
    private KafkaConnectors() {}

    /*
     * Every Kafka client metric (about 90 per consumer and 77 per producer) would otherwise become a Flink gauge: 43 % of
     * the jobs' metrics, each serialised by every metric fetch of the REST API the health monitor polls. Flink's own
     * source and sink metrics (records and bytes in and out, pendingRecords) stay.
     */
    static final String REGISTER_CONSUMER_METRICS = "register.consumer.metrics";
    static final String REGISTER_PRODUCER_METRICS = "register.producer.metrics";

    /**
     * A source over the topic for the job's consumer group. Offsets live in the checkpoint; without one the
     * group's committed offsets are used, and without those the topic is read from the start.
     */
    public static KafkaSource<RawRecord> source(Settings settings, Topic<?> topic, String jobName) {
        return KafkaSource.<RawRecord>builder()
                .setBootstrapServers(settings.get(CommonConfig.KAFKA_BOOTSTRAP))
                .setTopics(topic.name(settings))
                .setGroupId(settings.get(FlinkJobsConfig.CONSUMER_GROUP_PREFIX) + jobName)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawRecordDeserializer())
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .setProperty("commit.offsets.on.checkpoint", "true")
                .setProperty("partition.discovery.interval.ms", "60000")
                .setProperty(REGISTER_CONSUMER_METRICS, "false")
                .build();
    }

    /** An exactly-once sink writing the registry's codec of the topic, keyed by {@code key} (null = no key). */
    public static <T> KafkaSink<T> sink(Settings settings, Topic<T> topic, SerializableFunction<T, String> key,
                                        String jobName) {
        return sink(settings, topic, key, jobName, "");
    }

    /**
     * One of several sinks of a job into the same topic ({@code part} names it; "" is the topic's first sink): each
     * branch of a job that writes a topic at a high rate gets its own sink chained to it, so that its records are not
     * serialised across a network edge into one shared sink first.
     */
    public static <T> KafkaSink<T> sink(Settings settings, Topic<T> topic, SerializableFunction<T, String> key,
                                        String jobName, String part) {
        return sink(settings, topic, new RegistryRecordSerializer<>(topic.name(settings), topic.baseName(), key), jobName, part);
    }

    /**
     * A sink whose partition is chosen by {@code partitionKey} (Kafka's default partitioner applied to it), not by the
     * key: the key is a row's identity, the partition the person's (person-records).
     */
    public static <T> KafkaSink<T> sink(Settings settings, Topic<T> topic, SerializableFunction<T, String> key,
                                        SerializableFunction<T, String> partitionKey, String jobName) {
        return sink(settings, topic, new RegistryRecordSerializer<>(topic.name(settings), topic.baseName(), key,
                partitionKey), jobName, "");
    }

    /**
     * A sink of a compacted topic whose elements are changes: {@code valueOrNull} gives the record to write under the
     * key, or null for a tombstone (Kafka's compaction then removes the key, e.g. an erased resident's contact).
     */
    public static <E, T> KafkaSink<E> tombstoningSink(Settings settings, Topic<T> topic, SerializableFunction<E, String> key,
                                                     SerializableFunction<E, T> valueOrNull, String jobName) {
        return sink(settings, topic, new TombstoningRecordSerializer<>(topic.name(settings), topic.baseName(), key,
                valueOrNull), jobName, "");
    }

    private static <T> KafkaSink<T> sink(Settings settings, Topic<?> topic, KafkaRecordSerializationSchema<T> serializer,
                                         String jobName, String part) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(settings.get(CommonConfig.KAFKA_BOOTSTRAP))
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix(settings, jobName, topic) + (part.isEmpty() ? "" : "-" + part))
                .setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                        String.valueOf(settings.get(FlinkJobsConfig.TRANSACTION_TIMEOUT).toMillis()))
                .setProperty(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(settings.get(FlinkJobsConfig.SINK_LINGER).toMillis()))
                .setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, settings.get(FlinkJobsConfig.SINK_COMPRESSION))
                .setProperty(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(settings.get(FlinkJobsConfig.SINK_BATCH_BYTES)))
                .setProperty(REGISTER_PRODUCER_METRICS, "false")
                .build();
    }

    /** One prefix per job and sink: two sinks sharing a prefix would fence each other's transactions. */
    static String transactionalIdPrefix(Settings settings, String jobName, Topic<?> topic) {
        return settings.get(FlinkJobsConfig.TRANSACTIONAL_ID_PREFIX) + "-" + settings.get(CommonConfig.TOPIC_PREFIX)
                + jobName + "-" + topic.baseName();
    }
}
