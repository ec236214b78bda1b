package de.prokommun.insights.query.publication;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a city's due publication back while its profiles are not current — a fresh local mode loading its
 * history, a backfill, a pipeline catching up after an outage. A publication is served for its whole period, so
 * one made from half-loaded data would show a half-empty city for days. Current means: the latest activity day
 * of the city's profiles lies within {@code currentWithin} of today in the city. After {@code maxWait} of being
 * held back it publishes anyway (a city whose residents were all quiet for days must still be published, late
 * data or not); the wait restarts when the city was current once.
 */
public final class PublicationGate {

    private static final Logger LOG = LoggerFactory.getLogger(PublicationGate.class);

    /** The epoch day of the latest activity of the city's current profiles; empty when there are none. */
    @FunctionalInterface
    public interface LatestActivity {
        OptionalLong epochDay(String city);
    }

    private final LatestActivity latest;
    private final long currentWithinDays;
    private final Duration maxWait;
    private final Clock clock;
    private final Function<String, ZoneId> zones;
    private final Map<String, Instant> behindSince = new ConcurrentHashMap<>();

    public PublicationGate(LatestActivity latest, Duration currentWithin, Duration maxWait, Clock clock,
                           Function<String, ZoneId> zones) {
        if (currentWithin.isNegative() || maxWait.isNegative()) throw new IllegalArgumentException("durations must not be negative");
        this.latest = latest;
        this.currentWithinDays = currentWithin.toDays();
        this.maxWait = maxWait;
        this.clock = clock;
        this.zones = zones;
    }

    /** A gate that never holds back (tests and benchmarks that publish from fixed data). */
    public static PublicationGate open() {
        return new PublicationGate(city -> OptionalLong.empty(), Duration.ZERO, Duration.ZERO, Clock.systemUTC(),
                city -> ZoneId.of("UTC"));
    }

    /** Whether the city's due publication may be made now (asked only when one is due). */
    public boolean mayPublish(String city) {
        if (maxWait.isZero()) return true;
        Instant now = clock.instant();
        long today = LocalDate.ofInstant(now, zones.apply(city)).toEpochDay();
        OptionalLong day = latest.epochDay(city);
        if (day.isPresent() && day.getAsLong() >= today - currentWithinDays) {
            if (behindSince.remove(city) != null) LOG.info("The profiles of {} are current again; publishing", city);
            return true;
        }
        Instant since = behindSince.computeIfAbsent(city, c -> {
            LOG.info("Holding the publication of {} back: its latest profile activity ({}) is older than {} days"
                    + " (history or a backfill still loading); publishing at the latest after {}", c,
                    day.isPresent() ? LocalDate.ofEpochDay(day.getAsLong()) : "none", currentWithinDays, maxWait);
            return now;
        });
        if (Duration.between(since, now).compareTo(maxWait) < 0) return false;
        LOG.warn("Publishing {} although its profiles are not current: held back since {}", city, since);
        return true;
    }
}
