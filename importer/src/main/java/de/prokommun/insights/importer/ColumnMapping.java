package de.prokommun.insights.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which column of a merchandise-management export holds what (JSON, see docs/IMPORT.md). A column reference
 * is a column name or {@code {"column": name, "format": "prefix-{}"}} where {@code {}} stands for the cell.
 *
 * @param delimiter  field separator, or null to take {@code ;} if the header holds one, else {@code ,}
 * @param participant column naming the participant of each row, or null (then {@code --participant})
 * @param card        column of the city card number, or null
 * @param customer    column of the portal's resident reference (customer number), or null
 */
public record ColumnMapping(Character delimiter, Column participant, Column card, Column customer, Column receipt,
                            TimestampColumn timestamp, Column productGroup, Lookup lookup, QuantityColumn quantity,
                            AmountColumn amount) {

    /** A column and an optional template ({@code "CJ-{}"}) applied to its value. */
    public record Column(String name, String format) {
        public String apply(String value) {
            return format == null ? value : format.replace("{}", value);
        }
    }

    /**
     * Date and time: one column, or a date column plus {@code timeColumn} (joined by a space before parsing).
     * {@code zone} applies to values without an offset; with {@code keepWallClock} an offset in the data is
     * ignored and the wall-clock time is read in {@code zone} (a shop's local hour stays its local hour).
     */
    public record TimestampColumn(String name, String timeColumn, DateTimeFormatter format, String pattern, ZoneId zone,
                                  boolean keepWallClock) {}

    /** Product group looked up in another CSV (key column → value column), e.g. article number → article group. */
    public record Lookup(Path file, String key, String value) {}

    /** {@code fractional}: "reject" (default) or "ceil" (weighed goods count as whole pieces, rounded up). */
    public record QuantityColumn(String name, boolean roundUpFractions) {}

    /**
     * {@code unit}: "major" (euros, ×100) or "minor" (cents); {@code perUnit}: the column is a unit price,
     * multiplied by the quantity. Amounts are rounded to whole cents, half up.
     */
    public record AmountColumn(String name, char decimalSeparator, Character groupingSeparator, boolean major,
                               boolean perUnit) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("delimiter", "participant", "card", "customer", "receipt",
            "timestamp", "productGroup", "quantity", "amount", "comment");

    public static ColumnMapping load(Path file) {
        try {
            return fromJson(JSON.readTree(file.toFile()), file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read column mapping " + file, e);
        }
    }

    public static ColumnMapping load(InputStream in, Path baseDir) {
        try {
            return fromJson(JSON.readTree(in), baseDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read column mapping", e);
        }
    }

    /** @param baseDir where a relative lookup file is found */
    public static ColumnMapping fromJson(JsonNode root, Path baseDir) {
        List<String> problems = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) problems.add("unknown field '" + f + "'");
        }
        String d = root.path("delimiter").asText("");
        Character delimiter = d.isEmpty() ? null : d.equals("\\t") || d.equals("\t") ? '\t' : d.charAt(0);
        Column participant = column(root.get("participant"), "participant", false, problems);
        Column card = column(root.get("card"), "card", false, problems);
        Column customer = column(root.get("customer"), "customer", false, problems);
        if (card == null && customer == null) problems.add("'card' or 'customer' is required: a purchase needs a card or customer number");
        Column receipt = column(root.get("receipt"), "receipt", true, problems);
        TimestampColumn timestamp = timestamp(root.get("timestamp"), problems);
        Column productGroup = column(root.get("productGroup"), "productGroup", true, problems);
        Lookup lookup = null;
        JsonNode l = root.path("productGroup").path("lookup");
        if (!l.isMissingNode()) {
            String file = l.path("file").asText("");
            if (file.isEmpty() || l.path("key").asText("").isEmpty() || l.path("value").asText("").isEmpty()) {
                problems.add("productGroup.lookup needs 'file', 'key' and 'value'");
            } else {
                Path p = Path.of(file);
                lookup = new Lookup(p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p), l.path("key").asText(),
                        l.path("value").asText());
            }
        }
        Column q = column(root.get("quantity"), "quantity", true, problems);
        String fractional = root.path("quantity").path("fractional").asText("reject");
        if (!Set.of("reject", "ceil").contains(fractional)) problems.add("quantity.fractional must be 'reject' or 'ceil'");
        Column a = column(root.get("amount"), "amount", true, problems);
        JsonNode an = root.path("amount");
        String sep = an.path("decimalSeparator").asText(".");
        String grouping = an.path("groupingSeparator").asText("");
        String unit = an.path("unit").asText("major");
        if (!Set.of("major", "minor").contains(unit)) problems.add("amount.unit must be 'major' (euros) or 'minor' (cents)");
        if (sep.length() != 1) problems.add("amount.decimalSeparator must be one character");
        String per = an.path("per").asText("line");
        if (!Set.of("line", "unit").contains(per)) problems.add("amount.per must be 'line' (line total) or 'unit' (unit price)");
        if (!problems.isEmpty()) throw new IllegalArgumentException("column mapping: " + String.join("; ", problems));
        return new ColumnMapping(delimiter, participant, card, customer, receipt, timestamp, productGroup, lookup,
                new QuantityColumn(q.name(), fractional.equals("ceil")),
                new AmountColumn(a.name(), sep.charAt(0), grouping.isEmpty() ? null : grouping.charAt(0),
                        unit.equals("major"), per.equals("unit")));
    }

    private static Column column(JsonNode node, String field, boolean required, List<String> problems) {
        if (node == null || node.isNull()) {
            if (required) problems.add("'" + field + "' is required");
            return null;
        }
        if (node.isTextual()) return new Column(node.asText(), null);
        String name = node.path("column").asText("");
        if (name.isEmpty()) {
            problems.add("'" + field + "' must be a column name or {\"column\": name}");
            return null;
        }
        String format = node.path("format").asText(null);
        if (format != null && !format.contains("{}")) problems.add(field + ".format must contain {} for the cell's value");
        return new Column(name, format);
    }

    private static TimestampColumn timestamp(JsonNode node, List<String> problems) {
        if (node == null || node.isNull()) {
            problems.add("'timestamp' is required");
            return null;
        }
        String name = node.isTextual() ? node.asText() : node.path("column").asText("");
        String pattern = node.path("format").asText("ISO");
        String zone = node.path("zone").asText("Europe/Berlin");
        DateTimeFormatter format = null;
        ZoneId zoneId = null;
        try {
            format = pattern.equals("ISO") ? null : DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
        } catch (IllegalArgumentException e) {
            problems.add("timestamp.format '" + pattern + "' is not a date-time pattern: " + e.getMessage());
        }
        try {
            zoneId = ZoneId.of(zone);
        } catch (RuntimeException e) {
            problems.add("timestamp.zone '" + zone + "' is not a time zone");
        }
        if (name.isEmpty()) problems.add("timestamp.column is required");
        return new TimestampColumn(name, node.path("timeColumn").asText(null), format, pattern, zoneId,
                node.path("keepWallClock").asBoolean(false));
    }

    /** Every column the mapping reads, to check against the file's header. */
    public List<String> columns() {
        List<String> out = new ArrayList<>();
        for (Column c : new Column[] {participant, card, customer, receipt, productGroup}) if (c != null) out.add(c.name());
        out.add(timestamp.name());
        if (timestamp.timeColumn() != null) out.add(timestamp.timeColumn());
        out.add(quantity.name());
        out.add(amount.name());
        return out;
    }
}
