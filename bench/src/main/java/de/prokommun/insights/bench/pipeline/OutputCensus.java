package de.prokommun.insights.bench.pipeline;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topic;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.ContributionDelta;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the profile job wrote per anonymous event, read back committed after a run: rows per output topic, and how
 * many contribution rows a sink would write if rows of the same aggregate key within a chunk of the stream were
 * summed into one (the chunk standing for one sink writer's records of one second).
 */
final class OutputCensus {
    private OutputCensus() {}

    static Map<String, Object> of(String bootstrap, Map<String, String> topicNames, long anonymousEvents, double seconds,
                                  int subtasks) {
        Map<String, Object> out = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            for (Map.Entry<String, String> t : topicNames.entrySet()) {
                boolean contributions = t.getKey().equals(Topics.CONTRIBUTIONS.baseName());
                List<byte[]> values = readAll(consumer, t.getValue(), !contributions);
                out.put(t.getKey() + ".rowsPerEvent", round(values.size() / (double) anonymousEvents));
                if (contributions) contributions(values, anonymousEvents, seconds, subtasks, out);
            }
        }
        return out;
    }

    private static void contributions(List<byte[]> values, long anonymousEvents, double seconds, int subtasks,
                                      Map<String, Object> out) {
        List<ContributionDelta> rows = new ArrayList<>(values.size());
        for (byte[] v : values) rows.add(Topics.CONTRIBUTIONS.codec().decode(v));
        Map<String, Long> byMeasure = new TreeMap<>();
        for (ContributionDelta d : rows) byMeasure.merge(d.getMeasure(), 1L, Long::sum);
        Map<String, Double> perEvent = new LinkedHashMap<>();
        byMeasure.forEach((m, n) -> perEvent.put(m, round(n / (double) anonymousEvents)));
        out.put("contributions.rowsPerEventByMeasure", perEvent);
        int chunk = (int) Math.max(1, rows.size() / seconds / subtasks);
        long merged = 0;
        for (int from = 0; from < rows.size(); from += chunk) {
            Set<String> keys = new HashSet<>();
            for (ContributionDelta d : rows.subList(from, Math.min(rows.size(), from + chunk))) keys.add(keyOf(d));
            merged += keys.size();
        }
        out.put("contributions.rowsPerEventIfSummedPerChunk", round(merged / (double) anonymousEvents));
        out.put("contributions.chunk", chunk);
    }

    /** A row's dimensions: everything but its measures and its time. */
    private static String keyOf(ContributionDelta d) {
        ContributionDelta c = ContributionDelta.newBuilder(d).setCount(0).setQuantity(0).setAmountCents(0).setLagDays(0)
                .setEventTime(0).build();
        return c.toString();
    }

    /** Every committed record of the topic (values kept only if asked). */
    private static List<byte[]> readAll(KafkaConsumer<byte[], byte[]> consumer, String topic, boolean countOnly) {
        List<TopicPartition> parts = new ArrayList<>();
        consumer.partitionsFor(topic).forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        Map<TopicPartition, Long> end = consumer.endOffsets(parts);
        List<byte[]> values = new ArrayList<>();
        int empty = 0;
        while (empty < 5) {
            var records = consumer.poll(Duration.ofMillis(500));
            if (records.isEmpty()) { empty++; continue; }
            empty = 0;
            for (ConsumerRecord<byte[], byte[]> r : records) values.add(countOnly ? null : r.value());
            boolean atEnd = true;
            for (TopicPartition p : parts) if (consumer.position(p) < end.get(p)) atEnd = false;
            if (atEnd) break;
        }
        return values;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static Map<String, String> topics(Settings settings) {
        Map<String, String> names = new LinkedHashMap<>();
        for (Topic<?> t : List.of(Topics.PROFILES, Topics.CONTRIBUTIONS, Topics.PERSON_RECORDS)) {
            names.put(t.baseName(), t.name(settings));
        }
        return names;
    }
}
