package de.prokommun.insights.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.bench.Benchmark;
import de.prokommun.insights.bench.harness.BenchContext;
import de.prokommun.insights.bench.harness.Recorder;
import de.prokommun.insights.bench.harness.Stats;
import de.prokommun.insights.bench.harness.SvgPlot;
import de.prokommun.insights.bench.local.LocalCity;
import de.prokommun.insights.local.CityFeed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The local mode as a user runs it, for hours: Musterstadt's history through the HTTP ingestion, then the live feed
 * at the default rate ({@code --live}, default 2 h at 200 events/s), then a burst ({@code --burst}, default 30 min at
 * 2,000 events/s). Every {@code --sample} period the operator's streaming-health report is read; the time series
 * goes to bench/results/soak-series.csv and a plot to docs/soak.svg; the figures are per phase: largest lag,
 * freshness p99, checkpoint duration p99 and the growth trend of lag and checkpoint duration.
 */
public final class SoakBenchmark implements Benchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override public String name() { return "soak"; }

    @Override public String description() {
        return "local mode for hours: lag, freshness, checkpoint duration over time (--live=120m --rate=200 --burst=30m"
                + " --burst-rate=2000; --checkpoint-anatomy=true: every checkpoint's parts to bench/results/soak-checkpoints.csv)";
    }

    @Override
    public void run(BenchContext ctx, Recorder recorder) throws Exception {
        Duration live = ctx.durationOption("live", Duration.ofMinutes(120));
        int rate = ctx.intOption("rate", 200);
        Duration burst = ctx.durationOption("burst", Duration.ofMinutes(30));
        int burstRate = ctx.intOption("burst-rate", 2000);
        Duration every = ctx.durationOption("sample", Duration.ofSeconds(10));
        int residents = ctx.intOption("residents", 5000);
        boolean anatomy = Boolean.parseBoolean(ctx.option("checkpoint-anatomy", "false"));
        try (LocalCity local = LocalCity.start(ctx, ctx.workDir().resolve("local"), ctx.intOption("partitions", 2))) {
            CityFeed feed = new CityFeed(local.city(), local.keys(), URI.create(local.system().ingestion().baseUrl()),
                    20261129L, residents, ctx.workDir().resolve("local"));
            recorder.note("Product-group mappings: " + feed.uploadProductGroupMappings());
            recorder.note("History (" + CityFeed.HISTORY.toDays() + " days of " + residents + " residents): "
                    + feed.feedHistory(Instant.now()).describe());
            HealthReader health = new HealthReader(local);
            List<HealthSample> series = new ArrayList<>();
            long start = System.nanoTime();
            CheckpointAnatomy checkpoints = anatomy ? new CheckpointAnatomy(local.system().flink().restUrl(), start) : null;
            series.addAll(phase("live", feed, rate, live, every, health, start, checkpoints));
            series.addAll(phase("burst", feed, burstRate, burst, every, health, start, checkpoints));
            writeSeries(ctx.repo().resolve("bench/results/soak-series.csv"), series);
            plot(ctx.repo().resolve("docs/soak.svg"), series, rate, burstRate);
            Map<String, Double> figures = new LinkedHashMap<>();
            Map<String, Object> details = new LinkedHashMap<>();
            summarise("live", rate, series, figures, details);
            summarise("burst", burstRate, series, figures, details);
            if (checkpoints != null) {
                checkpoints.close();
                List<CheckpointAnatomy.Checkpoint> all = checkpoints.checkpoints();
                CheckpointAnatomy.writeCsv(ctx.repo().resolve("bench/results/soak-checkpoints.csv"), all);
                details.putAll(CheckpointAnatomy.summarise("live", all));
                details.putAll(CheckpointAnatomy.summarise("burst", all));
            }
            recorder.run(figures, details);
        }
        recorder.note("Figures from the operator's streaming-health report, sampled every " + every.toSeconds()
                + " s: lag = the largest consumer-group lag (records); pipeline lag = the larger of the anonymise and"
                + " profile jobs' groups (end offsets read_committed since 2026-12-06 evening; a group's offsets move only when"
                + " its job's checkpoint completes); pipeline unread = the larger of the two jobs' records their Kafka sources"
                + " have not read yet (Flink's pendingRecords, since 2026-12-06 night); freshness = how long the oldest accepted event not"
                + " yet visible in Pinot has been on its way (an upper bound per sample); checkpoint = the longest"
                + " latest-completed checkpoint of the jobs. Percentiles over the samples of a phase (its first minute"
                + " excluded: the rate changes there); trend = least-squares slope per hour. Series: bench/results/soak-series.csv,"
                + " plot: docs/soak.svg.");
    }

    private static List<HealthSample> phase(String name, CityFeed feed, int rate, Duration length, Duration every,
                                            HealthReader health, long start, CheckpointAnatomy checkpoints)
            throws InterruptedException {
        if (checkpoints != null) checkpoints.phase(name);
        Thread load = new Thread(() -> System.out.println("[soak] " + name + " feed: "
                + feed.feedLive(Instant.now(), rate, length).describe()), "soak-" + name);
        load.setDaemon(true);
        load.start();
        List<HealthSample> out = new ArrayList<>();
        long end = System.nanoTime() + length.toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(every.toMillis());
            double at = (System.nanoTime() - start) / 1e9;
            HealthSample s = health.sample(at, name);
            out.add(s);
            System.out.printf("[soak] %6.0f s %s lag %.0f (profile pipeline %.0f, unread %.0f) freshness %.1f s checkpoint %.2f s%n",
                    at, name, s.lagRecords(), s.pipelineLagRecords(), s.pipelineUnreadRecords(), s.freshnessSeconds(), s.checkpointSeconds());
        }
        load.join(Duration.ofMinutes(2).toMillis());
        return out;
    }

    static void summarise(String phase, int rate, List<HealthSample> series, Map<String, Double> figures,
                          Map<String, Object> details) {
        List<HealthSample> mine = series.stream().filter(s -> s.phase().equals(phase)).toList();
        if (mine.isEmpty()) return;
        double first = mine.get(0).atSeconds();
        List<HealthSample> settled = mine.stream().filter(s -> s.atSeconds() >= first + 60).toList();
        if (settled.size() < 3) settled = mine;
        figures.put("soak." + phase + ".lag_max_records", max(settled, HealthSample::lagRecords));
        figures.put("soak." + phase + ".pipeline_lag_max_records", max(settled, HealthSample::pipelineLagRecords));
        figures.put("soak." + phase + ".pipeline_lag_p99_records", p99(settled, HealthSample::pipelineLagRecords));
        figures.put("soak." + phase + ".pipeline_unread_max_records", max(settled, HealthSample::pipelineUnreadRecords));
        figures.put("soak." + phase + ".pipeline_unread_p99_records", p99(settled, HealthSample::pipelineUnreadRecords));
        figures.put("soak." + phase + ".freshness_p99_s", p99(settled, HealthSample::freshnessSeconds));
        figures.put("soak." + phase + ".checkpoint_p99_s", p99(settled, HealthSample::checkpointSeconds));
        figures.put("soak." + phase + ".lag_trend_records_per_h", Trend.perHour(bySecond(settled, HealthSample::lagRecords)));
        figures.put("soak." + phase + ".checkpoint_trend_s_per_h", Trend.perHour(bySecond(settled, HealthSample::checkpointSeconds)));
        details.put(phase + ".rate", rate);
        details.put(phase + ".samples", settled.size());
        details.put(phase + ".deadLettersAtEnd", mine.get(mine.size() - 1).deadLetters());
        details.put(phase + ".cardEventsWaitingAtEnd", mine.get(mine.size() - 1).cardsWaiting());
        details.put(phase + ".maxBackpressure", max(settled, HealthSample::backpressure));
        details.put(phase + ".acceptedPerSecond", acceptedPerSecond(settled));
    }

    /** Events the ingestion accepted per second over the samples: the rate the feed achieved, not the one it aimed at. */
    static double acceptedPerSecond(List<HealthSample> samples) {
        List<HealthSample> counted = samples.stream().filter(s -> !Double.isNaN(s.acceptedTotal())).toList();
        if (counted.size() < 2) return Double.NaN;
        HealthSample first = counted.get(0), last = counted.get(counted.size() - 1);
        return (last.acceptedTotal() - first.acceptedTotal()) / (last.atSeconds() - first.atSeconds());
    }

    private static double[] known(List<HealthSample> samples, ToDoubleFunction<HealthSample> f) {
        return samples.stream().mapToDouble(f).filter(v -> !Double.isNaN(v)).toArray();
    }

    private static double max(List<HealthSample> samples, ToDoubleFunction<HealthSample> f) {
        return java.util.Arrays.stream(known(samples, f)).max().orElse(Double.NaN);
    }

    private static double p99(List<HealthSample> samples, ToDoubleFunction<HealthSample> f) {
        double[] v = known(samples, f);
        return v.length == 0 ? Double.NaN : Stats.percentile(v, 0.99);
    }

    /** Points over minutes, for the plot. */
    private static List<double[]> points(List<HealthSample> samples, ToDoubleFunction<HealthSample> f) {
        return over(samples, f, 60);
    }

    /** Points over seconds, as {@link Trend#perHour} expects (over minutes, the trends of 2026-12-06 were 60× too steep). */
    private static List<double[]> bySecond(List<HealthSample> samples, ToDoubleFunction<HealthSample> f) {
        return over(samples, f, 1);
    }

    private static List<double[]> over(List<HealthSample> samples, ToDoubleFunction<HealthSample> f, double secondsPerUnit) {
        return samples.stream().map(s -> new double[] {s.atSeconds() / secondsPerUnit, f.applyAsDouble(s)}).toList();
    }

    private static void writeSeries(Path file, List<HealthSample> series) throws java.io.IOException {
        StringBuilder csv = new StringBuilder(HealthSample.csvHeader()).append('\n');
        series.forEach(s -> csv.append(s.csv()).append('\n'));
        Files.createDirectories(file.getParent());
        Files.writeString(file, csv, StandardCharsets.UTF_8);
    }

    private static void plot(Path file, List<HealthSample> series, int rate, int burstRate) throws java.io.IOException {
        SvgPlot.write(file, "Soak: live feed " + rate + " events/s, then " + burstRate + " events/s", "minutes",
                List.of(new SvgPlot.Panel("Kafka lag: largest consumer group, profile pipeline (committed, unread)", "records",
                                List.of(new SvgPlot.Series("largest group", points(series, HealthSample::lagRecords)),
                                        new SvgPlot.Series("profile pipeline", points(series, HealthSample::pipelineLagRecords)),
                                        new SvgPlot.Series("profile pipeline, unread", points(series, HealthSample::pipelineUnreadRecords))),
                                Double.NaN),
                        new SvgPlot.Panel("Freshness: accepted → visible in Pinot", "s",
                                List.of(new SvgPlot.Series("freshness", points(series, HealthSample::freshnessSeconds))), 3.0),
                        new SvgPlot.Panel("Checkpoint duration, longest job", "s",
                                List.of(new SvgPlot.Series("checkpoint", points(series, HealthSample::checkpointSeconds))), 2.0)));
    }

    /** Reads the operator's streaming-health report over HTTP, as the dashboard does. */
    private static final class HealthReader {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final URI uri;
        private final String operatorKey;

        HealthReader(LocalCity local) {
            this.uri = URI.create(local.system().queryUrl() + "/api/v1/health/streaming");
            this.operatorKey = local.keys().get(local.city().participants().operator().id());
        }

        HealthSample sample(double at, String phase) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + operatorKey).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) return HealthSample.of(at, phase, JSON.createObjectNode());
                JsonNode report = JSON.readTree(r.body());
                return HealthSample.of(at, phase, report);
            } catch (Exception e) {
                System.out.println("[soak] health report unavailable: " + e);
                return HealthSample.of(at, phase, JSON.createObjectNode());
            }
        }
    }
}
