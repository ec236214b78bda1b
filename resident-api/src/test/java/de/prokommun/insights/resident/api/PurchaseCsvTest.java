package de.prokommun.insights.resident.api;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.PersonRecord;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class PurchaseCsvTest {

    private static PersonRecord record(String kind, String participant, String receipt, long cents, String details, Instant at) {
        return PersonRecord.newBuilder().setPseudonym("p").setCity("musterstadt").setRecordId(kind + ":" + participant + ":" + receipt)
                .setKind(kind).setParticipant(participant).setEventTime(at.toEpochMilli()).setReceipt(receipt)
                .setAmountCents(cents).setQuantity(3).setCategories(List.of("lebensmittel.backwaren", "lebensmittel.milch"))
                .setDetails(details).setVersion(1).build();
    }

    @Test
    void purchasesBecomeOneRowEachInTheCitysTimeZone() {
        String details = "{\"lines\": [{\"productGroup\": \"Brot\", \"quantity\": 2, \"amountCents\": 350},"
                + " {\"productGroup\": \"Milch, frisch\", \"quantity\": 1, \"amountCents\": 129}]}";
        // 23:30 UTC on 31 Dec is already 1 January in Berlin
        String csv = PurchaseCsv.of(List.of(
                record("purchase", "baeckerei-schmidt", "B-1", 479, details, Instant.parse("2025-12-31T23:30:00Z")),
                record("participant.followed", "tsv", null, 0, "{}", Instant.parse("2026-01-02T10:00:00Z")),
                record("purchase", "=evil", "R\"2", 1000, "{}", Instant.parse("2026-03-01T10:00:00Z"))), ZoneId.of("Europe/Berlin"));
        String[] rows = csv.split("\r\n");
        assertThat(rows).hasSize(3);
        assertThat(rows[0]).isEqualTo("date,participant,receipt,amount_eur,categories,lines");
        assertThat(rows[1]).isEqualTo("2026-01-01,baeckerei-schmidt,B-1,4.79,\"lebensmittel.backwaren;lebensmittel.milch\","
                + "\"2 x Brot 3.50; 1 x Milch, frisch 1.29\"");
        assertThat(rows[2]).startsWith("2026-03-01,'=evil,\"R\"\"2\",10.00,");
    }

    @Test
    void noPurchasesGiveJustTheHeader() {
        assertThat(PurchaseCsv.of(List.of(), ZoneId.of("UTC"))).isEqualTo(PurchaseCsv.HEADER + "\r\n");
    }
}
