package de.prokommun.insights.flink.anonymize;

import static de.prokommun.insights.flink.Fixtures.anonymous;
import static de.prokommun.insights.flink.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.AnonymousCardLinked;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.contract.CitySecrets;
import de.prokommun.insights.events.ErasureRequested;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.events.PaymentKind;
import de.prokommun.insights.flink.Fixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResidentCardsTest {

    private static final String ANNA = "resident-anna";
    private static final CitySecrets SECRETS = CitySecrets.parse(Fixtures.SECRETS);
    private static final Duration TOMBSTONE = Duration.ofDays(30);
    private KeyedOneInputStreamOperatorTestHarness<String, PseudonymisedEvent, AnonymousEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new ResidentCards(SECRETS, TOMBSTONE)),
                e -> e.event.getPseudonym(), Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(String eventId, Object payload) throws Exception {
        send(eventId, at(2026, 3, 10), payload);
    }

    private void send(String eventId, long eventTime, Object payload) throws Exception {
        harness.processElement(new PseudonymisedEvent(anonymous(ANNA, eventId, eventTime, payload), null), 0L);
    }

    private static String generation(int g) {
        return CitySecrets.generationPseudonym(SECRETS.newMac(Fixtures.CITY).orElseThrow(), ANNA, g);
    }

    private List<String> passedOn() {
        return harness.extractOutputValues().stream().map(e -> e.getEventId() + "@" + e.getPseudonym()).toList();
    }

    private List<String> commands() {
        List<String> out = new ArrayList<>();
        var side = harness.getSideOutput(ResidentCards.CARD_COMMANDS);
        if (side != null) side.forEach(r -> out.add(r.getValue().kind + " " + r.getValue().card + " " + r.getValue().resident));
        return out;
    }

    @Test
    void cardLinksReachTheCardKeysAndErasureReachesEveryCardOfThePerson() throws Exception {
        send("l1", new AnonymousCardLinked("card-1", null));
        send("l2", new AnonymousCardLinked("card-2", "card-1"));
        assertThat(commands()).containsExactly("LINK card-1 " + ANNA, "LINK card-2 " + ANNA, "LINK card-1 " + ANNA);
        assertThat(harness.numKeyedStateEntries()).isPositive();

        send("x", new ErasureRequested(null));
        assertThat(commands()).contains("ERASE card-1 " + ANNA, "ERASE card-2 " + ANNA).hasSize(5);
        assertThat(harness.extractOutputValues()).extracting(AnonymousEvent::getEventId).containsExactly("l1", "l2", "x");
        assertThat(harness.numKeyedStateEntries()).as("the cards are gone; only the tombstone (cut-off, awaiting a"
                + " registration, its timer) is left").isEqualTo(3);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isZero();

        harness.setProcessingTime(TOMBSTONE.toMillis());
        assertThat(harness.numKeyedStateEntries()).as("the tombstone expires with the horizon").isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    // ---- issue 14, items 6 and 7: erasure is final ------------------------------------------------------------

    private static final long BEFORE = at(2026, 3, 10);
    private static final long ERASED = at(2026, 3, 11);
    private static final long AFTER = at(2026, 3, 12);

    @Test
    void aReplayedPreErasureEventAfterReRegistrationIsDroppedAndTheNewRegistrationGetsTheNextGeneration() throws Exception {
        send("reg", BEFORE, Fixtures.registration(1980, HouseholdType.SINGLE, true));
        send("p1", BEFORE, Fixtures.purchase("R-1", PaymentKind.CARD));
        send("x", ERASED, new ErasureRequested(null));
        send("reg2", AFTER, Fixtures.registration(1980, HouseholdType.COUPLE, true));
        send("p1", BEFORE, Fixtures.purchase("R-1", PaymentKind.CARD)); // the shop re-sends the original
        send("p2", AFTER, Fixtures.purchase("R-2", PaymentKind.CARD));

        assertThat(passedOn()).containsExactly("reg@" + ANNA, "p1@" + ANNA, "x@" + ANNA,
                "reg2@" + generation(1), "p2@" + generation(1));
        assertThat(generation(1)).isNotEqualTo(ANNA);
    }

    @Test
    void eventsSentBetweenTheErasureAndTheNextRegistrationAreDroppedNotHeldForIt() throws Exception {
        send("reg", BEFORE, Fixtures.registration(1980, HouseholdType.SINGLE, true));
        send("x", ERASED, new ErasureRequested(null));
        send("p-in-the-30-s", ERASED + 10_000, Fixtures.purchase("R-3", PaymentKind.CARD));
        send("change-racing", ERASED - 5_000, Fixtures.purchase("R-4", PaymentKind.CARD));
        send("reg2", AFTER, Fixtures.registration(1980, HouseholdType.COUPLE, true));
        send("p-after", AFTER + 1, Fixtures.purchase("R-5", PaymentKind.CARD));
        send("late-but-after-erasure", ERASED + 20_000, Fixtures.purchase("R-6", PaymentKind.CARD));

        assertThat(passedOn()).containsExactly("reg@" + ANNA, "x@" + ANNA, "reg2@" + generation(1),
                "p-after@" + generation(1), "late-but-after-erasure@" + generation(1));
    }

    /** Issue 14, item 7: an erasure that came through ingestion (the portal) writes the register's mark too. */
    @Test
    void everyErasureBecomesAMarkForTheResidentApisRegisterUnderTheGenerationZeroPseudonym() throws Exception {
        send("reg", Fixtures.registration(1980, HouseholdType.SINGLE, true));
        assertThat(harness.getSideOutput(ResidentCards.ERASURE_MARKS)).as("no mark without an erasure").isNull();
        send("x", ERASED, new ErasureRequested(null));
        send("reg2", AFTER, Fixtures.registration(1980, HouseholdType.COUPLE, true));
        send("x2", AFTER + 1, new ErasureRequested(null));
        assertThat(harness.getSideOutput(ResidentCards.ERASURE_MARKS)).extracting(r -> r.getValue().getCity() + " "
                + r.getValue().getPseudonym() + " " + r.getValue().getErasedAt()).as("the erasures of generation 0 and 1,"
                + " both under the key the resident API checks tokens with").containsExactly(
                Fixtures.CITY + " " + ANNA + " " + ERASED, Fixtures.CITY + " " + ANNA + " " + (AFTER + 1));
    }

    @Test
    void cardLinksAfterReRegistrationCarryTheNewGenerationAndErasureReachesThem() throws Exception {
        send("x", ERASED, new ErasureRequested(null));
        send("reg2", AFTER, Fixtures.registration(1980, HouseholdType.COUPLE, true));
        send("l1", AFTER, new AnonymousCardLinked("card-1", null));
        send("x2", AFTER + 1, new ErasureRequested(null));
        assertThat(commands()).containsExactly("LINK card-1 " + generation(1), "ERASE card-1 " + generation(1));
        var erase = harness.getSideOutput(ResidentCards.CARD_COMMANDS).stream()
                .filter(r -> r.getValue().kind == CardCommand.Kind.ERASE).findFirst().orElseThrow();
        assertThat(erase.getValue().erasedBefore).as("the card's cut-off is the second erasure's time").isEqualTo(AFTER + 1);

        send("reg3", AFTER + 2, Fixtures.registration(1980, HouseholdType.COUPLE, true));
        assertThat(passedOn()).last().isEqualTo("reg3@" + generation(2));
    }

    @Test
    void aReRegisteredPersonKeepsOnlyTheGenerationAfterTheHorizonAndAnUnreturnedOneNothing() throws Exception {
        send("x", ERASED, new ErasureRequested(null));
        send("reg2", AFTER, Fixtures.registration(1980, HouseholdType.COUPLE, true));
        harness.setProcessingTime(TOMBSTONE.toMillis());
        assertThat(harness.numKeyedStateEntries()).as("only the generation the person is registered in").isEqualTo(1);
        assertThat(harness.numProcessingTimeTimers()).isZero();
        send("old", BEFORE, Fixtures.purchase("R-7", PaymentKind.CARD));
        assertThat(passedOn()).as("after the horizon the cut-off no longer applies; the generation still does")
                .last().isEqualTo("old@" + generation(1));

        send("x2", AFTER + 1, new ErasureRequested(null));
        harness.setProcessingTime(2 * TOMBSTONE.toMillis());
        assertThat(harness.numKeyedStateEntries()).as("erased and never back within the horizon: nothing left").isZero();
        send("reg3", AFTER + 2, Fixtures.registration(1980, HouseholdType.COUPLE, true));
        assertThat(passedOn()).last().isEqualTo("reg3@" + ANNA);
    }

    // ---- issue 18: the contact the campaign job addresses deliveries by ---------------------------------------

    private void register(String eventId, long eventTime, String reference) throws Exception {
        PseudonymisedEvent e = new PseudonymisedEvent(anonymous(ANNA, eventId, eventTime,
                Fixtures.registration(1980, HouseholdType.SINGLE, true)), null);
        e.residentReference = reference;
        harness.processElement(e, 0L);
    }

    private List<String> contacts() {
        List<String> out = new ArrayList<>();
        var side = harness.getSideOutput(ResidentCards.CONTACTS);
        if (side != null) side.forEach(r -> out.add(r.getValue().key() + "=" + r.getValue().resident));
        return out;
    }

    @Test
    void aRegistrationWritesTheContactOfItsGenerationAndAnErasureRemovesExactlyThat() throws Exception {
        register("reg", BEFORE, "R-0815");
        send("p1", BEFORE, Fixtures.purchase("R-1", PaymentKind.CARD));
        send("x", ERASED, new ErasureRequested(null));
        send("p-between", ERASED + 10, Fixtures.purchase("R-2", PaymentKind.CARD));
        register("reg2", AFTER, "R-0815");
        send("x2", AFTER + 1, new ErasureRequested(null));

        String city = Fixtures.CITY + "/";
        assertThat(contacts()).as("contact at registration, tombstone at erasure, each under the generation's pseudonym;"
                + " nothing for other events").containsExactly(city + ANNA + "=R-0815", city + ANNA + "=null",
                city + generation(1) + "=R-0815", city + generation(1) + "=null");
        assertThat(harness.getSideOutput(ResidentCards.CONTACTS)).extracting(r -> r.getValue().contactOrNull())
                .as("the tombstones have no record").containsExactly(
                        new de.prokommun.insights.events.ResidentContact(Fixtures.CITY, ANNA, "R-0815"), null,
                        new de.prokommun.insights.events.ResidentContact(Fixtures.CITY, generation(1), "R-0815"), null);
        assertThat(passedOn()).as("the reference never enters an anonymous event")
                .allSatisfy(e -> assertThat(e).doesNotContain("R-0815"));
    }

    @Test
    void aRegistrationDroppedAfterAnErasureWritesNoContact() throws Exception {
        register("reg", BEFORE, "R-0815");
        send("x", ERASED, new ErasureRequested(null));
        register("reg-racing", ERASED - 5_000, "R-0815"); // before the cut-off: dropped, so no contact either
        assertThat(contacts()).hasSize(2);
    }
}
