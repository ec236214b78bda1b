package de.prokommun.insights.ingestion.dedupe;

import de.prokommun.insights.city.City;
import de.prokommun.insights.city.CityFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long each city keeps purchases ({@code "retention": {"purchasesYears": N}} in
 * {@code <cities.dir>/<city>/city.json}), read once per city through the city module (its zone default too). The
 * profile job retracts a purchase N calendar years after its event time in the city's zone and never records one
 * that is older on arrival; ingestion refuses such a purchase with 422 instead of accepting what would never be
 * counted. The rule is the Flink job's ({@code PurchaseRetention.expired}): expired when eventTime + N years (city
 * zone) ≤ now.
 */
public final class CityRetention {

    /** A city's retention; {@code years == 0}: purchases are kept until retracted or erased. */
    public record Retention(int years, ZoneId zone) {
        public boolean expired(Instant eventTime, Instant now) {
            return years > 0 && !eventTime.atZone(zone).plusYears(years).toInstant().isAfter(now);
        }

        /** The earliest event time still kept at {@code now}. */
        public Instant earliestKept(Instant now) {
            return now.atZone(zone).minusYears(years).toInstant();
        }

        /** Why a purchase of this time is refused (422): names the retention and where it is configured. */
        public String outsideReason(Instant eventTime, Instant now) {
            return "the purchase of " + eventTime + " lies outside the city's retention of " + years + " years (retention."
                    + "purchasesYears in city.json): purchases up to " + earliestKept(now)
                    + " are not kept and would never be counted";
        }
    }

    /** No city's purchases are refused for their age ({@code ingestion.retention.enforce=false}). */
    public static final CityRetention NONE = new CityRetention(null);

    private static final Logger LOG = LoggerFactory.getLogger(CityRetention.class);
    private final Path citiesDir;
    private final Map<String, Retention> byCity = new ConcurrentHashMap<>();

    public CityRetention(Path citiesDir) {
        this.citiesDir = citiesDir;
    }

    /** The city's retention; a city without city.json or without "retention" keeps purchases indefinitely. */
    public Retention of(String city) {
        return byCity.computeIfAbsent(city, this::load);
    }

    private Retention load(String city) {
        Optional<City> loaded;
        try {
            loaded = citiesDir == null ? Optional.empty() : CityFiles.find(citiesDir, city);
        } catch (RuntimeException e) {
            throw new IllegalStateException("city.json of city '" + city + "' cannot be read: " + e.getMessage(), e);
        }
        if (loaded.isEmpty()) {
            if (citiesDir != null) {
                // said once per city: without city.json the service cannot tell which purchases the pipeline drops
                LOG.warn("no {} for city '{}': its purchases are not checked against a retention (cities.dir)",
                        citiesDir.resolve(city).resolve(CityFiles.CITY_JSON).toAbsolutePath(), city);
            }
            return new Retention(0, ZoneId.of(CityFiles.DEFAULT_TIME_ZONE));
        }
        return new Retention(loaded.get().purchaseRetentionYears(), loaded.get().zone());
    }
}
