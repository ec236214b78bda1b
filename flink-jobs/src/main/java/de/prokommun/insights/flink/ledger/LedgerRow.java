package de.prokommun.insights.flink.ledger;

import de.prokommun.insights.events.ContributionDelta;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * One contribution as the ledger remembers it (a Flink POJO): everything of a {@link ContributionDelta} but the
 * city, which is the person's. {@link #toDelta} with sign −1 gives the exact negation.
 */
public class LedgerRow {
    public String measure;
    public int day;
    public int month;
    public int year;
    public String participant;
    public String category;
    public Segment segment;
    public long count;
    public long quantity;
    public long amountCents;
    /**
     * The row's day as epoch ms ({@link #dayMillis}), never the event's own time: a row beside a segment must not
     * carry a timestamp a shop could match against its till (issue 14, item 8). Rows restored from state written
     * before that may hold the event's millisecond; {@link #toDelta} derives the column from {@link #day} anyway.
     */
    public long eventTime;
    /** Journey and voucher rows (ContributionDelta of the same names); defaults mean "not applicable". */
    public String counterpart;
    public int weekday;
    /** Null = not applicable (−1 in the delta): a row restored from state written before the field existed gets -1. */
    public Integer hour;
    public String place;
    public int lagBucket;
    public long lagDays;

    public LedgerRow() {}

    private static final long MILLIS_PER_DAY = 86_400_000L;

    /**
     * The column eventTime of a contribution row: the city-local calendar day {@code day} as 00:00 UTC of that date
     * in epoch ms. It only names the day (Pinot's time column needs a value); it is a function of {@code day} alone,
     * so a negation always carries the same value as the row it cancels, whatever state it was restored from.
     */
    public static long dayMillis(int day) {
        return Math.multiplyExact((long) day, MILLIS_PER_DAY);
    }

    /** A row counting for the day of {@code eventTime} in the city's zone (day, yyyyMM, yyyy); the time itself is not kept. */
    public static LedgerRow of(String measure, long eventTime, ZoneId zone, String participant, String category,
                               Segment segment) {
        LedgerRow r = new LedgerRow();
        LocalDate date = Instant.ofEpochMilli(eventTime).atZone(zone).toLocalDate();
        r.measure = measure;
        r.day = (int) date.toEpochDay();
        r.month = date.getYear() * 100 + date.getMonthValue();
        r.year = date.getYear();
        r.participant = participant;
        r.category = category;
        r.segment = segment;
        r.eventTime = dayMillis(r.day);
        return r;
    }

    LedgerRow measures(long count, long quantity, long amountCents) {
        this.count = count;
        this.quantity = quantity;
        this.amountCents = amountCents;
        return this;
    }

    /** The same row (period, dimensions, segment) under another measure with other measures. */
    LedgerRow as(String otherMeasure, long count, long quantity, long amountCents) {
        LedgerRow r = new LedgerRow();
        r.measure = otherMeasure;
        r.day = day;
        r.month = month;
        r.year = year;
        r.participant = participant;
        r.category = category;
        r.segment = segment;
        r.eventTime = eventTime;
        r.counterpart = counterpart;
        r.weekday = weekday;
        r.hour = hour;
        r.place = place;
        r.lagBucket = lagBucket;
        r.lagDays = lagDays;
        return r.measures(count, quantity, amountCents);
    }

    /** The delta of this row; sign −1 negates count, quantity, amountCents and lagDays and nothing else. */
    public ContributionDelta toDelta(String city, int sign) {
        return ContributionDelta.newBuilder()
                .setCity(city)
                .setMeasure(measure)
                .setDay(day)
                .setMonth(month)
                .setYear(year)
                .setParticipant(participant)
                .setCategory(category)
                .setAgeBand(segment.ageBand)
                .setGender(segment.gender == null ? "UNKNOWN" : segment.gender)
                .setDistrict(segment.district)
                .setHouseholdType(segment.householdType == null ? "UNKNOWN" : segment.householdType)
                .setPersonas(segment.personaList())
                .setCount(Math.multiplyExact(sign, count))
                .setQuantity(Math.multiplyExact(sign, quantity))
                .setAmountCents(Math.multiplyExact(sign, amountCents))
                .setEventTime(dayMillis(day))
                .setCounterpart(counterpart)
                .setWeekday(weekday)
                .setHour(hour == null ? -1 : hour)
                .setPlace(place)
                .setLagBucket(lagBucket)
                .setLagDays(Math.multiplyExact(sign, lagDays))
                .build();
    }
}
