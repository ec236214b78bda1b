package de.prokommun.insights.bench.ingestion;

import de.prokommun.insights.simulator.Musterstadt;
import de.prokommun.insights.simulator.SimEvent;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request bodies of real Musterstadt purchase events (simulator output, the JSON of docs/EVENTS.md),
 * grouped by the participant that sends them: a batch carries only its sender's purchases, as the API
 * requires. Bodies are rendered once and reused, so the load generator spends its CPU on HTTP only.
 */
final class PurchaseBatches {

    record Body(String sender, int events, Buffer json) {}

    private final List<Body> bodies;

    private PurchaseBatches(List<Body> bodies) {
        this.bodies = bodies;
    }

    /** At least {@code minEvents} purchases cut into bodies of exactly {@code batchSize} events. */
    static PurchaseBatches generate(Musterstadt city, int batchSize, int minEvents, long seed) {
        Instant to = Instant.now().truncatedTo(ChronoUnit.DAYS);
        Instant from = to.minus(90, ChronoUnit.DAYS);
        Iterator<SimEvent> events = city.generate(seed, 20_000, from, to, "bench-" + batchSize);
        Map<String, List<SimEvent>> open = new LinkedHashMap<>();
        List<Body> bodies = new ArrayList<>();
        long total = 0;
        while (total < minEvents && events.hasNext()) {
            SimEvent e = events.next();
            if (!e.type().equals("purchase")) continue;
            List<SimEvent> batch = open.computeIfAbsent(e.sender(), s -> new ArrayList<>(batchSize));
            batch.add(e);
            if (batch.size() == batchSize) {
                bodies.add(render(e.sender(), batch));
                total += batchSize;
                open.remove(e.sender());
            }
        }
        if (bodies.isEmpty()) throw new IllegalStateException("the simulator produced no full batch of " + batchSize + " purchases");
        return new PurchaseBatches(bodies);
    }

    private static Body render(String sender, List<SimEvent> batch) {
        StringBuilder sb = new StringBuilder(batch.size() * 420);
        if (batch.size() == 1) {
            sb.append(batch.get(0).json());
        } else {
            sb.append('[');
            for (int i = 0; i < batch.size(); i++) {
                if (i > 0) sb.append(',');
                sb.append(batch.get(i).json());
            }
            sb.append(']');
        }
        return new Body(sender, batch.size(), Buffer.buffer(sb.toString()));
    }

    List<Body> bodies() { return bodies; }

    long totalBytes() { return bodies.stream().mapToLong(b -> b.json().length()).sum(); }

    long totalEvents() { return bodies.stream().mapToLong(Body::events).sum(); }
}
