package de.prokommun.insights.bench.local;

import de.prokommun.insights.bench.Benchmark;
import de.prokommun.insights.bench.harness.BenchContext;
import de.prokommun.insights.bench.harness.Recorder;
import de.prokommun.insights.bench.harness.Stats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Erasure under background load, once the system keeps up with it ({@link SteadyState}; a fresh start first works
 * off its own backlog): per run, {@code probes} residents register with their own interest and a
 * shared one and become visible; then each in turn requests erasure, and the time from the 202 until the
 * resident is gone from the audience counts is measured. Exactness: after each erasure the shared interest's
 * count must be exactly one lower — neither the erased person nor anyone else may be left or lost. Before its
 * erasure, each probe also buys once and has the purchase retracted by the shop ({@link PurchaseProbe}): the
 * single-purchase deletion, measured the same way on the purchase figures.
 */
public final class ErasureBenchmark implements Benchmark {

    @Override public String name() { return "erasure"; }

    @Override public String description() {
        return "erasure request → gone from every answer, p50/p99 and exactness, under background load once the system"
                + " keeps up with it (--probes=20 --rate=200 --steady-within=5s)";
    }

    /** Probes before {@code i} that were still counted at their timeout: the shared count may still hold them. */
    private static int late(double[] seconds, int i, Duration timeout) {
        int late = 0;
        for (int j = 0; j < i; j++) if (seconds[j] >= timeout.toSeconds()) late++;
        return late;
    }

    @Override
    public void run(BenchContext ctx, Recorder recorder) throws Exception {
        int probes = ctx.intOption("probes", 20);
        int rate = ctx.intOption("rate", 200);
        Duration timeout = ctx.durationOption("probe-timeout", Duration.ofSeconds(60));
        // under a load the pipeline cannot sustain, the probes' registrations arrive only with the backlog
        Duration visibleTimeout = ctx.durationOption("visible-timeout", Duration.ofMinutes(5));
        recorder.parameter("probes", probes);
        recorder.parameter("backgroundRate", rate);
        try (LocalCity local = LocalCity.start(ctx, ctx.workDir().resolve("local"), ctx.intOption("partitions", 2))) {
            BackgroundLoad load = new BackgroundLoad(local, ctx.intOption("residents", 20_000), rate, Duration.ofMinutes(60));
            load.start();
            Thread.sleep(ctx.durationOption("warmup", Duration.ofSeconds(20)).toMillis());
            SteadyState steady = new SteadyState(ctx.durationOption("steady-within", Duration.ofSeconds(5)),
                    ctx.intOption("steady-probes", 3), ctx.durationOption("steady-at-most", Duration.ofMinutes(15)));
            Duration settled = steady.await(local);
            PurchaseProbe purchaseProbe = new PurchaseProbe(local);
            recorder.note(settled == null
                    ? "The system did not keep up with the background load within " + steady.atMost() + " ("
                            + steady.describe() + "); the probes ran behind its backlog."
                    : "Probes started once the system kept up with the background load (" + steady.describe()
                            + "), " + settled.toSeconds() + " s after the warm-up; before that it works off its own"
                            + " start's backlog.");
            for (int run = 0; run < ctx.runs(); run++) {
                String shared = "erasurerun" + run + "n" + System.nanoTime() % 1_000_000;
                String[] residents = new String[probes];
                String[] own = new String[probes];
                for (int i = 0; i < probes; i++) {
                    String id = run + "x" + i + "n" + System.nanoTime() % 1_000_000;
                    residents[i] = "R-ERASE-" + id;
                    own[i] = "erase" + id;
                    local.post(local.portal(), local.registration("reg-" + id, residents[i], own[i], shared));
                }
                FreshnessBenchmark.awaitCount(local, shared, probes, System.nanoTime(), visibleTimeout);
                double[] seconds = new double[probes];
                int inexact = 0;
                long visible = local.countWithInterest(shared);
                if (visible < probes) {
                    // An erasure of a person the figures do not count yet "disappears" at once: measuring it would
                    // report the backlog as speed. The run is recorded as not observed (censored at the timeout).
                    java.util.Arrays.fill(seconds, timeout.toSeconds());
                    recorder.run(Map.of("erasure.p50_s", (double) timeout.toSeconds(),
                                    "erasure.p99_s", (double) timeout.toSeconds(), "erasure.inexact", 0.0,
                                    "erasure.timed_out", (double) probes),
                            Map.of("probes", probes, "probesVisible", visible, "observed", false,
                                    "reason", "the probes' registrations were not all counted within " + visibleTimeout
                                            + " of being sent: the pipeline is behind the background load"));
                    continue;
                }
                double[] deletion = new double[probes];
                int deletionInexact = 0;
                for (int i = 0; i < probes; i++) {
                    PurchaseProbe.Result purchase = purchaseProbe.run(residents[i], timeout, visibleTimeout);
                    deletion[i] = purchase.seconds();
                    if (!purchase.exact()) deletionInexact++;
                    local.post(local.portal(), local.erasure("erase-" + residents[i], residents[i]));
                    long accepted = System.nanoTime();
                    seconds[i] = FreshnessBenchmark.awaitCount(local, own[i], 0, accepted, timeout);
                    // a probe still counted at the timeout is a late one (timedOut), not an inexact one
                    if (seconds[i] >= timeout.toSeconds()) continue;
                    long sharedNow = local.countWithInterest(shared);
                    // the probes not erased yet, and the late ones that may still be counted
                    long standing = probes - i - 1;
                    if (sharedNow < standing || sharedNow > standing + late(seconds, i, timeout)) inexact++;
                }
                Map<String, Double> figures = new LinkedHashMap<>();
                figures.put("erasure.p50_s", Stats.percentile(seconds, 0.50));
                figures.put("erasure.p99_s", Stats.percentile(seconds, 0.99));
                figures.put("erasure.inexact", (double) inexact);
                figures.put("erasure.timed_out", (double) late(seconds, probes, timeout));
                figures.put("deletion.p50_s", Stats.percentile(deletion, 0.50));
                figures.put("deletion.p99_s", Stats.percentile(deletion, 0.99));
                figures.put("deletion.inexact", (double) deletionInexact);
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("probes", probes);
                details.put("maxSeconds", Stats.percentile(seconds, 1.0));
                details.put("deletionMaxSeconds", Stats.percentile(deletion, 1.0));
                details.put("steadyAfterSeconds", settled == null ? -1 : settled.toSeconds());
                recorder.run(figures, details);
            }
            recorder.note("Background load: the simulator's live feed of " + rate + " events/s (configured; batches of 100 over 2 connections, Musterstadt residents acting, restamped to now) for the whole benchmark.");
        }
        recorder.note("Gone = the true count behind every audience answer that could include the person (the query"
                + " service's SQL, at the Pinot broker, which excludes rows flagged deleted) no longer counts them."
                + " Exactness is checked on a second interest all probes of a run share: after each erasure it must"
                + " be exactly one lower. The raw topic's short retention and Pinot's old row versions on disk are"
                + " outside this figure (docs/PRIVACY.md).");
    }
}
