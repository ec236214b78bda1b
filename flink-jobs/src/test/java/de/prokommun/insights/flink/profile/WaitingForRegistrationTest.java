package de.prokommun.insights.flink.profile;

import de.prokommun.insights.contract.Measures.Names;
import static de.prokommun.insights.flink.Fixtures.anonymous;
import static de.prokommun.insights.flink.Fixtures.at;
import static de.prokommun.insights.flink.Fixtures.registration;
import static de.prokommun.insights.flink.profile.ContributionLedgerTest.purchase;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.ErasureRequested;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.events.ProductGroupMapping;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.events.PurchaseLine;
import de.prokommun.insights.flink.Fixtures;
import de.prokommun.insights.flink.ledger.Measures;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Events of a pseudonym that arrive before its registration (a card purchase resolved by the anonymiser can
 * overtake the registration) wait for it, bounded in number and time, and are replayed after it.
 */
class WaitingForRegistrationTest {

    private static final String ANNA = "pseudonym-anna";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private ProfileChain harness;

    @BeforeEach
    void open() throws Exception {
        harness = new ProfileChain(Fixtures.cities(), Duration.ofDays(30), WAIT, 2);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static List<String> measures(List<ContributionDelta> deltas) {
        return deltas.stream().map(ContributionDelta::getMeasure).toList();
    }

    @Test
    void aPurchaseThatOvertookTheRegistrationIsReplayedAfterIt() throws Exception {
        assertThat(harness.send(purchase(ANNA, "p1", "baeckerei", at(2026, 3, 2), "B-1", new PurchaseLine("brot", 1, 100L))))
                .isEmpty();
        assertThat(harness.deltas()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

        harness.processingTime(WAIT.toMillis() - 1);
        List<ProfileRow> rows = harness.send(anonymous(ANNA, "reg", at(2026, 3, 2), registration(1990, HouseholdType.SINGLE, true)));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).getLastPurchaseDay()).isEqualTo((int) LocalDate.of(2026, 3, 2).toEpochDay());
        assertThat(rows.get(1).getPurchaseTags()).containsExactly("customer:baeckerei");
        assertThat(measures(harness.deltas())).contains(Names.REGISTRATION, Names.PURCHASE, Names.CUSTOMER_MONTH);

        harness.processingTime(WAIT.toMillis() + 1);
        assertThat(harness.rows()).as("the wait timer was deleted: nothing dropped or replayed twice").hasSize(2);
        assertThat(harness.numProcessingTimeTimers()).as("only the dedupe timer").isEqualTo(1);
    }

    /** The categoriser stands in front of the wait: a purchase is categorised as submitted, not as replayed. */
    @Test
    void aWaitingPurchaseKeepsTheCategoriesOfTheMappingsInForceWhenItWasSubmitted() throws Exception {
        String bread = "lebensmittel.backwaren";
        harness.send(purchase(ANNA, "p1", "baeckerei", at(2026, 3, 2), "B-1", new PurchaseLine("brot", 1, 100L)));
        harness.mapping(new ProductGroupMapping(Fixtures.CITY, "baeckerei", "brot", bread, 1L));
        harness.send(anonymous(ANNA, "reg", at(2026, 3, 2), registration(1990, HouseholdType.SINGLE, true)));
        List<ContributionDelta> waited = harness.deltas();
        List<ContributionDelta> later = harness.deltasOf(
                purchase(ANNA, "p2", "baeckerei", at(2026, 3, 3), "B-2", new PurchaseLine("brot", 1, 100L)));

        assertThat(waited).filteredOn(d -> d.getMeasure().equals(Names.PURCHASE)).singleElement()
                .extracting(ContributionDelta::getCategory).isEqualTo(Measures.UNMAPPED);
        assertThat(later).filteredOn(d -> d.getMeasure().equals(Names.PURCHASE)).singleElement()
                .extracting(ContributionDelta::getCategory).isEqualTo(bread);
    }

    @Test
    void afterTheWaitTheEventsAreDroppedAndLeaveNoState() throws Exception {
        harness.send(purchase(ANNA, "p1", "baeckerei", at(2026, 3, 2), "B-1", new PurchaseLine("brot", 1, 100L)));
        harness.processingTime(WAIT.toMillis());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();

        harness.send(anonymous(ANNA, "reg", at(2026, 3, 3), registration(1990, HouseholdType.SINGLE, true)));
        assertThat(harness.last().getLastPurchaseDay()).isNull();
        assertThat(measures(harness.deltas())).doesNotContain(Names.PURCHASE);
    }

    @Test
    void erasureClearsTheWaitingEventsAndTheirTimer() throws Exception {
        harness.send(purchase(ANNA, "p1", "baeckerei", at(2026, 3, 2), "B-1", new PurchaseLine("brot", 1, 100L)));
        assertThat(harness.numKeyedStateEntries()).isPositive();
        harness.send(anonymous(ANNA, "x", at(2026, 3, 2), new ErasureRequested(null)));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        harness.send(anonymous(ANNA, "reg", at(2026, 3, 3), registration(1990, HouseholdType.SINGLE, true)));
        assertThat(measures(harness.deltas())).doesNotContain(Names.PURCHASE);
    }

    @Test
    void aRegistrationWithoutConsentDropsTheWaitingEvents() throws Exception {
        harness.send(purchase(ANNA, "p1", "baeckerei", at(2026, 3, 2), "B-1", new PurchaseLine("brot", 1, 100L)));
        harness.send(anonymous(ANNA, "reg", at(2026, 3, 2), registration(1990, HouseholdType.SINGLE, false)));
        assertThat(harness.rows()).isEmpty();
        assertThat(harness.deltas()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void atMostTheConfiguredNumberOfEventsWait() throws Exception {
        for (int i = 1; i <= 3; i++) {
            harness.send(purchase(ANNA, "p" + i, "baeckerei", at(2026, 3, i), "B-" + i, new PurchaseLine("brot", 1, 100L)));
        }
        harness.send(anonymous(ANNA, "reg", at(2026, 3, 4), registration(1990, HouseholdType.SINGLE, true)));
        assertThat(harness.deltas()).filteredOn(d -> d.getMeasure().equals(Names.PURCHASE)).hasSize(2);
    }
}
