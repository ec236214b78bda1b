package de.prokommun.insights.bench.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.prokommun.insights.bench.Benchmark;
import de.prokommun.insights.bench.harness.BenchContext;
import de.prokommun.insights.bench.harness.Recorder;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.PersonRecordKeys;
import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.PersonRecord;
import de.prokommun.insights.testkit.EmbeddedKafka;
import de.prokommun.insights.testkit.PinotCluster;
import de.prokommun.insights.testkit.PinotClusterConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Pinot child's heap against the number of keys of the upsert table person_records, and its peak while the purge
 * of old versions ({@code UpsertPurge}) rewrites completed segments: Kafka and Pinot only, no pipeline. Person records
 * shaped like the profile job's (purchases: pseudonym, "purchase:participant:receipt", details) are written in
 * {@code steps} equal parts up to {@code keys}; after each part, once Pinot serves all of them, the live heap after a
 * full collection is taken ({@code jcmd GC.class_histogram}). Then a share ({@code deleted}) of the keys is deleted
 * (a new version with deleted = true) and the heap is watched ({@code jstat}, garbage included) until a purge run has
 * rewritten the completed segments that held their old versions. {@code --hash=NONE|MD5|MURMUR3} overrides the tables'
 * {@code upsertConfig.hashFunction} for a before/after comparison.
 */
public final class PinotHeapBenchmark implements Benchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CITY = "musterstadt";
    private static final int RECORDS_PER_PERSON = 30;
    private static final int PARTITIONS = 2;
    private static final Pattern PURGED = Pattern.compile("purge of " + PinotTables.PERSON_RECORDS.name()
            + ": (\\d+) segments rewritten \\((\\d+) rows sent again\\), (\\d+) left alone, in ([\\d.]+) s");

    @Override public String name() { return "pinot-heap"; }

    @Override public String description() {
        return "Pinot's heap per upsert key of person_records and its peak during the purge (--keys=1200000 --hash=MD5)";
    }

    @Override
    public void run(BenchContext ctx, Recorder recorder) throws Exception {
        int keys = ctx.intOption("keys", 1_200_000);
        int steps = ctx.intOption("steps", 4);
        double deletedShare = Double.parseDouble(ctx.option("deleted", "0.01"));
        String hash = ctx.option("hash", "");
        String heap = ctx.option("pinot.heap", "1g");
        Duration purgeEvery = ctx.durationOption("purge-interval", Duration.ofSeconds(30));
        recorder.parameter("keys", keys);
        recorder.parameter("steps", steps);
        recorder.parameter("deleted", deletedShare);
        recorder.parameter("hash", hash.isEmpty() ? "as pinot/person_records.table.json" : hash);
        recorder.parameter("pinot.heap", heap);
        Path work = ctx.workDir().resolve("pinot-heap");
        deleteTree(work);
        Path config = tableDefinitions(ctx.repo().resolve("pinot"), work.resolve("pinot-config"), hash);
        Map<String, String> values = new LinkedHashMap<>(Map.of(
                PinotClusterConfig.CONFIG_DIR.name(), config.toString(),
                PinotClusterConfig.HEAP.name(), heap,
                PinotClusterConfig.PURGE_INTERVAL.name(), purgeEvery.toString(),
                // what is measured is the rewrite of segments holding deletions: due at once, not hours later
                PinotClusterConfig.PURGE_MAX_DELAY.name(), Duration.ZERO.toString()));
        int flushRows = ctx.intOption("flush-rows", 0); // 0: the table file's 500,000 rows per segment
        if (flushRows > 0) values.put(PinotClusterConfig.UPSERT_FLUSH_ROWS.name(), Integer.toString(flushRows));
        recorder.parameter("flush-rows", flushRows > 0 ? flushRows : "as pinot/person_records.table.json");
        Settings settings = Settings.of(values);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"))) {
            kafka.createTopics(settings, PARTITIONS);
            try (PinotCluster pinot = PinotCluster.start(work.resolve("pinot"), kafka.bootstrapServers(), settings);
                 KafkaProducer<byte[], byte[]> producer = producer(kafka.bootstrapServers())) {
                String topic = Topics.PERSON_RECORDS.name(settings);
                long base = JvmHeap.liveBytes(pinot.pid());
                List<Map<String, Object>> growth = new ArrayList<>();
                growth.add(Map.of("keys", 0, "liveHeapMb", mb(base)));
                System.out.printf("[bench pinot-heap] live heap with no keys: %d MB%n", mb(base));
                long live = base;
                for (int step = 1; step <= steps; step++) {
                    int from = (int) ((long) keys * (step - 1) / steps);
                    int to = (int) ((long) keys * step / steps);
                    for (int i = from; i < to; i++) send(producer, topic, record(i, false));
                    producer.flush();
                    awaitCount(pinot, "SELECT COUNT(*) FROM " + PinotTables.PERSON_RECORDS.name(), to);
                    live = JvmHeap.liveBytes(pinot.pid());
                    growth.add(Map.of("keys", to, "liveHeapMb", mb(live)));
                    System.out.printf("[bench pinot-heap] %,d keys: live heap %d MB (%d bytes per key)%n", to, mb(live),
                            (live - base) / to);
                }
                JvmHeap.LiveSamples purgeHeap = new JvmHeap.LiveSamples(pinot.pid(), Duration.ofSeconds(3));
                int every = (int) Math.round(1 / deletedShare);
                int deleted = 0;
                for (int i = 0; i < keys; i += every, deleted++) send(producer, topic, record(i, true));
                producer.flush();
                awaitCount(pinot, "SELECT COUNT(*) FROM " + PinotTables.PERSON_RECORDS.name() + " WHERE deleted = true", deleted);
                long logFrom = Files.size(pinot.logFile());
                Matcher purge = awaitPurge(pinot.logFile(), logFrom, Duration.ofMinutes(20), pinot);
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("growth", growth);
                details.put("deletedKeys", deleted);
                Map<String, Double> figures = new LinkedHashMap<>();
                figures.put("pinot.heap_bytes_per_key", (double) ((live - base) / keys));
                purgeHeap.close();
                if (pinot.isAlive()) figures.put("pinot.purge_peak_heap_mb", (double) mb(purgeHeap.maxBytes()));
                else recorder.note("Pinot's JVM died during the purge (OutOfMemoryError, see its log): no peak figure");
                details.put("purgeLivePeakMb", mb(purgeHeap.maxBytes()));
                if (purge != null) {
                    details.put("purgeSegmentsRewritten", Integer.parseInt(purge.group(1)));
                    details.put("purgeRowsSentAgain", Long.parseLong(purge.group(2)));
                    details.put("purgeSegmentsLeftAlone", Integer.parseInt(purge.group(3)));
                    figures.put("pinot.purge_seconds", Double.parseDouble(purge.group(4)));
                } else {
                    recorder.note("no purge run rewrote a segment within 20 minutes, or Pinot's JVM ended (see pinot-runner.log)");
                }
                details.put("pinotAlive", pinot.isAlive());
                System.out.println("[bench pinot-heap] " + figures + " " + details);
                recorder.run(figures, details);
            }
        }
        recorder.note("One run per invocation whatever --runs says: each loads its own Pinot from empty.");
        recorder.note("One Kafka broker and one Pinot child (controller, broker, server and the purge in one JVM, as in the"
                + " local mode), 2 partitions, 30 records per pseudonym. Live heap: after the full collection of a class"
                + " histogram; bytes per key: (live heap at all keys − live heap with none) / keys. The purge's peak is the"
                + " largest live heap sampled every 3 s (class histogram) from the deletions until a purge run has"
                + " rewritten segments; the keys' heap is part of it. A figure is missing where Pinot's JVM died.");
    }

    /** A purchase record of the {@code i}-th key: person i / 30, a receipt of its own. */
    static PersonRecord record(int i, boolean deleted) {
        String participant = "p-laden-" + (i % 97);
        String receipt = "R-" + (1_000_000_000L + i);
        return PersonRecord.newBuilder()
                .setPseudonym(pseudonym(i / RECORDS_PER_PERSON))
                .setCity(CITY)
                .setRecordId("purchase:" + participant + ":" + receipt)
                .setKind("purchase")
                .setParticipant(participant)
                .setEventTime(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli() + i * 1_000L)
                .setReceipt(receipt)
                .setAmountCents(100 + i % 9_000)
                .setQuantity(1 + i % 4)
                .setCategories(List.of("lebensmittel", "backwaren"))
                .setDetails("{\"lines\":[{\"productGroup\":\"brot\",\"quantity\":1,\"amountCents\":349,\"category\":"
                        + "\"backwaren\"},{\"productGroup\":\"kaese\",\"quantity\":2,\"amountCents\":598,\"category\":"
                        + "\"lebensmittel\"}],\"payments\":[{\"kind\":\"CARD\",\"amountCents\":947}]}")
                .setDeleted(deleted)
                .setVersion(deleted ? 1L : 0L)
                .build();
    }

    /** 43 characters of URL-safe Base64, the shape of the pipeline's HMAC pseudonyms. */
    static String pseudonym(int person) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("person-" + person).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, PersonRecord r) {
        int partition = PersonRecordKeys.partitionOf(PersonRecordKeys.partitionKey(r), PARTITIONS);
        producer.send(new ProducerRecord<>(topic, partition, PersonRecordKeys.key(r).getBytes(StandardCharsets.UTF_8),
                Topics.PERSON_RECORDS.codec().encode(r)));
    }

    /** The repository's table definitions, copied; with {@code hash} set as every upsert table's hash function. */
    static Path tableDefinitions(Path from, Path to, String hash) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                ObjectNode json = (ObjectNode) JSON.readTree(f.toFile());
                if (!hash.isEmpty() && json.get("upsertConfig") instanceof ObjectNode upsert) upsert.put("hashFunction", hash);
                JSON.writerWithDefaultPrettyPrinter().writeValue(to.resolve(f.getFileName()).toFile(), json);
            }
        }
        return to;
    }

    private static void awaitCount(PinotCluster pinot, String sql, long expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(20));
        long seen = -1;
        while (Instant.now().isBefore(deadline)) {
            if (!pinot.isAlive()) throw new IllegalStateException("Pinot's JVM ended at " + seen + " of " + expected + ": " + sql);
            try {
                seen = pinot.queryCount(sql);
                if (seen == expected) return;
            } catch (RuntimeException e) {
                // a query can fail while a segment commits; the next poll asks again
            }
            Thread.sleep(2_000);
        }
        throw new IllegalStateException(sql + ": " + seen + " instead of " + expected + " after 20 minutes");
    }

    /** The first purge line of person_records after {@code from} that rewrote a segment, or null. */
    private static Matcher awaitPurge(Path log, long from, Duration within, PinotCluster pinot)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline) && pinot.isAlive()) {
            byte[] all = Files.readAllBytes(log);
            String tail = new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                    StandardCharsets.UTF_8);
            Matcher m = PURGED.matcher(tail);
            while (m.find()) {
                if (Integer.parseInt(m.group(1)) > 0) return m;
            }
            Thread.sleep(2_000);
        }
        return null;
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static long mb(long bytes) {
        return bytes / (1024 * 1024);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
