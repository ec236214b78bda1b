package de.prokommun.insights.bench.pipeline;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the exactly-once pipeline got, read from Kafka: the offsets each job's consumer group committed
 * (Flink commits them when a checkpoint completes, the same moment its transactions commit) against the
 * end of the topic it reads.
 */
final class PipelineProgress implements AutoCloseable {

    /**
     * {@code anonymised}: the anonymise job committed the whole raw topic. {@code profileLag}: the largest gap
     * between the profile job's committed offset and the end of an anonymous-events partition; transaction
     * markers after the last record keep it a few offsets above zero even when everything is processed.
     */
    record Snapshot(long rawEnd, long anonymiseCommitted, long anonymousEnd, long profileCommitted, boolean anonymised,
                    long profileLag) {}

    private final Admin admin;
    private final String rawTopic, anonymousTopic, anonymiseGroup, profileGroup;

    PipelineProgress(String bootstrap, String rawTopic, String anonymousTopic, String anonymiseGroup, String profileGroup) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        this.admin = Admin.create(p);
        this.rawTopic = rawTopic;
        this.anonymousTopic = anonymousTopic;
        this.anonymiseGroup = anonymiseGroup;
        this.profileGroup = profileGroup;
    }

    Snapshot snapshot() throws Exception {
        Map<TopicPartition, Long> rawEnd = ends(rawTopic);
        Map<TopicPartition, Long> anonEnd = ends(anonymousTopic);
        Map<TopicPartition, Long> anonymised = committed(anonymiseGroup);
        Map<TopicPartition, Long> profiled = committed(profileGroup);
        long lag = 0;
        for (var e : anonEnd.entrySet()) lag = Math.max(lag, e.getValue() - profiled.getOrDefault(e.getKey(), 0L));
        return new Snapshot(sum(rawEnd), sum(anonymised), sum(anonEnd), sum(profiled), caughtUp(anonymised, rawEnd), lag);
    }

    private static boolean caughtUp(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> ends) {
        for (var e : ends.entrySet()) {
            if (e.getValue() > 0 && committed.getOrDefault(e.getKey(), 0L) < e.getValue()) return false;
        }
        return true;
    }

    private Map<TopicPartition, Long> ends(String topic) throws Exception {
        var description = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        description.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private Map<TopicPartition, Long> committed(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, Long> out = new HashMap<>();
        offsets.forEach((tp, o) -> { if (o != null) out.put(tp, o.offset()); });
        return out;
    }

    private static long sum(Map<TopicPartition, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void close() {
        admin.close();
    }
}
