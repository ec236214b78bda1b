package de.prokommun.insights.bench;

import de.prokommun.insights.bench.harness.BenchContext;
import de.prokommun.insights.bench.harness.Recorder;

/** One benchmark of {@code bench/run}: sets its system up once, then records {@code ctx.runs()} measured runs. */
public interface Benchmark {
    String name();

    /** One line for {@code bench/run --help}. */
    String description();

    void run(BenchContext ctx, Recorder recorder) throws Exception;
}
