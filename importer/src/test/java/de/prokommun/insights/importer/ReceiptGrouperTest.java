package de.prokommun.insights.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReceiptGrouperTest {

    private static SalesRow row(String participant, String card, String receipt, String time, String group, long line) {
        return new SalesRow(participant, card, null, receipt, Instant.parse(time), group, 1, 100, line);
    }

    @Test
    void groupsUnsortedRowsByParticipantAndReceiptTakingTheEarliestTime() {
        ReceiptGrouper g = new ReceiptGrouper();
        g.add(row("a", "C1", "1", "2017-01-01T10:05:00Z", "BREAD", 2));
        g.add(row("b", "C2", "1", "2017-01-01T11:00:00Z", "MILK", 3));
        g.add(row("a", "C1", "2", "2017-01-02T10:00:00Z", "EGGS", 4));
        g.add(row("a", "C1", "1", "2017-01-01T10:00:00Z", "CHEESE", 5));

        Map<String, List<Receipt>> byParticipant = g.receiptsByParticipant();

        assertThat(g.size()).isEqualTo(3);
        assertThat(byParticipant.keySet()).containsExactly("a", "b");
        Receipt first = byParticipant.get("a").get(0);
        assertThat(first.receipt()).isEqualTo("1");
        assertThat(first.lines()).extracting(Receipt.Line::productGroup).containsExactly("BREAD", "CHEESE");
        assertThat(first.time()).isEqualTo(Instant.parse("2017-01-01T10:00:00Z"));
        assertThat(first.firstLine()).isEqualTo(2);
        assertThat(byParticipant.get("b").get(0).rows()).isEqualTo(1);
    }

    @Test
    void aReceiptWhoseRowsNameDifferentCardsIsRejectedAsAWhole() {
        ReceiptGrouper g = new ReceiptGrouper();
        g.add(row("a", "C1", "1", "2017-01-01T10:00:00Z", "BREAD", 2));
        g.add(row("a", "C9", "1", "2017-01-01T10:00:00Z", "MILK", 3));
        g.add(row("a", "C1", "2", "2017-01-01T10:00:00Z", "MILK", 4));

        assertThat(g.receiptsByParticipant().get("a")).extracting(Receipt::receipt).containsExactly("2");
        assertThat(g.conflicts()).singleElement().satisfies(c -> {
            assertThat(c.rows()).isEqualTo(2);
            assertThat(c.reason()).contains("different card numbers");
        });
    }

    @Test
    void eventIdsAreStableValidAndDependOnParticipantAndReceiptOnly() {
        String id = EventIds.purchase("cj-store-309", "31625220889");
        assertThat(id).isEqualTo(EventIds.purchase("cj-store-309", "31625220889"))
                .isNotEqualTo(EventIds.purchase("cj-store-310", "31625220889"))
                .isNotEqualTo(EventIds.purchase("cj-store-309", "31625220890"))
                .matches("[A-Za-z0-9._:-]{1,128}").doesNotContain("31625220889");
        // no ambiguity from concatenation
        assertThat(EventIds.purchase("ab", "c")).isNotEqualTo(EventIds.purchase("a", "bc"));
        Receipt r = new Receipt("p", "r1", "C", null, Instant.EPOCH, List.of(new Receipt.Line("g", 1, 1)), 2);
        assertThat(r.eventId()).isEqualTo(EventIds.purchase("p", "r1"));
    }
}
