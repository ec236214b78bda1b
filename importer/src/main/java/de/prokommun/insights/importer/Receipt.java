package de.prokommun.insights.importer;

import java.time.Instant;
import java.util.List;

/**
 * The lines of one receipt of one participant, which become one purchase event. {@code time} is the earliest
 * time of its lines; {@code rows} how many file rows it holds (for the report); {@code firstLine} its first line.
 */
public record Receipt(String participant, String receipt, String card, String customer, Instant time,
                      List<Line> lines, long firstLine) {

    public record Line(String productGroup, int quantity, long amountCents) {}

    public int rows() { return lines.size(); }

    /** Stable across runs: the same participant and receipt always give the same event id, so a re-run is de-duplicated. */
    public String eventId() {
        return EventIds.purchase(participant, receipt);
    }
}
