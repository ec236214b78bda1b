package de.prokommun.insights.resident.api;

import de.prokommun.insights.events.PersonRecord;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A person's purchases as CSV (RFC 4180, UTF-8): date (in the city's time zone), participant, receipt, amount
 * in euros, categories and lines ("2 x Brot 3.50" joined by "; "). Cells that a spreadsheet would run as a
 * formula are prefixed with an apostrophe.
 */
final class PurchaseCsv {
    private PurchaseCsv() {}

    static final String HEADER = "date,participant,receipt,amount_eur,categories,lines";
    static final String PURCHASE = "purchase";

    static String of(List<PersonRecord> records, ZoneId zone) {
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        for (PersonRecord r : records) {
            if (!PURCHASE.equals(r.getKind())) continue;
            List<String> cells = List.of(
                    Instant.ofEpochMilli(r.getEventTime()).atZone(zone).toLocalDate().toString(),
                    r.getParticipant(),
                    r.getReceipt() == null ? "" : r.getReceipt(),
                    euros(r.getAmountCents()),
                    String.join(";", r.getCategories()),
                    lines(r.getDetails()));
            List<String> escaped = new ArrayList<>();
            cells.forEach(c -> escaped.add(cell(c)));
            csv.append(String.join(",", escaped)).append("\r\n");
        }
        return csv.toString();
    }

    static String euros(long cents) {
        return BigDecimal.valueOf(cents, 2).toPlainString();
    }

    /** The lines of a purchase's details ({"lines": [{"productGroup", "quantity", "amountCents"}]}). */
    static String lines(String details) {
        JsonArray lines;
        try {
            lines = details == null || details.isBlank() ? null : new JsonObject(details).getJsonArray("lines");
        } catch (DecodeException | ClassCastException e) {
            return details;
        }
        if (lines == null) return "";
        List<String> out = new ArrayList<>();
        for (Object o : lines) {
            if (!(o instanceof JsonObject line)) continue;
            String text = line.getValue("quantity", "?") + " x " + line.getString("productGroup", "?");
            Object amount = line.getValue("amountCents");
            if (amount instanceof Number n) text += " " + euros(n.longValue());
            out.add(text);
        }
        return String.join("; ", out);
    }

    static String cell(String value) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) v = "'" + v;
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r") || v.contains(";") || !v.equals(v.trim())) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
