package de.prokommun.insights.bench.local;

import de.prokommun.insights.simulator.SimEvent;
import de.prokommun.insights.simulator.emit.LiveLoad;
import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;

/**
 * A historical import through the ingestion endpoint: the simulator's events with their original (past)
 * event times, in batches of 1000 per participant, as fast as the endpoint accepts them. Counts purchases.
 */
final class HistoryImport {
    private HistoryImport() {}

    record Result(LiveLoad.Report report, long events, long purchases) {}

    static Result run(LocalCity local, Iterator<SimEvent> events, long maxEvents) {
        long[] purchases = {0};
        long[] seen = {0};
        Iterator<SimEvent> counting = new Iterator<>() {
            @Override public boolean hasNext() { return seen[0] < maxEvents && events.hasNext(); }
            @Override public SimEvent next() {
                SimEvent e = events.next();
                seen[0]++;
                if (e.type().equals("purchase")) purchases[0]++;
                return e;
            }
        };
        LiveLoad.Options options = new LiveLoad.Options(URI.create(local.system.ingestion().baseUrl()), 1_000_000, 1000, 4,
                null, maxEvents, Duration.ofMillis(500), false, Duration.ofSeconds(60));
        LiveLoad.Report report = LiveLoad.run(counting, local.keys, options);
        if (report.acceptedEvents() != report.sentEvents()) {
            throw new IllegalStateException("history import: not every event was accepted: " + report.describe());
        }
        return new Result(report, seen[0], purchases[0]);
    }

    static Map<String, Object> describe(Result r) {
        return Map.of("events", r.events(), "purchases", r.purchases(),
                "importSeconds", Math.round(r.report().seconds() * 10) / 10.0,
                "importEventsPerSecond", Math.round(r.report().achievedEventsPerSecond()));
    }
}
