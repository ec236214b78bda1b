package de.prokommun.insights.flink.ledger;

import de.prokommun.insights.contract.Measures.Names;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which distinct counts a contribution supports, and the +1 row that opens each: a purchase row of category C at
 * participant P supports buyer_month (C, month), buyer_year (C, year), customer_month (P, month),
 * customer_year (P, year) and the internal "customer" (P); every live activity supports active_resident (day).
 */
final class DistinctKeys {
    private DistinctKeys() {}

    static String keyOf(LedgerRow r) {
        String period = switch (r.measure) {
            case Names.BUYER_MONTH, Names.CUSTOMER_MONTH -> String.valueOf(r.month);
            case Names.BUYER_YEAR, Names.CUSTOMER_YEAR -> String.valueOf(r.year);
            case Names.ACTIVE_RESIDENT -> String.valueOf(r.day);
            default -> "";
        };
        return r.measure + '\u001f' + nonNull(r.participant) + '\u001f' + nonNull(r.category) + '\u001f' + period;
    }

    /** Key → opening row for every distinct count the receipt supports (each once per receipt). */
    static Map<String, LedgerRow> ofReceipt(ReceiptContribution receipt, ZoneId zone, Segment segment) {
        Map<String, LedgerRow> out = new LinkedHashMap<>();
        for (LedgerRow row : receipt.rows) {
            if (!Names.PURCHASE.equals(row.measure)) continue;
            put(out, opening(Names.BUYER_MONTH, receipt, zone, null, row.category, segment));
            put(out, opening(Names.BUYER_YEAR, receipt, zone, null, row.category, segment));
        }
        put(out, opening(Names.CUSTOMER_MONTH, receipt, zone, receipt.participant, null, segment));
        put(out, opening(Names.CUSTOMER_YEAR, receipt, zone, receipt.participant, null, segment));
        put(out, opening(Measures.CUSTOMER_EVER, receipt, zone, receipt.participant, null, segment));
        put(out, activity(receipt.eventTime, zone, segment));
        return out;
    }

    /** The opening row of the person-day of {@code eventTime}. */
    static LedgerRow activity(long eventTime, ZoneId zone, Segment segment) {
        return opening(Names.ACTIVE_RESIDENT, eventTime, zone, null, null, segment);
    }

    /** The row of a per-person-month measure: first day of the month of {@code eventTime}, no participant. */
    static LedgerRow monthly(String measure, long eventTime, ZoneId zone, String category, Segment segment) {
        LocalDate first = Instant.ofEpochMilli(eventTime).atZone(zone).toLocalDate().withDayOfMonth(1);
        return LedgerRow.of(measure, first.atStartOfDay(zone).toInstant().toEpochMilli(), zone, null, category, segment);
    }

    private static LedgerRow opening(String measure, ReceiptContribution receipt, ZoneId zone, String participant,
                                     String category, Segment segment) {
        return opening(measure, receipt.eventTime, zone, participant, category, segment);
    }

    /**
     * A distinct row counts for the first day of its period (day, month or year; eventTime = its start), not for
     * the day of the contribution that happened to open it: whichever supporters remain, the row is the same.
     */
    private static LedgerRow opening(String measure, long eventTime, ZoneId zone, String participant, String category,
                                     Segment segment) {
        LocalDate date = Instant.ofEpochMilli(eventTime).atZone(zone).toLocalDate();
        LocalDate start = switch (measure) {
            case Names.BUYER_MONTH, Names.CUSTOMER_MONTH -> date.withDayOfMonth(1);
            case Names.BUYER_YEAR, Names.CUSTOMER_YEAR, Measures.CUSTOMER_EVER -> date.withDayOfYear(1);
            default -> date;
        };
        long startMillis = start.atStartOfDay(zone).toInstant().toEpochMilli();
        return LedgerRow.of(measure, startMillis, zone, participant, category, segment).measures(1, 0, 0);
    }

    private static void put(Map<String, LedgerRow> out, LedgerRow row) {
        out.putIfAbsent(keyOf(row), row);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
