package de.prokommun.insights.bench.pipeline;

import de.prokommun.insights.bench.Benchmark;
import de.prokommun.insights.bench.harness.BenchContext;
import de.prokommun.insights.bench.harness.Recorder;
import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.flink.anonymize.AnonymiseJob;
import de.prokommun.insights.flink.profile.ProfileJob;
import de.prokommun.insights.flink.runtime.LocalFlink;
import de.prokommun.insights.simulator.Musterstadt;
import de.prokommun.insights.testkit.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flink throughput through both jobs (anonymise → profile), exactly-once with RocksDB state as the local
 * mode runs them ({@link LocalFlink}): per run a fresh broker is pre-loaded with the same raw events, the
 * jobs start, and the run ends when both jobs' committed offsets reached the end of their input (every
 * event processed and its output committed with a checkpoint).
 */
public final class PipelineBenchmark implements Benchmark {

    private static final long MARKER_SLACK = 16;
    private static final Duration QUIET = Duration.ofSeconds(3);

    @Override public String name() { return "pipeline"; }

    @Override public String description() {
        return "Flink events/s through anonymise + profile job, exactly-once, RocksDB (--events=200000 --residents=20000)";
    }

    @Override
    public void run(BenchContext ctx, Recorder recorder) throws Exception {
        int events = ctx.intOption("events", 200_000);
        int residents = ctx.intOption("residents", 20_000);
        int days = ctx.intOption("days", 365);
        int partitions = ctx.intOption("partitions", 2);
        Duration timeout = ctx.durationOption("timeout", Duration.ofMinutes(20));
        // the first run in a JVM compiles the jobs' code while it runs (on 2 cores about half of it); a running
        // pipeline has long done that, so warm-up runs go first and are reported apart from the figure. One was not
        // enough: in the run after it the JIT compilers still took about half a core (0.13 after three; thread CPU
        // from /proc, 2026-12-06), which a pipeline running for hours does not pay
        int warmups = ctx.intOption("warmup-runs", 3);
        recorder.parameter("warmupRuns", warmups);
        recorder.parameter("events", events);
        recorder.parameter("residents", residents);
        recorder.parameter("partitions", partitions);

        Musterstadt city = Musterstadt.load(ctx.citiesDir().resolve(Musterstadt.CITY));
        long g0 = System.nanoTime();
        RawEvents raw = RawEvents.generate(city, residents, days, events, 20261129L);
        System.out.printf("[bench pipeline] %,d raw events generated in %.0f s: %s%n", raw.size(), (System.nanoTime() - g0) / 1e9, raw.types());
        recorder.parameter("eventTypes", raw.types());
        recorder.parameter("productGroupMappings", raw.mappings());

        for (int run = -warmups; run < ctx.runs(); run++) {
            boolean warmup = run < 0;
            Path dir = ctx.workDir().resolve(warmup ? "warmup" + (-run) : "run" + run);
            Map<String, String> values = new java.util.HashMap<>(Map.of(
                    FlinkJobsConfig.CITY_SECRETS.name(), Musterstadt.CITY + ":bench-secret-" + System.nanoTime(),
                    FlinkJobsConfig.CITIES_DIR.name(), ctx.citiesDir().toString()));
            // the profile pipeline (issue 12) is the anonymise and the profile job; --flink.campaign-job=true adds the third
            values.put(FlinkJobsConfig.CAMPAIGN_JOB.name(), "false");
            // job settings can be varied from the command line, e.g. --flink.checkpoint.interval=5s
            ctx.options().forEach((k, v) -> { if (k.startsWith("flink.") || k.startsWith("profile.") || k.startsWith("anonymise.")) values.put(k, v); });
            Settings base = Settings.of(values);
            try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
                Settings settings = base.with(CommonConfig.KAFKA_BOOTSTRAP, kafka.bootstrapServers());
                kafka.createTopics(settings, partitions);
                long l0 = System.nanoTime();
                raw.loadMappings(kafka.bootstrapServers(), Topics.PRODUCT_GROUP_MAPPINGS.name(settings));
                raw.load(kafka.bootstrapServers(), Topics.RAW_EVENTS.name(settings));
                double loadSeconds = (System.nanoTime() - l0) / 1e9;
                String prefix = settings.get(FlinkJobsConfig.CONSUMER_GROUP_PREFIX);
                try (PipelineProgress progress = new PipelineProgress(kafka.bootstrapServers(),
                        Topics.RAW_EVENTS.name(settings), Topics.ANONYMOUS_EVENTS.name(settings),
                        prefix + AnonymiseJob.NAME, prefix + ProfileJob.NAME)) {
                    long submitted = System.nanoTime();
                    ProcessCpu cpuAtSubmission = ProcessCpu.now();
                    try (LocalFlink flink = LocalFlink.start(settings, dir.resolve("flink"))) {
                        long firstProgressAt = -1;
                        double firstProgressShare = 0; // of the profile job's input already committed then
                        long lastProfileCommitted = -1;
                        long lastChangeAt = submitted;
                        boolean done = false;
                        PipelineProgress.Snapshot s = progress.snapshot();
                        long deadline = submitted + timeout.toNanos();
                        long nextPrint = System.nanoTime();
                        while (!done && System.nanoTime() < deadline) {
                            Thread.sleep(200);
                            s = progress.snapshot();
                            long now = System.nanoTime();
                            if (firstProgressAt < 0 && s.anonymiseCommitted() > 0) {
                                firstProgressAt = now;
                                firstProgressShare = s.anonymousEnd() == 0 ? 0 : s.profileCommitted() / (double) s.anonymousEnd();
                            }
                            if (s.profileCommitted() != lastProfileCommitted) {
                                lastProfileCommitted = s.profileCommitted();
                                lastChangeAt = now;
                            }
                            // finished: raw topic committed, only transaction markers left, and no progress for 3 checkpoints
                            done = s.anonymised() && s.profileLag() <= MARKER_SLACK && now - lastChangeAt >= QUIET.toNanos();
                            if (now >= nextPrint) {
                                System.out.printf("[bench pipeline] anonymised %,d of %,d, profiled %,d of %,d%n",
                                        s.anonymiseCommitted(), s.rawEnd(), s.profileCommitted(), s.anonymousEnd());
                                nextPrint = now + 10_000_000_000L;
                            }
                        }
                        long end = done ? lastChangeAt : System.nanoTime();
                        double sinceSubmit = (end - submitted) / 1e9;
                        double steady = firstProgressAt < 0 ? Double.NaN : (end - firstProgressAt) / 1e9;
                        double rate = done && steady > 0 ? s.rawEnd() * (1 - firstProgressShare) / steady
                                : s.anonymiseCommitted() / sinceSubmit;
                        Map<String, Object> details = new LinkedHashMap<>();
                        details.put("rawEvents", s.rawEnd());
                        details.put("anonymousEvents", s.anonymousEnd());
                        details.put("completed", done);
                        details.put("secondsFromSubmission", round(sinceSubmit));
                        details.put("secondsFromFirstCommit", round(steady));
                        details.put("eventsPerSecondIncludingStartup", round(s.anonymiseCommitted() / sinceSubmit));
                        details.put("preloadSeconds", round(loadSeconds));
                        // what an event costs the whole JVM in CPU, and how long the JIT compiled meanwhile (the
                        // JVM's count: the wall time of its compilations, which on 2 busy cores is more than their CPU,
                        // so it shows the trend of the warm-up and is not subtracted)
                        ProcessCpu cpu = ProcessCpu.now().minus(cpuAtSubmission);
                        details.put("cpuSeconds", round(cpu.cpuSeconds()));
                        details.put("jitCompilationSeconds", round(cpu.compilationSeconds()));
                        details.put("cpuMsPer1000Events", round(cpu.cpuSeconds() * 1e6 / s.rawEnd()));
                        details.put("jobs", flink.jobStates());
                        if (done) {
                            details.put("output", OutputCensus.of(kafka.bootstrapServers(), OutputCensus.topics(settings),
                                    s.anonymousEnd(), steady, partitions));
                        } else {
                            details.put("anonymisedWhenStopped", s.anonymiseCommitted());
                            recorder.note("run " + (run + 1) + " did not finish within " + timeout + "; its figure is the rate"
                                    + " of the anonymise job's committed progress since submission");
                        }
                        if (warmup) {
                            recorder.note(String.format(java.util.Locale.ROOT, "warm-up run %d of %d (not in the figure):"
                                    + " %.0f events/s, %s s from submission, %s s of JIT compilation, %s ms CPU per 1,000"
                                    + " events", warmups + run + 1, warmups, rate, details.get("secondsFromSubmission"),
                                    details.get("jitCompilationSeconds"), details.get("cpuMsPer1000Events")));
                        } else {
                            recorder.run(Map.of("pipeline.events_per_s", rate), details);
                        }
                    }
                }
            }
        }
        recorder.note("Throughput = raw events (less the share the profile job, the slower one, had committed by then) / time"
                + " from the first checkpoint that committed progress until both jobs' committed offsets reached the end of"
                + " their input (MiniCluster start and job submission excluded; the"
                + " figure including them is in each run's details). Kafka, both jobs (parallelism "
                + jobSettings(ctx).get(FlinkJobsConfig.PARALLELISM) + ", checkpoint interval "
                + jobSettings(ctx).get(FlinkJobsConfig.CHECKPOINT_INTERVAL) + ") share the JVM and the machine's cores.");
    }

    private static Settings jobSettings(BenchContext ctx) {
        Map<String, String> values = new java.util.HashMap<>();
        ctx.options().forEach((k, v) -> { if (k.startsWith("flink.")) values.put(k, v); });
        return Settings.of(values);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
