package de.prokommun.insights.bench.local;

import de.prokommun.insights.bench.Benchmark;
import de.prokommun.insights.bench.harness.BenchContext;
import de.prokommun.insights.bench.harness.Recorder;
import de.prokommun.insights.bench.pipeline.PipelineProgress;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.flink.anonymize.AnonymiseJob;
import de.prokommun.insights.flink.profile.ProfileJob;
import de.prokommun.insights.simulator.SimEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Backfill of history through the local mode: the simulator's 3-year history of a ~170k-resident city is
 * imported over HTTP (past event times, batches of 1000) and processed by both Flink jobs into Pinot.
 * Importing all ≈15M purchases does not fit a benchmark run on this machine, so the first {@code events}
 * events are imported and timed (HTTP start → both jobs committed them), and the time for 15M purchases is
 * extrapolated at the measured purchases per second (with the other events that come with them).
 */
public final class BackfillBenchmark implements Benchmark {

    private static final long PURCHASES_IN_3_YEARS = 15_000_000L;

    @Override public String name() { return "backfill"; }

    @Override public String description() {
        return "3 years of history at ~170k residents, measured on a prefix and extrapolated to 15M purchases (--events=500000)";
    }

    @Override
    public void run(BenchContext ctx, Recorder recorder) throws Exception {
        int residents = ctx.intOption("residents", 170_000);
        int events = ctx.intOption("events", 500_000);
        recorder.parameter("residents", residents);
        recorder.parameter("events", events);
        for (int run = 0; run < ctx.runs(); run++) {
            try (LocalCity local = LocalCity.start(ctx, ctx.workDir().resolve("local" + run), ctx.intOption("partitions", 2))) {
                Instant to = Instant.now().minus(1, ChronoUnit.HOURS);
                Iterator<SimEvent> history = local.city.generate(20261129L, residents, to.minus(3 * 365, ChronoUnit.DAYS), to, "hist");
                var settings = local.system.settings();
                String prefix = settings.get(FlinkJobsConfig.CONSUMER_GROUP_PREFIX);
                try (PipelineProgress progress = new PipelineProgress(local.system.kafka().bootstrapServers(),
                        Topics.RAW_EVENTS.name(settings), Topics.ANONYMOUS_EVENTS.name(settings),
                        prefix + AnonymiseJob.NAME, prefix + ProfileJob.NAME)) {
                    long start = System.nanoTime();
                    HistoryImport.Result imported = HistoryImport.run(local, history, events);
                    long done = progress.awaitProcessed(Duration.ofMinutes(40), Duration.ofSeconds(3), 16);
                    if (done < 0) throw new IllegalStateException("the pipeline did not process the import within 40 min");
                    double seconds = (done - start) / 1e9;
                    double purchasesPerSecond = imported.purchases() / seconds;
                    double minutesFor15M = PURCHASES_IN_3_YEARS / purchasesPerSecond / 60;
                    Map<String, Object> details = new LinkedHashMap<>(HistoryImport.describe(imported));
                    details.put("secondsUntilProcessed", Math.round(seconds * 10) / 10.0);
                    details.put("eventsPerSecond", Math.round(imported.events() / seconds));
                    details.put("purchasesPerSecond", Math.round(purchasesPerSecond));
                    details.put("lastEventTime", "prefix of the 3-year stream");
                    recorder.run(Map.of("backfill.minutes", minutesFor15M), details);
                }
            }
        }
        recorder.note("EXTRAPOLATED, not measured end to end: each run imports the first " + events + " events of the"
                + " 3-year stream (HTTP batches of 1000 → Kafka → both Flink jobs, exactly-once, RocksDB → profiles"
                + " topic) and times them until both jobs committed everything; the figure is 15,000,000 purchases"
                + " divided by the measured purchases per second (the other event types in the prefix are processed"
                + " in the same time). The prefix is the portal's launch period, richer in registrations than later years.");
    }
}
