package de.prokommun.insights.bench.local;

import de.prokommun.insights.bench.Benchmark;
import de.prokommun.insights.bench.harness.BenchContext;
import de.prokommun.insights.bench.harness.Recorder;
import de.prokommun.insights.bench.pipeline.PipelineProgress;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.flink.anonymize.AnonymiseJob;
import de.prokommun.insights.flink.profile.ProfileJob;
import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.simulator.SimEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Memory of the local mode with a city of 200k residents: the simulator's 200k-resident Musterstadt is
 * imported from its launch (the registration wave of the first {@code days} days) through HTTP and the
 * whole pipeline; once the pipeline has processed it, the RSS of the process tree (this JVM with Kafka,
 * Flink, ingestion and query service, plus the Pinot child JVM) is sampled {@code runs} times.
 */
public final class MemoryBenchmark implements Benchmark {
    @Override public String name() { return "memory"; }

    @Override public String description() {
        return "RSS of the local mode's process tree incl. Pinot at 200k residents (--residents=200000 --days=21)";
    }

    @Override
    public void run(BenchContext ctx, Recorder recorder) throws Exception {
        int residents = ctx.intOption("residents", 200_000);
        int days = ctx.intOption("days", 21);
        recorder.parameter("residents", residents);
        recorder.parameter("days", days);
        recorder.parameter("jvm", String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-Xm")).toList()));
        try (LocalCity local = LocalCity.start(ctx, ctx.workDir().resolve("local"), ctx.intOption("partitions", 2))) {
            Instant to = Instant.now().minus(1, ChronoUnit.HOURS);
            Iterator<SimEvent> events = local.city.generate(20261129L, residents, to.minus(days, ChronoUnit.DAYS), to, "mem");
            HistoryImport.Result imported = HistoryImport.run(local, events, Long.MAX_VALUE);
            System.out.println("[bench memory] imported " + HistoryImport.describe(imported));
            var settings = local.system.settings();
            try (PipelineProgress progress = new PipelineProgress(local.system.kafka().bootstrapServers(),
                    Topics.RAW_EVENTS.name(settings), Topics.ANONYMOUS_EVENTS.name(settings),
                    settings.get(FlinkJobsConfig.CONSUMER_GROUP_PREFIX) + AnonymiseJob.NAME,
                    settings.get(FlinkJobsConfig.CONSUMER_GROUP_PREFIX) + ProfileJob.NAME)) {
                if (progress.awaitProcessed(Duration.ofMinutes(30), Duration.ofSeconds(3), 16) < 0) {
                    recorder.note("the pipeline had not processed the import after 30 min; memory sampled anyway");
                }
            }
            long profiles = local.system.pinot().queryCount("SELECT COUNT(*) FROM " + PinotTables.PROFILES.name());
            for (int run = 0; run < ctx.runs(); run++) {
                Thread.sleep(run == 0 ? 5_000 : 20_000);
                ProcessTreeMemory.Sample s = ProcessTreeMemory.sample();
                Map<String, Object> details = new LinkedHashMap<>(HistoryImport.describe(imported));
                details.put("profilesInPinot", profiles);
                details.put("rssMainJvmGb", gb(s.ownKb()));
                details.put("rssChildrenGb", gb(s.childrenKb()));
                details.put("processes", s.processes());
                recorder.run(Map.of("memory.rss_gb", gb(s.totalKb())), details);
            }
        }
        recorder.note("Runs are RSS samples 20 s apart of one local mode after the import was processed (one import,"
                + " not several). The main JVM also holds the benchmark's event generator and HTTP client. The JVM"
                + " runs with the heap options of ./run-local (-Xms512m -Xmx2g); Pinot with its default heap (pinot.heap).");
    }

    private static double gb(long kb) {
        return Math.round(kb / 1024.0 / 1024.0 * 100) / 100.0;
    }
}
