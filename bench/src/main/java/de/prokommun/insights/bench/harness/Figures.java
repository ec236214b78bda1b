package de.prokommun.insights.bench.harness;

import de.prokommun.insights.bench.harness.Figure.Better;
import de.prokommun.insights.flink.FlinkJobsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every figure of the brief's "Targets" table as the benchmarks measure it, with targets and references. */
public final class Figures {
    private Figures() {}

    private static final String INGESTION_REF = "RudderStack ≈ 1,700 events/s on 2 cores; Segment default limit 1,000/s";
    private static final String PIPELINE_REF = "Nexmark keyed-state queries 22k–117k events/s per core";
    private static final String FRESHNESS_REF = "Stripe on Pinot: p99 ingestion lag 30 s";
    private static final String AUDIENCE_REF = "Stripe on Pinot: p99 70 ms at 10k QPS (cluster)";
    private static final String ERASURE_REF = "Segment/PostHog: asynchronous, no guarantee";
    private static final String ACCURACY_REF = "US Census 2020 TopDown; LinkedIn ε 0.15/query";

    public static final List<Figure> ALL = catalogue();

    private static List<Figure> catalogue() {
        List<Figure> f = new ArrayList<>();
        for (int batch : new int[] {1, 100, 1000}) {
            f.add(new Figure("ingestion.batch" + batch + ".events_per_s", "ingestion",
                    "ingestion HTTP → Kafka (acks=all), batch " + batch + ": throughput", "events/s", Better.HIGHER,
                    50_000.0, "≥ 50,000 events/s", INGESTION_REF));
            f.add(new Figure("ingestion.batch" + batch + ".p50_ms", "ingestion",
                    "ingestion, batch " + batch + ": request latency p50", "ms", Better.LOWER, null, "–", ""));
            f.add(new Figure("ingestion.batch" + batch + ".p99_ms", "ingestion",
                    "ingestion, batch " + batch + ": request latency p99", "ms", Better.LOWER, 100.0, "≤ 100 ms", ""));
        }
        f.add(new Figure("pipeline.events_per_s", "pipeline",
                "Flink pipeline, all jobs, exactly-once, RocksDB: throughput", "events/s", Better.HIGHER, 20_000.0,
                "≥ 20,000 events/s", PIPELINE_REF));
        for (int days : new int[] {1, 30, 365, 1095}) {
            String history = days == 1 ? "1 day" : days == 1095 ? "3 years" : days + " days";
            f.add(new Figure("history." + days + "d.events_per_core_s", "history",
                    "profile operator alone, RocksDB, history of " + history + ": events/s per core", "events/s",
                    Better.HIGHER, null, "flat in history length", PIPELINE_REF));
            f.add(new Figure("history." + days + "d.state_entries_per_event", "history",
                    "profile operator, history of " + history + ": keyed state entries read+written per event", "entries",
                    Better.LOWER, null, "flat in history length", ""));
            f.add(new Figure("history." + days + "d.state_bytes_per_event", "history",
                    "profile operator, history of " + history + ": serialized state bytes read+written per event", "bytes",
                    Better.LOWER, null, "flat in history length", ""));
        }
        for (String phase : new String[] {"live", "burst"}) {
            String what = phase.equals("live") ? "soak, live feed at the default rate" : "soak, burst at 10× the default rate";
            f.add(new Figure("soak." + phase + ".lag_max_records", "soak", what + ": largest consumer lag", "records",
                    Better.LOWER, null, "< one checkpoint interval of events", ""));
            // one checkpoint interval (the default) of events at the phase's rate
            double interval = (phase.equals("live") ? 200 : 2_000)
                    * FlinkJobsConfig.CHECKPOINT_INTERVAL.defaultValue().toMillis() / 1000.0;
            // A consumer group's committed offsets move only when its exactly-once job completes a checkpoint, so
            // that lag never falls below an interval's worth of events; whether the jobs keep up is what their
            // sources have not read yet.
            f.add(new Figure("soak." + phase + ".pipeline_unread_max_records", "soak",
                    what + ": profile pipeline's records not yet read by its jobs' sources, largest", "records",
                    Better.LOWER, interval, "< one checkpoint interval of events", ""));
            f.add(new Figure("soak." + phase + ".pipeline_unread_p99_records", "soak",
                    what + ": profile pipeline's records not yet read, p99", "records", Better.LOWER, null, "–", ""));
            f.add(new Figure("soak." + phase + ".pipeline_lag_max_records", "soak",
                    what + ": profile pipeline's committed-offset lag (anonymise and profile groups), largest", "records",
                    Better.LOWER, null, "– (≥ one interval plus a checkpoint by design)", ""));
            f.add(new Figure("soak." + phase + ".pipeline_lag_p99_records", "soak",
                    what + ": profile pipeline's committed-offset lag, p99", "records", Better.LOWER, null, "–", ""));
            f.add(new Figure("soak." + phase + ".freshness_p99_s", "soak", what + ": freshness p99 (health tile)", "s",
                    Better.LOWER, 3.0, "≤ 3 s", FRESHNESS_REF));
            f.add(new Figure("soak." + phase + ".checkpoint_p99_s", "soak", what + ": checkpoint duration p99", "s",
                    Better.LOWER, 2.0, "≤ 2 s", ""));
            f.add(new Figure("soak." + phase + ".lag_trend_records_per_h", "soak", what + ": lag trend", "records/h",
                    Better.LOWER, null, "no growth", ""));
            f.add(new Figure("soak." + phase + ".checkpoint_trend_s_per_h", "soak", what + ": checkpoint duration trend",
                    "s/h", Better.LOWER, null, "no growth", ""));
        }
        f.add(new Figure("freshness.p50_s", "freshness", "freshness, accepted → in an audience count: p50", "s",
                Better.LOWER, 1.5, "≤ 1.5 s", FRESHNESS_REF));
        f.add(new Figure("freshness.p95_s", "freshness", "freshness: p95", "s", Better.LOWER, null, "–", ""));
        f.add(new Figure("freshness.p99_s", "freshness", "freshness: p99", "s", Better.LOWER, 3.0, "≤ 3 s", ""));
        for (String size : new String[] {"100k", "1m"}) {
            for (String path : new String[] {"service", "pinot"}) {
                boolean target = size.equals("1m") && path.equals("service");
                String what = "audience size, " + (size.equals("1m") ? "1M" : "100k") + " profiles, "
                        + (path.equals("service") ? "query service incl. privacy layer" : "same SQL straight to the Pinot broker (no privacy layer)");
                String prefix = "audience." + size + "." + path;
                f.add(new Figure(prefix + ".p50_ms", "audience", what + ": p50", "ms", Better.LOWER,
                        target ? 20.0 : null, target ? "≤ 20 ms" : "–", target ? AUDIENCE_REF : ""));
                f.add(new Figure(prefix + ".p99_ms", "audience", what + ": p99", "ms", Better.LOWER,
                        target ? 60.0 : null, target ? "≤ 60 ms" : "–", ""));
                f.add(new Figure(prefix + ".queries_per_s", "audience", what + ": throughput", "queries/s", Better.HIGHER,
                        target ? 300.0 : null, target ? "≥ 300 queries/s" : "–", ""));
            }
        }
        for (int askers : new int[] {1, 8}) {
            String published = "audience size answered from the publication (free, from memory), 1M profiles, "
                    + (askers == 1 ? "one asker at a time" : "8 askers at a time");
            String prefix = "publication.1m.c" + askers;
            f.add(new Figure(prefix + ".p50_ms", "publication", published + ": p50", "ms", Better.LOWER, null, "–", ""));
            f.add(new Figure(prefix + ".p99_ms", "publication", published + ": p99", "ms", Better.LOWER,
                    askers == 1 ? 10.0 : null, askers == 1 ? "≤ 10 ms" : "–", ""));
            f.add(new Figure(prefix + ".queries_per_s", "publication", published + ": throughput", "queries/s",
                    Better.HIGHER, null, "–", ""));
        }
        for (String[] fault : new String[][] {{"kafka_broker", "a Kafka broker"}, {"taskmanager", "a TaskManager"},
                {"jobmanager", "the JobManager"}, {"pinot_server", "a Pinot server"},
                {"ingestion_mid_batch", "an ingestion instance mid-batch"}}) {
            f.add(new Figure("chaos." + fault[0] + ".recovery_s", "chaos", "chaos under load, SIGKILL of " + fault[1]
                    + ": kill → every accepted probe counted", "s", Better.LOWER, null, "recorded", ""));
        }
        f.add(new Figure("chaos.probes_not_counted_exactly_once", "chaos",
                "chaos: probes lost or counted twice after all five faults", "probes", Better.LOWER, 0.0, "exact (0)", ""));
        f.add(new Figure("chaos.load_accepted_events_per_s", "chaos", "chaos: the simulator's load accepted (202), all faults included",
                "events/s", Better.HIGHER, 1000.0, "≥ 1,000 events/s", ""));
        f.add(new Figure("chaos.query_availability_pct", "chaos", "chaos: audience questions answered during the faults",
                "%", Better.HIGHER, null, "–", ""));
        f.add(new Figure("erasure.p50_s", "erasure", "erasure, request → gone from every answer: p50", "s", Better.LOWER,
                null, "–", ERASURE_REF));
        f.add(new Figure("erasure.p99_s", "erasure", "erasure: p99", "s", Better.LOWER, 5.0, "≤ 5 s", ""));
        f.add(new Figure("erasure.inexact", "erasure", "erasure: probes gone whose shared count did not drop by exactly one", "probes",
                Better.LOWER, 0.0, "exact (0)", ""));
        f.add(new Figure("erasure.timed_out", "erasure", "erasure: probes still counted at the probe timeout (60 s)", "probes",
                Better.LOWER, 0.0, "none (0)", ""));
        f.add(new Figure("deletion.p50_s", "erasure", "single-purchase deletion, retraction → gone from the purchase figures: p50",
                "s", Better.LOWER, null, "–", ""));
        f.add(new Figure("deletion.p99_s", "erasure", "single-purchase deletion: p99", "s", Better.LOWER, 5.0, "≤ 5 s", ""));
        f.add(new Figure("deletion.inexact", "erasure", "single-purchase deletion: sums that did not return exactly to before",
                "probes", Better.LOWER, 0.0, "exact (0)", ""));
        f.add(new Figure("memory.rss_gb", "memory", "local mode memory, 200k residents: RSS of the whole process tree", "GB",
                Better.LOWER, 4.0, "≤ 4 GB", ""));
        f.add(new Figure("pinot.heap_bytes_per_key", "pinot-heap",
                "Pinot child, upsert table person_records: live heap per key (Pinot 0.11 keeps every key on the heap)",
                "bytes", Better.LOWER, null, "–", ""));
        f.add(new Figure("pinot.purge_peak_heap_mb", "pinot-heap",
                "Pinot child (-Xmx1g): peak heap while the purge rewrites completed 500,000-row segments", "MB",
                Better.LOWER, 1024.0, "< 1,024 MB (the local heap)", ""));
        f.add(new Figure("pinot.purge_seconds", "pinot-heap", "purge run that rewrote those segments: duration", "s",
                Better.LOWER, null, "–", ""));
        f.add(new Figure("backfill.minutes_per_10k_residents", "backfill",
                "backfill of 3 years end to end (bulk path → both jobs → Pinot), minutes per 10,000 residents", "min",
                Better.LOWER, 1.5, "≤ 1.5 min (30 min for 200,000)", ""));
        accuracy(f);
        return List.copyOf(f);
    }

    /** Relative error of published audience sizes at the city-wide cap (issue 13), and today's mechanism beside it. */
    private static void accuracy(List<Figure> f) {
        String where = "accuracy at the city cap, 200k residents, published audiences ";
        f.add(new Figure("accuracy.large.median_pct", "accuracy", where + "≥ 5,000: median relative error", "%",
                Better.LOWER, 1.0, "≤ 1 %", ACCURACY_REF));
        f.add(new Figure("accuracy.large.p95_pct", "accuracy", where + "≥ 5,000: p95", "%", Better.LOWER, 3.0, "≤ 3 %", ""));
        f.add(new Figure("accuracy.medium.median_pct", "accuracy", where + "500–4,999: median", "%", Better.LOWER, 5.0,
                "≤ 5 %", ""));
        f.add(new Figure("accuracy.medium.p95_pct", "accuracy", where + "500–4,999: p95", "%", Better.LOWER, 10.0, "≤ 10 %", ""));
        f.add(new Figure("accuracy.small.median_pct", "accuracy", where + "50–499: median", "%", Better.LOWER, null, "–", ""));
        f.add(new Figure("accuracy.small.p95_pct", "accuracy", where + "50–499: p95", "%", Better.LOWER, null, "–", ""));
        f.add(new Figure("accuracy.buyers.p95_pct", "accuracy",
                "accuracy: category buyers by age band per year (≥ 200 buyers): p95", "%", Better.LOWER, 10.0, "≤ 10 %", ""));
        f.add(new Figure("accuracy.adhoc.questions_per_month", "accuracy",
                "per-question mechanism held to the same cap: questions a month for the whole city", "questions",
                Better.HIGHER, null, "–", ""));
        f.add(new Figure("accuracy.adhoc_account.questions_per_month", "accuracy",
                "per-question mechanism as configured: questions a month per account (its ad-hoc part)", "questions",
                Better.HIGHER, null, "–", ""));
        f.add(new Figure("accuracy.adhoc_spread.large.p95_pct", "accuracy",
                "per-question mechanism, whole cap spread over the workload, audiences ≥ 5,000: p95", "%", Better.LOWER,
                null, "–", ""));
        f.add(new Figure("accuracy.adhoc_spread.medium.p95_pct", "accuracy",
                "per-question mechanism, whole cap spread over the workload, audiences 500–4,999: p95", "%", Better.LOWER,
                null, "–", ""));
    }

    public static List<Figure> of(String benchmark) {
        return ALL.stream().filter(x -> x.benchmark().equals(benchmark)).toList();
    }

    public static Optional<Figure> byId(String id) {
        return ALL.stream().filter(x -> x.id().equals(id)).findFirst();
    }

    /** Benchmark names in the order of the brief's table. */
    public static List<String> benchmarks() {
        return ALL.stream().map(Figure::benchmark).distinct().toList();
    }
}
