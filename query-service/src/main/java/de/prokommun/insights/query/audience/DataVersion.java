package de.prokommun.insights.query.audience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The data version a question is answered for: the start of the current period in the city's time zone
 * (e.g. "2026-11-29T10:15+01:00" for one-minute periods). Within one version the same question gets the
 * identical released answer; a new version may see new data and gets fresh noise. Not secret.
 */
public final class DataVersion {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    private final Clock clock;
    private final long periodSeconds;

    public DataVersion(Clock clock, Duration period) {
        if (period.isNegative() || period.isZero() || period.toSeconds() < 1 || period.getNano() != 0) {
            throw new IllegalArgumentException("data version period must be a positive whole number of seconds: " + period);
        }
        this.clock = clock;
        this.periodSeconds = period.toSeconds();
    }

    /** Epoch day of today in the city: the reference of "active within n days". */
    public int today(ZoneId zone) {
        return (int) clock.instant().atZone(zone).toLocalDate().toEpochDay();
    }

    public String current(ZoneId zone) {
        return at(clock.instant(), zone);
    }

    /** Buckets are aligned to local wall-clock time, so a daily period starts at the city's midnight. */
    String at(Instant instant, ZoneId zone) {
        long localSeconds = instant.atZone(zone).toLocalDateTime().toEpochSecond(ZoneOffset.UTC);
        long bucketStart = Math.floorDiv(localSeconds, periodSeconds) * periodSeconds;
        return LocalDateTime.ofEpochSecond(bucketStart, 0, ZoneOffset.UTC).atZone(zone).format(FORMAT);
    }
}
