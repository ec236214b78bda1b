package de.prokommun.insights.bench.ingestion;

import de.prokommun.insights.bench.Benchmark;
import de.prokommun.insights.bench.harness.BenchContext;
import de.prokommun.insights.bench.harness.Recorder;
import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.ingestion.IngestionConfig;
import de.prokommun.insights.ingestion.IngestionServer;
import de.prokommun.insights.simulator.Musterstadt;
import de.prokommun.insights.simulator.emit.ParticipantsFile;
import de.prokommun.insights.testkit.EmbeddedKafka;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * HTTP → Kafka: embedded Kafka and the ingestion endpoint as deployed (acks=all, idempotent producer) in
 * this JVM, a closed-loop load of Musterstadt purchases at batch sizes 1, 100 and 1000. Per batch size a
 * warm-up, then {@code runs} windows of {@code duration}: accepted events/s and request latency p50/p99.
 * At the end the raw topic must hold at least every accepted event (no accepted event lost).
 */
public final class IngestionBenchmark implements Benchmark {

    private static final int[] BATCH_SIZES = {1, 100, 1000};
    private static final Map<Integer, Integer> DEFAULT_CONNECTIONS = Map.of(1, 64, 100, 8, 1000, 2);

    @Override public String name() { return "ingestion"; }

    @Override public String description() {
        return "HTTP → Kafka throughput and request latency at batch sizes 1, 100, 1000 (--duration=30s --warmup=10s --connections.N=...)";
    }

    @Override
    public void run(BenchContext ctx, Recorder recorder) throws Exception {
        Duration duration = ctx.durationOption("duration", Duration.ofSeconds(30));
        Duration warmup = ctx.durationOption("warmup", Duration.ofSeconds(10));
        int partitions = ctx.intOption("partitions", 2);
        recorder.parameter("duration", duration.toString());
        recorder.parameter("warmup", warmup.toString());
        recorder.parameter("partitions", partitions);

        Musterstadt city = Musterstadt.load(ctx.citiesDir().resolve(Musterstadt.CITY));
        Path participants = ctx.workDir().resolve("participants.json");
        Map<String, String> keys = ParticipantsFile.write(city.participants().all(), Musterstadt.CITY, participants,
                ctx.workDir().resolve("keys.json"), new SecureRandom());

        Settings base = Settings.of(Map.of());
        long acceptedTotal = 0;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(ctx.workDir().resolve("kafka"))) {
            kafka.createTopics(base, partitions);
            Map<String, String> values = new HashMap<>(Map.of(
                    CommonConfig.KAFKA_BOOTSTRAP.name(), kafka.bootstrapServers(),
                    IngestionConfig.PARTICIPANTS_FILE.name(), participants.toString()));
            ctx.options().forEach((k, v) -> { if (k.startsWith("ingestion.")) values.put(k, v); });
            Settings settings = base.with(values);
            recorder.parameter("ingestionSettings", settings.describe(IngestionConfig.OWN).trim().replaceAll("\\s+", " "));

            Vertx serverVertx = Vertx.vertx();
            Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(ctx.intOption("client.event-loops", 1)));
            try {
                IngestionServer server = IngestionServer.deploy(serverVertx, settings).await(60, TimeUnit.SECONDS);
                for (int batch : BATCH_SIZES) {
                    if (ctx.options().containsKey("only") && !ctx.option("only", "").equals(String.valueOf(batch))) continue;
                    int connections = ctx.intOption("connections." + batch, DEFAULT_CONNECTIONS.get(batch));
                    recorder.parameter("connections.batch" + batch, connections);
                    PurchaseBatches bodies = PurchaseBatches.generate(city, batch, Math.max(20_000, batch * 60), 4711L + batch);
                    recorder.parameter("bodies.batch" + batch, bodies.bodies().size() + " distinct bodies, "
                            + bodies.totalEvents() + " purchases, " + bodies.totalBytes() / Math.max(1, bodies.totalEvents()) + " bytes/event");
                    ClosedLoopLoad load = new ClosedLoopLoad(clientVertx, server.host(), server.port(), bodies.bodies(), keys, connections);
                    try {
                        ClosedLoopLoad.Result w = load.run(warmup);
                        acceptedTotal += w.acceptedEvents();
                        System.out.printf("[bench ingestion] batch %d warm-up: %.0f events/s%n", batch, w.eventsPerSecond());
                        for (int run = 0; run < ctx.runs(); run++) {
                            ClosedLoopLoad.Result r = load.run(duration);
                            acceptedTotal += r.acceptedEvents();
                            Map<String, Double> figures = new LinkedHashMap<>();
                            figures.put("ingestion.batch" + batch + ".events_per_s", r.eventsPerSecond());
                            figures.put("ingestion.batch" + batch + ".p50_ms", r.p50Millis());
                            figures.put("ingestion.batch" + batch + ".p99_ms", r.p99Millis());
                            Map<String, Object> details = new LinkedHashMap<>();
                            details.put("batch", batch);
                            details.put("requests", r.requests());
                            details.put("failedRequests", r.failedRequests());
                            if (r.firstError() != null) details.put("firstError", r.firstError());
                            recorder.run(figures, details);
                        }
                    } finally {
                        load.close();
                    }
                }
                server.undeploy().await(60, TimeUnit.SECONDS);
            } finally {
                clientVertx.close().await();
                serverVertx.close().await();
            }
            long inTopic = recordsIn(kafka.bootstrapServers(), Topics.RAW_EVENTS.name(base));
            recorder.note(String.format("Raw topic holds %,d records after the benchmark; the load counted %,d accepted events"
                    + " (every 202 answered after acks=all)%s.", inTopic, acceptedTotal,
                    inTopic >= acceptedTotal ? "" : " — FEWER RECORDS THAN ACCEPTED EVENTS"));
        }
        recorder.note("Kafka broker, ingestion endpoint and load generator share this JVM and the machine's cores;"
                + " each request body is a batch of one participant's simulated Musterstadt purchases, pre-rendered and"
                + " re-sent in rotation (ingestion does not deduplicate, so a re-sent body costs the same as a new one).");
    }

    private static long recordsIn(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
