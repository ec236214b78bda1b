package de.prokommun.insights.flink.journey;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Months (yyyyMM) and years in the city's zone, and the scopes of the journey ledger: the rows of a month
 * ("m202603"), of a year ("y2026") and of the person's first visit ("first") are each recomputed together.
 */
final class Periods {
    private Periods() {}

    static final String FIRST = "first";

    static LocalDate date(long eventTime, ZoneId zone) {
        return Instant.ofEpochMilli(eventTime).atZone(zone).toLocalDate();
    }

    static int month(long eventTime, ZoneId zone) {
        LocalDate d = date(eventTime, zone);
        return d.getYear() * 100 + d.getMonthValue();
    }

    static int year(long eventTime, ZoneId zone) {
        return date(eventTime, zone).getYear();
    }

    static long startOfMonth(int yyyyMM, ZoneId zone) {
        return LocalDate.of(yyyyMM / 100, yyyyMM % 100, 1).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    static long startOfYear(int year, ZoneId zone) {
        return LocalDate.of(year, 1, 1).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    static String monthScope(int yyyyMM) {
        return "m" + yyyyMM;
    }

    /** The rows of one family of a month: visits, flows, shared customers, engagements, employer vouchers, bonus. */
    static final String VISIT = "visit";
    static final String FLOW = "flow";
    static final String SHARED = "shared";
    static final String ENGAGED = "engaged";
    static final String EMPLOYER = "employer";
    static final String BONUS = "bonus";

    /** One family of a month's rows: recomputed on its own, so a bonus event does not recompute the month's flows. */
    static String monthScope(int yyyyMM, String part) {
        return "m" + yyyyMM + ":" + part;
    }

    static String yearScope(int year) {
        return "y" + year;
    }

    static int nextMonth(int yyyyMM) {
        return yyyyMM % 100 == 12 ? (yyyyMM / 100 + 1) * 100 + 1 : yyyyMM + 1;
    }
}
