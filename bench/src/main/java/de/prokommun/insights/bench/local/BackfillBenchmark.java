package de.prokommun.insights.bench.local;

import de.prokommun.insights.bench.Benchmark;
import de.prokommun.insights.bench.harness.BenchContext;
import de.prokommun.insights.bench.harness.Recorder;
import de.prokommun.insights.bench.pipeline.PipelineProgress;
import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.flink.anonymize.AnonymiseJob;
import de.prokommun.insights.flink.profile.ProfileJob;
import de.prokommun.insights.ingestion.bulk.BulkEventWriter;
import de.prokommun.insights.simulator.SimEvent;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Backfill of a city's whole history, end to end: the simulator's 3 years of {@code residents} residents are
 * streamed (never held in memory) through the ingestion's bulk path ({@link BulkEventWriter}: the endpoint's checks,
 * no HTTP) into Kafka, processed by both Flink jobs (exactly-once, RocksDB) and consumed by Pinot; the clock runs from
 * the first event written until both jobs committed everything and Pinot consumed every contribution and profile
 * record they wrote. Nothing is extrapolated: a bigger city is a bigger {@code --residents}.
 */
public final class BackfillBenchmark implements Benchmark {

    @Override public String name() { return "backfill"; }

    @Override public String description() {
        return "3 years of a city's history end to end through the bulk path, both jobs and Pinot (--residents=5000)";
    }

    @Override
    public void run(BenchContext ctx, Recorder recorder) throws Exception {
        int residents = ctx.intOption("residents", 5_000);
        recorder.parameter("residents", residents);
        for (int run = 0; run < ctx.runs(); run++) {
            try (LocalCity local = LocalCity.start(ctx, ctx.workDir().resolve("local" + run), ctx.intOption("partitions", 2))) {
                Instant to = Instant.now().minus(1, ChronoUnit.HOURS);
                Iterator<SimEvent> history = local.city.generate(20261129L, residents, to.minus(3 * 365, ChronoUnit.DAYS), to, "hist");
                var settings = local.system.settings();
                String prefix = settings.get(FlinkJobsConfig.CONSUMER_GROUP_PREFIX);
                try (PipelineProgress progress = new PipelineProgress(local.system.kafka().bootstrapServers(),
                        Topics.RAW_EVENTS.name(settings), Topics.ANONYMOUS_EVENTS.name(settings),
                        prefix + AnonymiseJob.NAME, prefix + ProfileJob.NAME);
                     BulkEventWriter writer = BulkEventWriter.open(settings)) {
                    long start = System.nanoTime();
                    Written written = write(history, writer, local.keys);
                    long writtenAt = System.nanoTime();
                    long processed = progress.awaitProcessed(Duration.ofHours(3), Duration.ofSeconds(3), 16);
                    if (processed < 0) throw new IllegalStateException("the pipeline did not process the backfill within 3 h");
                    PinotCatchUp pinot = new PinotCatchUp(local.system.pinot(), local.system.kafka().bootstrapServers());
                    long visible = pinot.await(Map.of(PinotTables.CONTRIBUTIONS.name(), Topics.CONTRIBUTIONS.name(settings),
                            PinotTables.PROFILES.name(), Topics.PROFILES.name(settings)), Duration.ofHours(1), Duration.ofSeconds(5));
                    double minutes = (visible - start) / 60e9;
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("events", written.events);
                    details.put("purchases", written.purchases);
                    details.put("refused", written.refused);
                    details.put("writeSeconds", Math.round((writtenAt - start) / 1e8) / 10.0);
                    details.put("processedSeconds", Math.round((processed - start) / 1e8) / 10.0);
                    details.put("visibleInPinotSeconds", Math.round((visible - start) / 1e8) / 10.0);
                    details.put("eventsPerSecondEndToEnd", Math.round(written.events / ((visible - start) / 1e9)));
                    details.put("profilesInPinot", local.system.pinot().queryCount("SELECT COUNT(*) FROM "
                            + PinotTables.PROFILES.name()));
                    details.put("minutes", Math.round(minutes * 10) / 10.0);
                    recorder.run(Map.of("backfill.minutes_per_10k_residents", minutes * 10_000 / residents), details);
                }
            }
        }
        recorder.note("Measured end to end, nothing extrapolated: each run streams the simulator's whole 3-year history of"
                + " the given number of residents through the ingestion's bulk path (the endpoint's checks, no HTTP) into"
                + " Kafka, and the clock stops when both jobs committed everything and Pinot consumed every contribution"
                + " and profile record (its consumed offsets reached the topics' ends). Refused events (e.g. older than the"
                + " city's retention at the window's edge) are counted, never silently dropped. The figure is the measured"
                + " time divided by the residents in tens of thousands (the target, 30 min for 200,000, scaled alike).");
    }

    private record Written(long events, long purchases, Map<String, Long> refused) {}

    private static Written write(Iterator<SimEvent> history, BulkEventWriter writer, Map<String, String> keys) throws Exception {
        long events = 0;
        long purchases = 0;
        Map<String, Long> refused = new TreeMap<>();
        while (history.hasNext()) {
            SimEvent e = history.next();
            BulkEventWriter.Refusal refusal = writer.write(keys.get(e.sender()), new JsonObject(e.json()));
            if (refusal != null) {
                refused.merge(refusal.status() + " " + refusal.field(), 1L, Long::sum);
                continue;
            }
            events++;
            if (e.type().equals("purchase")) purchases++;
            if ((events % 100_000) == 0) System.out.printf("[bench] backfill: %,d events written%n", events);
        }
        writer.flush();
        return new Written(events, purchases, refused);
    }
}
