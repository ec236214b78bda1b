package de.prokommun.insights.ingestion.events;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads an event's time: an ISO-8601 date-time with offset, exactly as {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}
 * reads it. The form every sender uses ({@code 2026-11-28T10:15:00Z}, optionally with a fraction of up to nine digits
 * or an offset {@code ±HH:MM}) is read by hand: the formatter's general machinery was a sixth of the ingestion's
 * parsing time (Flight Recorder, 2026-12-07). Anything else — other spellings the formatter accepts, and every invalid
 * value — goes to the formatter, so the answer and the error are always the formatter's.
 */
final class OffsetTimestamps {
    private OffsetTimestamps() {}

    private static final int MAX_OFFSET_SECONDS = 18 * 3600;

    /** The instant, or the formatter's {@link DateTimeParseException}. */
    static Instant parse(String text) {
        Instant fast = common(text);
        return fast != null ? fast : OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }

    /** The instant if {@code text} is in the common form with valid values, else null (the formatter decides). */
    static Instant common(String text) {
        int n = text.length();
        if (n < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') return null;
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) return null;
        int i = 19;
        int nanos = 0;
        if (text.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && isDigit(text.charAt(i))) {
                nanos = nanos * 10 + (text.charAt(i) - '0');
                i++;
            }
            int fractionDigits = i - start;
            if (fractionDigits == 0) return null;
            for (int k = fractionDigits; k < 9; k++) nanos *= 10;
        }
        Integer offset = offsetSeconds(text, i);
        if (offset == null) return null;
        long days;
        try {
            days = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null; // e.g. 30 February: the formatter names it
        }
        return Instant.ofEpochSecond(days * 86_400L + hour * 3600L + minute * 60L + second - offset, nanos);
    }

    /** {@code Z} or {@code ±HH:MM} ending the text at {@code i}, in seconds east of UTC; else null. */
    private static Integer offsetSeconds(String text, int i) {
        int n = text.length();
        if (i == n - 1 && text.charAt(i) == 'Z') return 0;
        if (i != n - 6 || text.charAt(i + 3) != ':') return null;
        char sign = text.charAt(i);
        if (sign != '+' && sign != '-') return null;
        int hours = digits(text, i + 1, 2);
        int minutes = digits(text, i + 4, 2);
        if (hours < 0 || minutes < 0 || minutes > 59) return null;
        int seconds = hours * 3600 + minutes * 60;
        if (seconds > MAX_OFFSET_SECONDS) return null;
        return sign == '+' ? seconds : -seconds;
    }

    /** The decimal value of {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) return -1;
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
