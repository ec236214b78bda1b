package de.prokommun.insights.bench.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.query.health.PinotConsumption;
import de.prokommun.insights.testkit.PinotCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether Pinot has consumed everything written to its tables' topics: the offsets its consuming segments report
 * (controller {@code GET /tables/<t>/consumingSegmentsInfo}) against the topics' end offsets, allowing the one
 * transaction marker an exactly-once writer leaves after its last record.
 */
final class PinotCatchUp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PinotCluster pinot;
    private final String bootstrap;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    PinotCatchUp(PinotCluster pinot, String bootstrap) {
        this.pinot = pinot;
        this.bootstrap = bootstrap;
    }

    /**
     * Waits until every table (name → topic) caught up — within {@link #MARKER_SLACK} offsets of each partition's end
     * (transaction markers are offsets without records) and not moving for {@code quiet} — and returns the
     * System.nanoTime() of the last movement, or throws after timeout.
     */
    long await(Map<String, String> tables, Duration timeout, Duration quiet) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        Map<String, Map<Integer, Long>> last = new HashMap<>();
        long lastMove = System.nanoTime();
        try (Admin admin = Admin.create(p)) {
            while (System.nanoTime() < deadline) {
                boolean all = true;
                for (Map.Entry<String, String> t : tables.entrySet()) {
                    Map<Integer, Long> consumed = consumed(t.getKey());
                    if (!consumed.equals(last.put(t.getKey(), consumed))) lastMove = System.nanoTime();
                    all &= caughtUp(consumed, ends(admin, t.getValue()));
                }
                if (all && System.nanoTime() - lastMove >= quiet.toNanos()) return lastMove;
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException("Pinot did not consume " + tables.keySet() + " within " + timeout);
    }

    /** Offsets a partition's end may lie beyond the last record Pinot reports (the markers of exactly-once writers). */
    static final long MARKER_SLACK = 16;

    private static boolean caughtUp(Map<Integer, Long> consumed, Map<Integer, Long> ends) {
        for (Map.Entry<Integer, Long> end : ends.entrySet()) {
            if (end.getValue() > 0 && consumed.getOrDefault(end.getKey(), 0L) < end.getValue() - MARKER_SLACK) return false;
        }
        return true;
    }

    private Map<Integer, Long> consumed(String table) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + pinot.controllerHostPort()
                + "/tables/" + table + "/consumingSegmentsInfo")).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Map<Integer, Long> out = new HashMap<>();
        if (response.statusCode() == 200) PinotConsumption.collect(JSON.readTree(response.body()), out);
        return out;
    }

    private static Map<Integer, Long> ends(Admin admin, String topic) throws Exception {
        var description = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        description.partitions().forEach(part -> request.put(new TopicPartition(topic, part.partition()), OffsetSpec.latest()));
        Map<Integer, Long> out = new HashMap<>();
        admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp.partition(), info.offset()));
        return out;
    }
}
