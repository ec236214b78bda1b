package de.prokommun.insights.bench;

import de.prokommun.insights.bench.harness.BenchContext;
import de.prokommun.insights.bench.harness.BenchmarksDoc;
import de.prokommun.insights.bench.harness.Machine;
import de.prokommun.insights.bench.harness.Recorder;
import de.prokommun.insights.bench.harness.ResultFile;
import de.prokommun.insights.bench.audience.AudienceBenchmark;
import de.prokommun.insights.bench.ingestion.IngestionBenchmark;
import de.prokommun.insights.bench.local.BackfillBenchmark;
import de.prokommun.insights.bench.local.ErasureBenchmark;
import de.prokommun.insights.bench.local.MemoryBenchmark;
import de.prokommun.insights.bench.local.FreshnessBenchmark;
import de.prokommun.insights.bench.pipeline.PipelineBenchmark;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code bench/run NAME [--runs=N] [--key=value ...]}: runs one benchmark, writes
 * {@code bench/results/NAME.json} and regenerates the table in {@code docs/BENCHMARKS.md}.
 * {@code bench/run doc} only regenerates the table from the result files.
 */
public final class BenchMain {

    private static final Map<String, Supplier<Benchmark>> BENCHMARKS = new LinkedHashMap<>();
    static {
        BENCHMARKS.put("ingestion", IngestionBenchmark::new);
        BENCHMARKS.put("audience", AudienceBenchmark::new);
        BENCHMARKS.put("chaos", de.prokommun.insights.bench.chaos.ChaosBenchmark::new);
        BENCHMARKS.put("publication", de.prokommun.insights.bench.audience.PublicationAnswersBenchmark::new);
        BENCHMARKS.put("pipeline", PipelineBenchmark::new);
        BENCHMARKS.put("history", de.prokommun.insights.bench.pipeline.HistoryBenchmark::new);
        BENCHMARKS.put("soak", de.prokommun.insights.bench.soak.SoakBenchmark::new);
        BENCHMARKS.put("freshness", FreshnessBenchmark::new);
        BENCHMARKS.put("erasure", ErasureBenchmark::new);
        BENCHMARKS.put("memory", MemoryBenchmark::new);
        BENCHMARKS.put("pinot-heap", de.prokommun.insights.bench.local.PinotHeapBenchmark::new);
        BENCHMARKS.put("backfill", BackfillBenchmark::new);
        BENCHMARKS.put("accuracy", de.prokommun.insights.bench.accuracy.AccuracyBenchmark::new);
    }

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help")) {
            usage();
            return;
        }
        Path repo = Path.of(System.getProperty("bench.repo", ".")).toAbsolutePath().normalize();
        Path results = repo.resolve("bench/results");
        Path doc = repo.resolve("docs/BENCHMARKS.md");
        String name = args[0];
        if (name.equals("doc")) {
            BenchmarksDoc.regenerate(doc, results);
            System.out.println("regenerated " + doc);
            return;
        }
        Supplier<Benchmark> factory = BENCHMARKS.get(name);
        if (factory == null) {
            System.err.println("unknown benchmark '" + name + "'");
            usage();
            System.exit(2);
        }
        Map<String, String> options = options(List.of(args).subList(1, args.length));
        int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
        if (runs < 1) throw new IllegalArgumentException("--runs: must be at least 1");
        Path work = repo.resolve("bench/target/work/" + name);
        deleteRecursively(work);
        Files.createDirectories(work);
        ObjectNode machine = Machine.describe();
        System.out.println("[bench " + name + "] " + Machine.summary(machine) + ", load average " + machine.path("loadAverage1mAtStart"));
        Recorder recorder = new Recorder(name);
        options.forEach(recorder::parameter);
        recorder.parameter("runs", runs);
        Benchmark benchmark = factory.get();
        benchmark.run(new BenchContext(name, options, runs, repo, work), recorder);
        if (recorder.runs().isEmpty()) throw new IllegalStateException(name + " recorded no run");
        StringBuilder command = new StringBuilder("bench/run " + name);
        for (String a : List.of(args).subList(1, args.length)) command.append(' ').append(a);
        Path file = ResultFile.write(results, recorder, machine, command.toString(), runs);
        BenchmarksDoc.regenerate(doc, results);
        System.out.println("[bench " + name + "] medians " + recorder.medians());
        System.out.println("[bench " + name + "] wrote " + file + " and " + doc);
        if (!Boolean.getBoolean("bench.keep-work")) deleteRecursively(work);
        System.exit(0); // engines (Kafka, Flink) may leave non-daemon threads behind
    }

    static Map<String, String> options(List<String> args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String a : args) {
            if (!a.startsWith("--") || !a.contains("=")) {
                throw new IllegalArgumentException("options are --key=value, got '" + a + "'");
            }
            options.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        return options;
    }

    private static void usage() {
        System.out.println("usage: bench/run [--no-build] NAME [--runs=N] [--key=value ...]   (bench/run doc: table only)");
        BENCHMARKS.forEach((n, f) -> System.out.printf("  %-10s %s%n", n, f.get().description()));
    }

    static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
