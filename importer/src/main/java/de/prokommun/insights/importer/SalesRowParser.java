package de.prokommun.insights.importer;

import de.prokommun.insights.validation.StrictText;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one CSV row into a {@link SalesRow} by the column mapping, or names why it cannot. Reasons name the
 * field and the problem but never the cell's value (a card number does not belong in a report), so equal
 * problems group together. Business rules (quantity at least 1, amount not negative, line counts) are left to
 * the ingestion API: imported and live events pass the same validation.
 */
public final class SalesRowParser {

    /** A row and the outcome: exactly one of {@code row} and {@code reason} is set. */
    public record Parsed(SalesRow row, String reason) {
        static Parsed rejected(String reason) {
            return new Parsed(null, reason);
        }
    }

    private final ColumnMapping mapping;
    private final String fixedParticipant;
    private final Map<String, String> lookup;
    private final String lookupName;
    private final int participant, card, customer, receipt, time, timeOfDay, group, quantity, amount;

    /**
     * @param header           the file's header row
     * @param fixedParticipant the participant of every row when the mapping names no participant column
     */
    public SalesRowParser(ColumnMapping mapping, List<String> header, String fixedParticipant) throws IOException {
        this.mapping = mapping;
        this.fixedParticipant = fixedParticipant;
        List<String> missing = mapping.columns().stream().filter(c -> !header.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the file has no column(s) " + missing + "; its header is " + header);
        }
        if (mapping.participant() == null && (fixedParticipant == null || fixedParticipant.isBlank())) {
            throw new IllegalArgumentException("the column mapping names no participant column: give --participant");
        }
        participant = index(header, mapping.participant());
        card = index(header, mapping.card());
        customer = index(header, mapping.customer());
        receipt = index(header, mapping.receipt());
        time = header.indexOf(mapping.timestamp().name());
        timeOfDay = mapping.timestamp().timeColumn() == null ? -1 : header.indexOf(mapping.timestamp().timeColumn());
        group = index(header, mapping.productGroup());
        quantity = header.indexOf(mapping.quantity().name());
        amount = header.indexOf(mapping.amount().name());
        if (mapping.lookup() != null) {
            lookup = loadLookup(mapping.lookup());
            lookupName = mapping.lookup().file().getFileName().toString();
        } else {
            lookup = null;
            lookupName = null;
        }
    }

    private static int index(List<String> header, ColumnMapping.Column c) {
        return c == null ? -1 : header.indexOf(c.name());
    }

    static Map<String, String> loadLookup(ColumnMapping.Lookup lookup) throws IOException {
        Map<String, String> out = new HashMap<>();
        try (CsvFile in = CsvFile.open(lookup.file(), null)) {
            int k = in.header().indexOf(lookup.key());
            int v = in.header().indexOf(lookup.value());
            if (k < 0 || v < 0) {
                throw new IllegalArgumentException(lookup.file() + " has no column '" + (k < 0 ? lookup.key() : lookup.value())
                        + "'; its header is " + in.header());
            }
            for (CsvFile.Row r = in.next(); r != null; r = in.next()) {
                if (r.error() == null && r.fields().size() > Math.max(k, v)) out.put(r.fields().get(k), r.fields().get(v));
            }
        }
        return out;
    }

    /** Participant and receipt number of a row that may be unreadable otherwise, or null. */
    public String[] receiptOf(CsvFile.Row row, int headerSize) {
        if (row.error() != null || row.fields().size() != headerSize) return null;
        String who = participant < 0 ? fixedParticipant : cell(row.fields(), participant);
        String receiptNo = cell(row.fields(), receipt);
        if (who.isEmpty() || receiptNo.isEmpty()) return null;
        // the same key as parse() gives the receipt (NFC) where the text rule holds
        StrictText.Checked normal = StrictText.check(receiptNo, StrictText.Kind.IDENTIFIER);
        return new String[] {participant < 0 ? who : mapping.participant().apply(who), normal.ok() ? normal.value() : receiptNo};
    }

    public Parsed parse(CsvFile.Row row, int headerSize) {
        if (row.error() != null) return Parsed.rejected("row: " + row.error());
        List<String> f = row.fields();
        if (f.size() != headerSize) return Parsed.rejected("row: has a different number of fields than the header");
        String who = participant < 0 ? fixedParticipant : cell(f, participant);
        if (who.isEmpty()) return Parsed.rejected(mapping.participant().name() + ": empty (participant)");
        String cardNo = card < 0 ? "" : cell(f, card);
        String customerNo = customer < 0 ? "" : cell(f, customer);
        if (cardNo.isEmpty() && customerNo.isEmpty()) {
            return Parsed.rejected("card/customer: empty (an anonymous sale cannot be attributed)");
        }
        String receiptNo = cell(f, receipt);
        if (receiptNo.isEmpty()) return Parsed.rejected(mapping.receipt().name() + ": empty (receipt)");
        Instant when;
        try {
            when = instant(f);
        } catch (DateTimeParseException e) {
            return Parsed.rejected(mapping.timestamp().name() + ": not a date-time of the form '" + mapping.timestamp().pattern() + "'");
        }
        String productGroup = cell(f, group);
        String badText = textProblem(f);
        if (badText != null) return Parsed.rejected(badText);
        receiptNo = StrictText.check(receiptNo, StrictText.Kind.IDENTIFIER).value();
        productGroup = StrictText.check(productGroup, StrictText.Kind.IDENTIFIER).value();
        if (lookup != null) {
            String key = productGroup;
            productGroup = lookup.get(key);
            if (productGroup == null) return Parsed.rejected(mapping.productGroup().name() + ": not found in " + lookupName);
            if (productGroup.isEmpty()) {
                return Parsed.rejected(mapping.productGroup().name() + ": " + mapping.lookup().value() + " is empty in " + lookupName);
            }
        }
        if (productGroup.isEmpty()) return Parsed.rejected(mapping.productGroup().name() + ": empty (product group)");
        BigDecimal qty;
        try {
            qty = number(cell(f, quantity), mapping.amount().decimalSeparator(), mapping.amount().groupingSeparator());
        } catch (NumberFormatException e) {
            return Parsed.rejected(mapping.quantity().name() + ": not a number (quantity)");
        }
        if (qty.stripTrailingZeros().scale() > 0) {
            if (!mapping.quantity().roundUpFractions()) {
                return Parsed.rejected(mapping.quantity().name() + ": not a whole number (quantities count pieces;"
                        + " \"fractional\": \"ceil\" counts weighed goods as whole pieces)");
            }
            qty = qty.setScale(0, RoundingMode.CEILING);
        }
        if (qty.abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            return Parsed.rejected(mapping.quantity().name() + ": out of range (quantity)");
        }
        BigDecimal money;
        try {
            money = number(cell(f, amount), mapping.amount().decimalSeparator(), mapping.amount().groupingSeparator());
        } catch (NumberFormatException e) {
            return Parsed.rejected(mapping.amount().name() + ": not a number (amount)");
        }
        if (mapping.amount().perUnit()) money = money.multiply(qty);
        if (mapping.amount().major()) money = money.movePointRight(2);
        long cents;
        try {
            cents = money.setScale(0, RoundingMode.HALF_UP).longValueExact();
        } catch (ArithmeticException e) {
            return Parsed.rejected(mapping.amount().name() + ": out of range (amount)");
        }
        String customerRef = customerNo.isEmpty() ? null : mapping.customer().apply(customerNo);
        String cardRef = cardNo.isEmpty() ? null : mapping.card().apply(cardNo);
        String participantId = participant < 0 ? who : mapping.participant().apply(who);
        return new Parsed(new SalesRow(participantId, cardRef, customerRef, receiptNo, when, productGroup, qty.intValue(),
                cents, row.line()), null);
    }

    /**
     * The write path's one text rule ({@link StrictText}) on every text cell that becomes part of an event: the
     * first problem as "column: problem" (never the value), or null. Ingestion applies the same rule; checking
     * here groups such rows in the report by column instead of by the API's field path.
     */
    private String textProblem(List<String> f) {
        int[] columns = {participant, card, customer, receipt, group};
        ColumnMapping.Column[] names = {mapping.participant(), mapping.card(), mapping.customer(), mapping.receipt(),
                mapping.productGroup()};
        for (int i = 0; i < columns.length; i++) {
            if (columns[i] < 0) continue;
            StrictText.Checked checked = StrictText.check(cell(f, columns[i]), StrictText.Kind.IDENTIFIER);
            if (!checked.ok()) return names[i].name() + ": " + checked.problem().replaceAll(" at character \\d+$", "");
        }
        return null;
    }

    private static String cell(List<String> fields, int index) {
        return fields.get(index).trim();
    }

    static BigDecimal number(String text, char decimalSeparator, Character grouping) {
        String t = text.trim();
        if (grouping != null) t = t.replace(String.valueOf(grouping), "");
        if (decimalSeparator != '.') {
            if (t.indexOf('.') >= 0) throw new NumberFormatException(text);
            t = t.replace(decimalSeparator, '.');
        }
        return new BigDecimal(t);
    }

    private Instant instant(List<String> f) {
        ColumnMapping.TimestampColumn ts = mapping.timestamp();
        String text = cell(f, time);
        if (timeOfDay >= 0) text = text + " " + cell(f, timeOfDay);
        DateTimeFormatter format = ts.format() != null ? ts.format() : DateTimeFormatter.ISO_DATE_TIME;
        TemporalAccessor parsed = format.parse(text);
        boolean hasOffset = parsed.isSupported(ChronoField.OFFSET_SECONDS);
        if (hasOffset && !ts.keepWallClock()) return OffsetDateTime.from(parsed).toInstant();
        LocalDateTime local = parsed.isSupported(ChronoField.HOUR_OF_DAY)
                ? LocalDateTime.from(parsed) : java.time.LocalDate.from(parsed).atStartOfDay();
        return ZonedDateTime.of(local, ts.zone()).toInstant();
    }
}
