package de.prokommun.insights.importer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Groups rows into receipts by participant and receipt number, in order of first appearance. Exports are not
 * always sorted by receipt, so all receipts are held until the file is read. Rows of one receipt must agree on
 * card and customer number; a receipt whose rows disagree is rejected as a whole (which card paid cannot be
 * guessed). Line times may differ (some systems stamp each line): the receipt takes the earliest.
 */
public final class ReceiptGrouper {

    /** A receipt whose rows could not be combined, with the reason and its row count. */
    public record Conflict(String participant, String receipt, int rows, String reason, long firstLine) {}

    private static final class Builder {
        final SalesRow first;
        final List<Receipt.Line> lines = new ArrayList<>();
        java.time.Instant time;
        String conflict;

        Builder(SalesRow first) {
            this.first = first;
            this.time = first.time();
        }
    }

    private final Map<String, Builder> receipts = new LinkedHashMap<>();
    private final java.util.Set<String> onlyUnreadableRows = new java.util.HashSet<>();

    public void add(SalesRow row) {
        String key = row.participant() + "\u0000" + row.receipt();
        onlyUnreadableRows.remove(key);
        Builder b = receipts.computeIfAbsent(key, k -> new Builder(row));
        if (b.conflict == null) {
            if (!Objects.equals(b.first.card(), row.card())) {
                b.conflict = "receipt: its rows name different card numbers";
            } else if (!Objects.equals(b.first.customer(), row.customer())) {
                b.conflict = "receipt: its rows name different customer numbers";
            }
        }
        if (row.time().isBefore(b.time)) b.time = row.time();
        b.lines.add(new Receipt.Line(row.productGroup(), row.quantity(), row.amountCents()));
    }

    /** A row of this receipt could not be read (participant and receipt number could). */
    public void unreadableRow(String participant, String receipt) {
        String key = participant + "\u0000" + receipt;
        if (!receipts.containsKey(key)) onlyUnreadableRows.add(key);
    }

    /** Receipts in the file: with at least one readable row, or known only from unreadable rows. */
    public int size() { return receipts.size() + onlyUnreadableRows.size(); }

    /** Receipts none of whose rows could be read: they never become an event (their rows are in the report). */
    public int withoutReadableRow() { return onlyUnreadableRows.size(); }

    /** The receipts that can be sent, per participant in order of first appearance. */
    public Map<String, List<Receipt>> receiptsByParticipant() {
        Map<String, List<Receipt>> out = new LinkedHashMap<>();
        for (Builder b : receipts.values()) {
            if (b.conflict != null) continue;
            SalesRow f = b.first;
            out.computeIfAbsent(f.participant(), k -> new ArrayList<>()).add(new Receipt(f.participant(), f.receipt(),
                    f.card(), f.customer(), b.time, List.copyOf(b.lines), f.line()));
        }
        return out;
    }

    public List<Conflict> conflicts() {
        return receipts.values().stream().filter(b -> b.conflict != null)
                .map(b -> new Conflict(b.first.participant(), b.first.receipt(), b.lines.size(), b.conflict, b.first.line()))
                .toList();
    }
}
