package de.prokommun.insights.bench.local;

import de.prokommun.insights.simulator.Musterstadt;
import de.prokommun.insights.simulator.emit.LiveLoad;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;

/** The simulator's live feed (Musterstadt residents acting, restamped to now) at a constant rate, in the background. */
final class BackgroundLoad {

    private final Thread thread;
    private final AtomicReference<LiveLoad.Report> report = new AtomicReference<>();

    BackgroundLoad(LocalCity local, int residents, double eventsPerSecond, Duration duration) {
        Instant to = Instant.now().truncatedTo(ChronoUnit.DAYS);
        var events = local.city.generate(77L, residents, to.minus(365, ChronoUnit.DAYS), to, "bg");
        LiveLoad.Options options = LiveLoad.Options.of(URI.create(local.system.ingestion().baseUrl()), eventsPerSecond, duration)
                .withBatchSize(100).withConnections(2);
        thread = new Thread(() -> report.set(LiveLoad.run(events, local.keys, options)), "background-load");
        thread.setDaemon(true);
    }

    void start() { thread.start(); }

    /** What the load achieved (after it ended), or empty while it runs. */
    String describe() {
        LiveLoad.Report r = report.get();
        return r == null ? "still running" : r.describe();
    }

    void awaitEnd(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
    }
}
