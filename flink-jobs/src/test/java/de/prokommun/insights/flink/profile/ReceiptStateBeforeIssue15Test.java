package de.prokommun.insights.flink.profile;

import static de.prokommun.insights.flink.Fixtures.anonymous;
import static de.prokommun.insights.flink.Fixtures.at;
import static de.prokommun.insights.flink.Fixtures.registration;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.ErasureRequested;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.events.PersonRecord;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.events.PurchaseLine;
import de.prokommun.insights.events.PurchaseRetracted;
import de.prokommun.insights.flink.Fixtures;
import de.prokommun.insights.flink.journey.JourneyFact;
import de.prokommun.insights.flink.journey.JourneyFactSerializer;
import de.prokommun.insights.flink.records.LiveRecord;
import de.prokommun.insights.flink.records.LiveRecordSerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * State written before receipts were one participant's (issue 15) is read without --fresh: the journey and the person
 * records held a purchase under its receipt reference alone. Such an entry, put into that layout here, is found as
 * its participant's receipt, and another participant's receipt with the same number does not touch it.
 */
class ReceiptStateBeforeIssue15Test {
    private static final String ANNA = "pseudonym-anna";
    private static final String BAKERY = "baeckerei-schmidt";
    private static final String WINE = "weinhandlung-berg";
    private ProfileChain harness;

    @BeforeEach
    void open() throws Exception {
        harness = new ProfileChain(Fixtures.cities(), Duration.ofDays(30));
        harness.send(anonymous(ANNA, "reg", at(2026, 3, 1), registration(1990, HouseholdType.SINGLE, true)));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static AnonymousEvent by(String participant, AnonymousEvent e) {
        e.setParticipant(participant);
        return e;
    }

    private static AnonymousEvent purchase(String participant, String eventId, long time, long cents) {
        return by(participant, anonymous(ANNA, eventId, time, new Purchase("R-1",
                List.of(new PurchaseLine("brot", 1, cents)), List.of())));
    }

    /** Moves an entry of a string-keyed map state from its current key to the key an older version used. */
    private static <V> void moveTo(MapState<String, V> state, String from, String to) throws Exception {
        V value = state.get(from);
        assertThat(value).as("state under " + from).isNotNull();
        state.remove(from);
        state.put(to, value);
    }

    private Map<String, PersonRecord> liveRecords() {
        Map<String, PersonRecord> latest = new HashMap<>();
        for (PersonRecord r : harness.records()) latest.merge(r.getRecordId(), r, (a, b) -> b.getVersion() > a.getVersion() ? b : a);
        latest.values().removeIf(PersonRecord::getDeleted);
        return latest;
    }

    @Test
    void aReceiptKeyedByItsReferenceAloneIsFoundAsItsParticipantsAndLeftAloneByAnotherShop() throws Exception {
        harness.send(purchase(BAKERY, "p1", at(2026, 3, 2), 450));
        MapState<String, LiveRecord> records = harness.mapStateOf(2, ANNA, "person-records", LiveRecordSerializer.INSTANCE);
        moveTo(records, "receipt:" + BAKERY + "\u001fR-1", "receipt:R-1");
        MapState<String, JourneyFact> facts = harness.mapStateOf(3, ANNA, "journey-fact-keys", JourneyFactSerializer.INSTANCE);
        moveTo(facts, "purchase\u001f" + BAKERY + "\u001fR-1", "purchase\u001fR-1");
        Map<String, List<Long>> bakeryOnly = ContributionLedgerTest.sums(harness.deltas());

        harness.send(purchase(WINE, "p2", at(2026, 3, 3), 990));
        assertThat(liveRecords()).as("the wine shop's R-1 is its own record, the bakery's stays").hasSize(2);
        harness.send(by(WINE, anonymous(ANNA, "w1", at(2026, 3, 4), new PurchaseRetracted("R-1"))));
        assertThat(ContributionLedgerTest.sums(harness.deltas())).as("every figure, journey included, as before")
                .isEqualTo(bakeryOnly);

        harness.send(purchase(BAKERY, "p1-corrected", at(2026, 3, 2), 500));
        assertThat(liveRecords()).as("the corrected receipt replaces the old-layout one").hasSize(1);
        harness.send(by(BAKERY, anonymous(ANNA, "r1", at(2026, 3, 5), new PurchaseRetracted("R-1"))));
        assertThat(liveRecords()).isEmpty();
        assertThat(harness.mapStateOf(2, ANNA, "person-records", LiveRecordSerializer.INSTANCE).keys())
                .as("no record of the old layout left behind").isEmpty();
        assertThat(ContributionLedgerTest.sums(harness.deltas().stream()
                .filter(d -> de.prokommun.insights.flink.journey.JourneyMeasures.isJourney(d.getMeasure())).toList()))
                .as("no visit left in the journey").isEmpty();
        assertThat(ContributionLedgerTest.sums(ContributionLedgerTest.ledgerOnly(harness.deltas())).keySet())
                .as("only the registration and activity remain").noneMatch(k -> k.contains("|purchase|"));

        harness.send(anonymous(ANNA, "x1", at(2026, 3, 6), new ErasureRequested(null)));
        assertThat(ContributionLedgerTest.sums(harness.deltas())).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
