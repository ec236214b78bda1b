package de.prokommun.insights.query.publication;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;

/**
 * When a new publication is due: each local calendar month is cut into {@code perMonth} periods of (nearly) equal
 * whole days, and each period gets one publication, made at its first check. Refreshes within a period serve the
 * same publication, so a month costs exactly perMonth publications whatever the refresh rate, and the month change
 * always starts a new one (a new month's share pays it).
 */
public record PublicationSchedule(int perMonth) {

    public PublicationSchedule {
        if (perMonth < 1 || perMonth > 31) throw new IllegalArgumentException("publications per month must be 1..31: " + perMonth);
    }

    /** The period of a moment in the city: its month and its index 0..perMonth-1. */
    public record Period(String city, YearMonth month, int index, int perMonth) {
        /** The release id the city budget charges once: {@code <city>/<yyyy-MM>/<n>of<perMonth>}. */
        public String releaseId() {
            return city + "/" + month + "/" + (index + 1) + "of" + perMonth;
        }
    }

    /** When the next period begins (local midnight of its first day, or of the next month's first day). */
    public Instant nextStart(Instant now, ZoneId zone) {
        LocalDate day = now.atZone(zone).toLocalDate();
        YearMonth month = YearMonth.from(day);
        int index = index(day);
        for (LocalDate d = day.plusDays(1); YearMonth.from(d).equals(month); d = d.plusDays(1)) {
            if (index(d) != index) return d.atStartOfDay(zone).toInstant();
        }
        return month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
    }

    private int index(LocalDate day) {
        return (day.getDayOfMonth() - 1) * perMonth / YearMonth.from(day).lengthOfMonth();
    }

    public Period periodAt(String city, Instant now, ZoneId zone) {
        LocalDate day = now.atZone(zone).toLocalDate();
        return new Period(city, YearMonth.from(day), index(day), perMonth);
    }
}
