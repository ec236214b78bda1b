package de.prokommun.insights.importer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an import did, row by row: every row read is either imported (its receipt's event was accepted, 202)
 * or rejected with a reason, so {@code rowsRead == rowsImported + rowsRejected}. Reasons are grouped; each
 * group keeps a few line numbers of the file as examples, never a card number or receipt.
 */
public final class ImportReport {

    /**
     * Where a row was turned away: reading the file, combining a receipt, by the ingestion API, or by the API
     * because the purchase lies before the city's retention (422: it would never be counted; never a silent drop).
     */
    public enum Stage { READ, RECEIPT, INGESTION, OUTSIDE_RETENTION, NOT_SENT }

    /** The stage of an answer of {@link EventSender}: "not sent: …", "ingestion 422: …" or another ingestion answer. */
    static Stage stageOf(String reason) {
        if (reason.startsWith("not sent")) return Stage.NOT_SENT;
        if (reason.startsWith("ingestion 422")) return Stage.OUTSIDE_RETENTION;
        return Stage.INGESTION;
    }

    /** One group of rejected rows. */
    public static final class Rejection {
        final Stage stage;
        final String reason;
        long rows;
        long receipts;
        final java.util.TreeSet<Long> exampleLines = new java.util.TreeSet<>();

        Rejection(Stage stage, String reason) {
            this.stage = stage;
            this.reason = reason;
        }

        public Stage stage() { return stage; }
        public String reason() { return reason; }
        public long rows() { return rows; }
        public long receipts() { return receipts; }
        public List<Long> exampleLines() { return List.copyOf(exampleLines); }
    }

    /** The outcome of uploading the product-group mapping for one participant. */
    public record MappingUpload(String participant, int status, String summary) {}

    private static final int EXAMPLES = 5;

    private final String source;
    private long rowsRead;
    private long rowsImported;
    private long receipts;
    private long receiptsWithoutReadableRow;
    private long eventsSent;
    private long eventsAccepted;
    private long eventsRejected;
    private final Map<String, Rejection> rejections = new LinkedHashMap<>();
    private final List<MappingUpload> mappingUploads = new ArrayList<>();
    private final Map<String, Long> residents = new LinkedHashMap<>();
    private String abortedBecause;

    public ImportReport(String source) {
        this.source = source;
    }

    synchronized void rowRead() { rowsRead++; }

    synchronized void receipts(long n, long withoutReadableRow) {
        receipts = n;
        receiptsWithoutReadableRow = withoutReadableRow;
    }

    void rowRejected(Stage stage, String reason, long line) {
        rowsRejected(stage, reason, 1, 0, line);
    }

    synchronized void rowsRejected(Stage stage, String reason, long rows, long receiptCount, long firstLine) {
        Rejection r = rejections.computeIfAbsent(stage + "\u0000" + reason, k -> new Rejection(stage, reason));
        r.rows += rows;
        r.receipts += receiptCount;
        // the smallest line numbers, so the report does not depend on the order receipts were answered in
        if (firstLine > 0) {
            r.exampleLines.add(firstLine);
            if (r.exampleLines.size() > EXAMPLES) r.exampleLines.pollLast();
        }
    }

    synchronized void receiptAccepted(Receipt receipt) {
        eventsSent++;
        eventsAccepted++;
        rowsImported += receipt.rows();
    }

    synchronized void receiptRejected(Receipt receipt, Stage stage, String reason) {
        if (stage == Stage.INGESTION || stage == Stage.OUTSIDE_RETENTION) {
            eventsSent++;
            eventsRejected++;
        }
        rowsRejected(stage, reason, receipt.rows(), 1, receipt.firstLine());
    }

    synchronized void mappingUploaded(MappingUpload upload) { mappingUploads.add(upload); }

    /** Counters of the resident events sent alongside (Complete Journey: registrations, card links). */
    public synchronized void countResidents(String what, long n) { residents.merge(what, n, Long::sum); }

    public synchronized void aborted(String reason) { abortedBecause = reason; }

    public long rowsRead() { return rowsRead; }
    public long rowsImported() { return rowsImported; }
    public long rowsRejected() { return rejections.values().stream().mapToLong(r -> r.rows).sum(); }
    public long receipts() { return receipts; }
    /** Receipts none of whose rows could be read: no event was sent for them. */
    public long receiptsWithoutReadableRow() { return receiptsWithoutReadableRow; }
    public long eventsSent() { return eventsSent; }
    public long eventsAccepted() { return eventsAccepted; }
    public long eventsRejected() { return eventsRejected; }
    /** Receipts the ingestion API refused as older than the city's retention (422). */
    public long receiptsOutsideRetention() {
        return rejections.values().stream().filter(r -> r.stage == Stage.OUTSIDE_RETENTION).mapToLong(r -> r.receipts).sum();
    }
    public List<Rejection> rejections() {
        return rejections.values().stream().sorted(Comparator.comparingLong((Rejection r) -> -r.rows)
                .thenComparing(r -> r.stage).thenComparing(r -> r.reason)).toList();
    }
    public List<MappingUpload> mappingUploads() { return List.copyOf(mappingUploads); }
    public Map<String, Long> residents() { return Map.copyOf(residents); }
    public String abortedBecause() { return abortedBecause; }

    /** Every row is accounted for: imported or rejected with a reason. */
    public boolean balanced() { return rowsRead == rowsImported + rowsRejected(); }

    public synchronized ObjectNode toJson() {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("source", source).put("rowsRead", rowsRead).put("rowsImported", rowsImported)
                .put("rowsRejected", rowsRejected()).put("balanced", balanced()).put("receipts", receipts)
                .put("receiptsWithoutReadableRow", receiptsWithoutReadableRow)
                .put("eventsSent", eventsSent).put("eventsAccepted", eventsAccepted).put("eventsRejected", eventsRejected)
                .put("outsideRetention", receiptsOutsideRetention());
        ArrayNode reasons = o.putArray("rejected");
        for (Rejection r : rejections()) {
            ObjectNode n = reasons.addObject().put("stage", r.stage.name().toLowerCase()).put("reason", r.reason)
                    .put("rows", r.rows).put("receipts", r.receipts);
            ArrayNode lines = n.putArray("exampleLines");
            r.exampleLines.forEach(lines::add);
        }
        ArrayNode uploads = o.putArray("mappingUploads");
        mappingUploads.forEach(u -> uploads.addObject().put("participant", u.participant()).put("status", u.status())
                .put("summary", u.summary()));
        if (!residents.isEmpty()) {
            ObjectNode res = o.putObject("residents");
            residents.forEach(res::put);
        }
        if (abortedBecause != null) o.put("aborted", abortedBecause);
        return o;
    }

    public void writeJson(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report " + file, e);
        }
    }

    /** The human-readable report; German unless {@code english}. */
    public void print(PrintStream out, boolean english) {
        Texts t = english ? Texts.EN : Texts.DE;
        java.util.Locale l = english ? java.util.Locale.ENGLISH : java.util.Locale.GERMANY;
        out.println(t.title + " " + source);
        out.printf(l, "  %-46s %,d%n", t.rowsRead, rowsRead);
        out.printf(l, "  %-46s %,d%n", t.rowsImported, rowsImported);
        out.printf(l, "  %-46s %,d%n", t.rowsRejected, rowsRejected());
        out.printf(l, "  %-46s %s%n", t.balance, balanced() ? t.ok : t.notOk);
        out.printf(l, "  %-46s %,d (%s %,d)%n", t.receipts, receipts, t.unreadable, receiptsWithoutReadableRow);
        out.printf(l, "  %-46s %,d / %,d / %,d%n", t.events, eventsSent, eventsAccepted, eventsRejected);
        out.printf(l, "  %-46s %,d%n", t.outsideRetention, receiptsOutsideRetention());
        if (!residents.isEmpty()) residents.forEach((k, v) -> out.printf(l, "  %-46s %,d%n", k, v));
        if (!mappingUploads.isEmpty()) {
            long ok = mappingUploads.stream().filter(u -> u.status() == 200).count();
            out.printf(l, "  %-46s %,d / %,d%n", t.mappings, ok, mappingUploads.size());
            mappingUploads.stream().filter(u -> u.status() != 200).limit(5)
                    .forEach(u -> out.println("    " + u.participant() + ": " + u.status() + " " + u.summary()));
        }
        if (!rejections.isEmpty()) {
            out.println("  " + t.reasons);
            for (Rejection r : rejections()) {
                out.printf(l, "    %,9d %s, %,d %s  [%s] %s  (%s %s)%n", r.rows, t.rows, r.receipts, t.receiptsShort,
                        r.stage.name().toLowerCase(), r.reason, t.lines, r.exampleLines);
            }
        }
        if (abortedBecause != null) out.println("  " + t.aborted + " " + abortedBecause);
    }

    private record Texts(String title, String rowsRead, String rowsImported, String rowsRejected, String balance,
                         String ok, String notOk, String receipts, String events, String mappings, String reasons,
                         String rows, String receiptsShort, String lines, String aborted, String unreadable,
                         String outsideRetention) {
        static final Texts DE = new Texts("Import-Bericht für", "Zeilen gelesen", "Zeilen importiert",
                "Zeilen abgelehnt", "Abgleich (gelesen = importiert + abgelehnt)", "stimmt", "STIMMT NICHT",
                "Belege", "Ereignisse gesendet / angenommen / abgelehnt", "Warengruppen-Zuordnung hochgeladen",
                "Ablehnungsgründe:", "Zeilen", "Belege", "z. B. Zeilen", "ABGEBROCHEN:",
                "davon ohne lesbare Zeile", "Belege außerhalb der Aufbewahrungsfrist");
        static final Texts EN = new Texts("Import report for", "rows read", "rows imported", "rows rejected",
                "balance (read = imported + rejected)", "ok", "DOES NOT BALANCE", "receipts",
                "events sent / accepted / rejected", "product-group mapping uploaded", "reasons:", "rows", "receipts",
                "e.g. lines", "ABORTED:", "without a readable row", "receipts outside retention");
    }
}
