package de.prokommun.insights.flink.ledger;

import de.prokommun.insights.contract.Measures.Names;
import static de.prokommun.insights.flink.Fixtures.anonymous;
import static de.prokommun.insights.flink.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.GiftVoucherRedeemed;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.events.PurchaseLine;
import de.prokommun.insights.flink.Fixtures;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubmittedUnmappedLinesTest {

    private final SubmittedUnmappedLines fn = new SubmittedUnmappedLines(Fixtures.cities());

    @Test
    void onePersonlessRowPerUnmappedGroupOfAPurchase() throws Exception {
        AnonymousEvent e = anonymous("whoever", "p-1", at(2026, 3, 2), new Purchase("R-1", List.of(
                new PurchaseLine("Torte", 2, 500L), new PurchaseLine("Brot", 1, 300L), new PurchaseLine("Torte", 1, 250L),
                new PurchaseLine("Kaffee", 3, 900L)), List.of()));
        e.setParticipant("baeckerei");
        ProductGroups.Lookup mapped = (city, participant, group) -> group.equals("Brot") ? "lebensmittel.backwaren" : null;

        List<ContributionDelta> rows = fn.rows(e, mapped);

        assertThat(rows).extracting(ContributionDelta::getCategory).containsExactly("Kaffee", "Torte");
        ContributionDelta torte = rows.get(1);
        assertThat(torte.getMeasure()).isEqualTo(Names.SUBMITTED_UNMAPPED_LINE);
        assertThat(torte.getCount()).as("lines").isEqualTo(2L);
        assertThat(torte.getQuantity()).isEqualTo(3L);
        assertThat(torte.getAmountCents()).isEqualTo(750L);
        assertThat(torte.getParticipant()).isEqualTo("baeckerei");
        assertThat(torte.getDay()).isEqualTo((int) LocalDate.of(2026, 3, 2).toEpochDay());
        assertThat(torte.getMonth()).isEqualTo(202603);
        assertThat(torte.getGender()).isEqualTo("UNKNOWN");
        assertThat(torte.getAgeBand()).isNull();
        assertThat(torte.getDistrict()).isNull();
        assertThat(torte.getPersonas()).isEmpty();
    }

    @Test
    void nothingForOtherEventsOrUnknownCities() throws Exception {
        assertThat(fn.rows(anonymous("x", "v", at(2026, 3, 2), new GiftVoucherRedeemed("V", 100L, null)), (c, p, g) -> null)).isEmpty();
        AnonymousEvent elsewhere = anonymous("x", "p", at(2026, 3, 2), new Purchase("R", List.of(new PurchaseLine("A", 1, 1L)), List.of()));
        elsewhere.setCity("atlantis");
        assertThat(fn.rows(elsewhere, (c, p, g) -> null)).isEmpty();
    }
}
