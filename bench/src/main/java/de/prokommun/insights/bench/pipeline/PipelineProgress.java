package de.prokommun.insights.bench.pipeline;

import java.time.Duration;
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
public final class PipelineProgress implements AutoCloseable {

    /**
     * {@code anonymised}: the anonymise job committed the whole raw topic. {@code profileLag}: the largest gap
     * between the profile job's committed offset and the end of an anonymous-events partition; transaction
     * markers after the last record keep it a few offsets above zero even when everything is processed.
     */
    public record Snapshot(long rawEnd, long anonymiseCommitted, long anonymousEnd, long profileCommitted, boolean anonymised,
                    long profileLag) {}

    private final Admin admin;
    private final String rawTopic, anonymousTopic, anonymiseGroup, profileGroup;

    public PipelineProgress(String bootstrap, String rawTopic, String anonymousTopic, String anonymiseGroup, String profileGroup) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        this.admin = Admin.create(p);
        this.rawTopic = rawTopic;
        this.anonymousTopic = anonymousTopic;
        this.anonymiseGroup = anonymiseGroup;
        this.profileGroup = profileGroup;
    }

    public Snapshot snapshot() throws Exception {
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

    /**
     * Waits until the raw topic is committed by the anonymise job, only transaction markers are left for the
     * profile job and its committed offsets did not move for {@code quiet}; returns the System.nanoTime() of
     * the last movement, or -1 if {@code timeout} passed first.
     */
    public long awaitProcessed(Duration timeout, Duration quiet, long markerSlack) throws Exception {
        long start = System.nanoTime();
        long lastCommitted = -1;
        long lastChange = start;
        long nextPrint = start;
        while (System.nanoTime() - start < timeout.toNanos()) {
            Snapshot s = snapshot();
            long now = System.nanoTime();
            if (s.profileCommitted() != lastCommitted) {
                lastCommitted = s.profileCommitted();
                lastChange = now;
            }
            if (s.anonymised() && s.profileLag() <= markerSlack && now - lastChange >= quiet.toNanos()) return lastChange;
            if (now >= nextPrint) {
                System.out.printf("[bench] anonymised %,d of %,d raw, profiled %,d of %,d anonymous%n",
                        s.anonymiseCommitted(), s.rawEnd(), s.profileCommitted(), s.anonymousEnd());
                nextPrint = now + 15_000_000_000L;
            }
            Thread.sleep(200);
        }
        return -1;
    }

    @Override
    public void close() {
        admin.close();
    }
}
