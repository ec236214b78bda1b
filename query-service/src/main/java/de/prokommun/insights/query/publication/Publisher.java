package de.prokommun.insights.query.publication;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every city's published statistics current: at start it serves the stored publications again, then it
 * checks at once, every {@code checkInterval}, and right after the next period boundary (so a month change is
 * published within a second, not a check interval later) whether a new publication period began, and publishes
 * if so — unless its {@link PublicationGate} holds it back because the city's profiles are not current yet. A
 * failed check (Pinot down, budget exhausted) is logged and
 * retried at the next one; questions keep the publication held, or go ad hoc when there is none.
 */
public final class Publisher extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

    private final StatisticsOffice office;
    private final List<String> cities;
    private final Duration checkInterval;
    private final PublicationGate gate;
    private long timer = -1;
    private long boundaryTimer = -1;

    public Publisher(StatisticsOffice office, List<String> cities, Duration checkInterval) {
        this(office, cities, checkInterval, PublicationGate.open());
    }

    /** @param gate holds a due publication back while a city's profiles are not current */
    public Publisher(StatisticsOffice office, List<String> cities, Duration checkInterval, PublicationGate gate) {
        if (checkInterval.toMillis() < 1) throw new IllegalArgumentException("check interval must be positive");
        this.office = office;
        this.cities = List.copyOf(cities);
        this.checkInterval = checkInterval;
        this.gate = gate;
    }

    @Override
    public Future<?> start() {
        return vertx.executeBlocking(() -> {
            cities.forEach(office::reload);
            return null;
        }).onSuccess(x -> {
            check();
            timer = vertx.setPeriodic(checkInterval.toMillis(), id -> check());
        });
    }

    /** One check of every city, on a worker (ordered: never two publications of a city at once). */
    void check() {
        for (String city : cities) {
            vertx.executeBlocking(() -> office.isDue(city) && !gate.mayPublish(city)
                            ? java.util.Optional.<Publication>empty() : office.publishIfDue(city), true)
                    .onFailure(e -> LOG.warn("Publication of {} failed; retrying in {}: {}", city, checkInterval,
                            e.toString()));
        }
        atNextBoundary();
    }

    private void atNextBoundary() {
        if (boundaryTimer >= 0) vertx.cancelTimer(boundaryTimer);
        long until = cities.stream().mapToLong(c -> office.untilNextPeriod(c).toMillis()).min().orElse(Long.MAX_VALUE);
        // A second after the boundary; never sooner than a second, and the periodic check covers anything later.
        long delay = Math.max(1_000, until + 1_000);
        boundaryTimer = delay < checkInterval.toMillis() ? vertx.setTimer(delay, id -> {
            boundaryTimer = -1;
            check();
        }) : -1;
    }

    @Override
    public Future<?> stop() {
        if (timer >= 0) vertx.cancelTimer(timer);
        if (boundaryTimer >= 0) vertx.cancelTimer(boundaryTimer);
        return Future.succeededFuture();
    }
}
