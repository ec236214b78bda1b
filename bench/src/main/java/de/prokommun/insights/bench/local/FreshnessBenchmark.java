package de.prokommun.insights.bench.local;

import de.prokommun.insights.bench.Benchmark;
import de.prokommun.insights.bench.harness.BenchContext;
import de.prokommun.insights.bench.harness.Recorder;
import de.prokommun.insights.bench.harness.Stats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Freshness under background load: the local mode runs while the simulator's live feed posts events; a probe
 * resident registers with an interest nobody else has, and the time from the ingestion's 202 until the
 * audience count for that interest (the query service's SQL at the Pinot broker) shows the resident is taken.
 * One probe at a time, {@code probes} per run.
 */
public final class FreshnessBenchmark implements Benchmark {

    @Override public String name() { return "freshness"; }

    @Override public String description() {
        return "event accepted → visible in an audience count, p50/p95/p99, under background load (--probes=30 --rate=200)";
    }

    @Override
    public void run(BenchContext ctx, Recorder recorder) throws Exception {
        int probes = ctx.intOption("probes", 30);
        int rate = ctx.intOption("rate", 200);
        int residents = ctx.intOption("residents", 20_000);
        Duration timeout = ctx.durationOption("probe-timeout", Duration.ofSeconds(60));
        recorder.parameter("probes", probes);
        recorder.parameter("backgroundRate", rate);
        try (LocalCity local = LocalCity.start(ctx, ctx.workDir().resolve("local"), ctx.intOption("partitions", 2))) {
            Duration loadFor = Duration.ofMinutes(60);
            BackgroundLoad load = new BackgroundLoad(local, residents, rate, loadFor);
            load.start();
            Thread.sleep(ctx.durationOption("warmup", Duration.ofSeconds(20)).toMillis());
            probe(local, "w", 3, timeout); // warm-up probes: first profile rows, Pinot segment
            for (int run = 0; run < ctx.runs(); run++) {
                double[] seconds = probe(local, "r" + run, probes, timeout);
                Map<String, Double> figures = new LinkedHashMap<>();
                figures.put("freshness.p50_s", Stats.percentile(seconds, 0.50));
                figures.put("freshness.p95_s", Stats.percentile(seconds, 0.95));
                figures.put("freshness.p99_s", Stats.percentile(seconds, 0.99));
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("probes", seconds.length);
                details.put("maxSeconds", Stats.percentile(seconds, 1.0));
                details.put("timedOut", java.util.Arrays.stream(seconds).filter(x -> x >= timeout.toSeconds()).count());
                recorder.run(figures, details);
            }
            recorder.note("Background load: the simulator's live feed of " + rate + " events/s (configured; batches of 100 over 2 connections, Musterstadt residents acting, restamped to now) for the whole benchmark.");
        }
        recorder.note("Visible = the true count behind an audience answer (the query service's own SQL for the probe's"
                + " interest, at the Pinot broker) includes the probe. Through the API the released figure also carries"
                + " noise and stays the same within one data version (query.data-version.period, 1 min), by design of"
                + " the privacy layer; that delay is a privacy setting, not pipeline latency, and is not included.");
    }

    /** Seconds from each probe's 202 until its count became 1. */
    static double[] probe(LocalCity local, String tag, int probes, Duration timeout) throws Exception {
        double[] seconds = new double[probes];
        for (int i = 0; i < probes; i++) {
            String id = tag + i + "n" + System.nanoTime() % 1_000_000;
            String interest = "probe" + id;
            local.post(local.portal(), local.registration("probe-" + id, "R-PROBE-" + id, interest));
            long accepted = System.nanoTime();
            seconds[i] = awaitCount(local, interest, 1, accepted, timeout);
        }
        return seconds;
    }

    static double awaitCount(LocalCity local, String interest, long expected, long since, Duration timeout) throws InterruptedException {
        double seconds = awaitValue(() -> local.countWithInterest(interest), expected, since, timeout);
        if (seconds >= timeout.toSeconds()) {
            System.out.println("[bench] count for " + interest + " did not reach " + expected + " within " + timeout
                    + "; recorded as " + timeout.toSeconds() + " s (censored)");
        }
        return seconds;
    }

    /** Seconds from {@code since} until the value is {@code expected}, or the timeout in seconds (censored). */
    static double awaitValue(java.util.function.LongSupplier value, long expected, long since, Duration timeout)
            throws InterruptedException {
        long deadline = since + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (value.getAsLong() == expected) return (System.nanoTime() - since) / 1e9;
            } catch (RuntimeException transientFailure) {
                // Pinot may briefly fail a query while it commits a segment; keep polling
            }
            Thread.sleep(20);
        }
        return timeout.toNanos() / 1e9;
    }
}
