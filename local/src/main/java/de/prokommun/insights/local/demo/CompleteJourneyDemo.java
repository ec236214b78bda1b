package de.prokommun.insights.local.demo;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.flink.profile.ProfileJob;
import de.prokommun.insights.importer.KeysFile;
import de.prokommun.insights.importer.completejourney.CompleteJourney;
import de.prokommun.insights.ingestion.IngestionConfig;
import de.prokommun.insights.query.QueryConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code ./run-local --demo complete-journey}: the local mode with the Complete Journey sample instead of the
 * synthetic city — its 293 stores as participants (plus a portal and an operator), its 801 households as residents,
 * its 2017 purchases imported through the real ingestion — so that the worked examples of docs/JOURNEY.md and
 * docs/INSIGHTS.md can be asked by anyone with curl. The data end in 2017, which sets three things apart from the
 * synthetic city (see {@link #settings()}).
 */
public final class CompleteJourneyDemo {
    private CompleteJourneyDemo() {}

    public static final String NAME = "complete-journey";
    /** The last day of the data, at noon in the city: the query service's "today" in the demo. */
    public static final Instant TODAY = ZonedDateTime.of(2017, 12, 31, 12, 0, 0, 0, ZoneId.of("Europe/Berlin")).toInstant();
    /** The stores whose cross-shopping docs/JOURNEY.md's worked example asks about. */
    public static final List<String> EXAMPLE_STORES = List.of("cj-store-343", "cj-store-367", "cj-store-381", "cj-store-396");
    private static final String IMPORTED_MARKER = "complete-journey-imported.txt";

    /**
     * What the demo sets beside the local mode's settings: ingestion accepts 2017's purchases (Musterstadt keeps
     * purchases 3 years, judged against today they would be refused with 422); the query service's clock starts on
     * 31 December 2017; and, as in the worked example, questions are answered one by one (the publication is off —
     * it publishes the current months, which hold no data here — and the city-wide cap is not enforced: the demo's
     * residents are a public research sample, not a city's residents).
     */
    public static Map<String, String> settings() {
        return Map.of(IngestionConfig.RETENTION_ENFORCED.name(), "false",
                QueryConfig.CLOCK_START.name(), TODAY.toString(),
                QueryConfig.PUBLICATION_ENABLED.name(), "false",
                QueryConfig.CITY_BUDGET_ENFORCED.name(), "false");
    }

    /** The participants' keys: those written at the first start, else a new directory and keys file. */
    public static Map<String, String> participants(Path sample, Path directoryFile, Path keysFile) throws IOException {
        if (Files.exists(keysFile) && Files.exists(directoryFile)) return KeysFile.read(keysFile);
        return CompleteJourney.writeParticipants(sample, directoryFile, keysFile);
    }

    public static boolean imported(Path dataDir) {
        return Files.exists(dataDir.resolve(IMPORTED_MARKER));
    }

    public static void markImported(Path dataDir, String report) throws IOException {
        Files.writeString(dataDir.resolve(IMPORTED_MARKER), report);
    }

    /**
     * Uploads every store's product-group mapping and waits until the profile job has read all of them: a mapping
     * applies to purchases processed after it arrived, so purchases imported earlier would count as unmapped.
     */
    public static int uploadMappingsAndAwaitThem(URI ingestion, Map<String, String> keys, Settings settings, Duration timeout)
            throws IOException, InterruptedException {
        byte[] mapping = CompleteJourney.productGroupMapping();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int stores = 0;
        for (Map.Entry<String, String> participant : keys.entrySet()) {
            if (!participant.getKey().startsWith("cj-store-")) continue;
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(ingestion.resolve("/api/v1/product-groups/mapping.csv"))
                    .header("Authorization", "Bearer " + participant.getValue())
                    .header("Content-Type", "text/csv; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(mapping)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("mapping of " + participant.getKey() + " refused: " + r.statusCode() + " " + r.body());
            }
            stores++;
        }
        awaitProfileJobRead(settings, Topics.PRODUCT_GROUP_MAPPINGS.name(settings), timeout);
        return stores;
    }

    /**
     * The profile job commits its offsets when a checkpoint completes, that is once what it read is in its state:
     * committed offsets at the end of the topic mean every mapping is in the broadcast state.
     */
    static void awaitProfileJobRead(Settings settings, String topic, Duration timeout) throws InterruptedException {
        String group = settings.get(FlinkJobsConfig.CONSUMER_GROUP_PREFIX) + ProfileJob.NAME;
        Instant deadline = Instant.now().plus(timeout);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.get(CommonConfig.KAFKA_BOOTSTRAP)))) {
            Set<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .stream().map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toSet());
            Map<TopicPartition, OffsetSpec> latest = partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
            Map<TopicPartition, Long> ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .all().get().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                if (ends.entrySet().stream().allMatch(e -> e.getValue() == 0 || (committed.get(e.getKey()) != null
                        && committed.get(e.getKey()).offset() >= e.getValue()))) {
                    return;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("the profile job has not read the product-group mappings within " + timeout
                            + " (topic " + topic + ", end offsets " + ends + ", committed " + committed + ")");
                }
                Thread.sleep(500);
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot read the offsets of topic " + topic + ": " + e.getCause(), e.getCause());
        }
    }
}
