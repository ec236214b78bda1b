package de.prokommun.insights.flink.anonymize;

import static de.prokommun.insights.flink.Fixtures.anonymous;
import static de.prokommun.insights.flink.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.DeadLetter;
import de.prokommun.insights.events.PaymentKind;
import de.prokommun.insights.flink.Fixtures;
import de.prokommun.insights.flink.events.DeadLetters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CardResolverTest {

    private static final Duration WAIT = Duration.ofDays(3 * 365);
    private static final int BUFFER = 3;
    private static final Duration TOMBSTONE = Duration.ofDays(30);
    private static final long ERASED = at(2026, 3, 11);
    private static final String CARD = "card-pseudonym-1";
    private static final String ANNA = "resident-anna";
    private KeyedOneInputStreamOperatorTestHarness<String, CardCommand, AnonymousEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new CardResolver(WAIT, BUFFER, TOMBSTONE)),
                c -> c.card, Types.STRING);
        harness.open();
        harness.setProcessingTime(1_000L);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static CardCommand purchase(String eventId) {
        PseudonymisedEvent e = new PseudonymisedEvent(
                anonymous("", eventId, at(2026, 3, 10), Fixtures.purchase("R-" + eventId, PaymentKind.CARD)), CARD);
        e.sourceTopic = "raw";
        e.sourcePartition = 1;
        e.sourceOffset = 42;
        return CardCommand.event(e);
    }

    private void send(CardCommand c) throws Exception {
        harness.processElement(c, 0L);
    }

    private List<DeadLetter> deadLetters() {
        ConcurrentLinkedQueue<StreamRecord<DeadLetter>> side = harness.getSideOutput(DeadLetters.TAG);
        List<DeadLetter> out = new ArrayList<>();
        if (side != null) side.forEach(r -> out.add(r.getValue()));
        return out;
    }

    @Test
    void aLinkedCardAttributesItsEventsToTheResident() throws Exception {
        send(CardCommand.link(CARD, ANNA));
        send(purchase("p1"));
        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(e -> {
                    assertThat(e.getPseudonym()).isEqualTo(ANNA);
                    assertThat(e.getEventId()).isEqualTo("p1");
                });
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void eventsBeforeTheLinkWaitAndAreReleasedByIt() throws Exception {
        send(purchase("p1"));
        send(purchase("p2"));
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

        send(CardCommand.link(CARD, ANNA));
        assertThat(harness.extractOutputValues()).extracting(AnonymousEvent::getEventId).containsExactly("p1", "p2");
        assertThat(harness.extractOutputValues()).allSatisfy(e -> assertThat(e.getPseudonym()).isEqualTo(ANNA));
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).as("only the link").isEqualTo(1);
    }

    @Test
    void anEventThreeDaysBeforeItsLinkIsAttributedWhenTheLinkArrives() throws Exception {
        send(purchase("p1"));
        harness.setProcessingTime(1_000L + Duration.ofDays(3).toMillis());
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(deadLetters()).as("an unlinked card is not an error").isEmpty();
        send(CardCommand.link(CARD, ANNA));
        assertThat(harness.extractOutputValues()).singleElement().satisfies(e -> {
            assertThat(e.getEventId()).isEqualTo("p1");
            assertThat(e.getPseudonym()).isEqualTo(ANNA);
        });
    }

    @Test
    void anEventWhoseCardIsNeverLinkedIsForgottenAfterTheWaitWithoutADeadLetter() throws Exception {
        send(purchase("p1"));
        harness.setProcessingTime(1_000L + WAIT.toMillis() - 1);
        harness.setProcessingTime(5_000L);
        send(purchase("p2"));

        harness.setProcessingTime(1_000L + WAIT.toMillis());
        assertThat(harness.numProcessingTimeTimers()).as("p2 still waits").isEqualTo(1);
        send(CardCommand.link(CARD, ANNA));
        assertThat(harness.extractOutputValues()).extracting(AnonymousEvent::getEventId)
                .as("p1 waited as long as the city keeps purchases").containsExactly("p2");
        assertThat(deadLetters()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void atMostTheBufferWaitsPerCard() throws Exception {
        for (int i = 0; i < BUFFER + 2; i++) send(purchase("p" + i));
        send(CardCommand.link(CARD, ANNA));
        assertThat(harness.extractOutputValues()).extracting(AnonymousEvent::getEventId).containsExactly("p0", "p1", "p2");
        assertThat(harness.numKeyedStateEntries()).as("only the link").isEqualTo(1);
    }

    @Test
    void erasureOfTheResidentClearsTheCardsLinkWaitingEventsAndTimer() throws Exception {
        send(CardCommand.link(CARD, ANNA));
        send(CardCommand.link("card-2", ANNA));
        harness.processElement(new StreamRecord<>(otherCardPurchase()));
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

        send(CardCommand.erase(CARD, ANNA, ERASED));
        send(CardCommand.erase("card-2", ANNA, ERASED));
        send(CardCommand.erase("card-3", ANNA, ERASED));
        assertThat(harness.numKeyedStateEntries()).as("link, waiting events and their timer gone; per card only the"
                + " tombstone (cut-off, awaiting a link, its timer)").isEqualTo(3 * 3);
        assertThat(harness.numProcessingTimeTimers()).as("one tombstone timer per card").isEqualTo(3);

        send(purchase("after-erasure"));
        assertThat(harness.extractOutputValues()).extracting(AnonymousEvent::getEventId)
                .as("no longer attributed to the erased resident").doesNotContain("after-erasure");
        assertThat(harness.numKeyedStateEntries()).as("nor held for a later link").isEqualTo(3 * 3);

        harness.setProcessingTime(1_000L + TOMBSTONE.toMillis());
        assertThat(harness.numKeyedStateEntries()).as("the tombstones expire with the horizon").isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    // ---- issue 14, items 6 and 7: erasure is final ------------------------------------------------------------

    private static CardCommand purchaseAt(String eventId, long eventTime) {
        return CardCommand.event(new PseudonymisedEvent(
                anonymous("", eventId, eventTime, Fixtures.purchase("R-" + eventId, PaymentKind.CARD)), CARD));
    }

    @Test
    void afterErasureNothingFromBeforeItOrBeforeTheNextLinkAttachesToTheNextHolder() throws Exception {
        send(CardCommand.link(CARD, ANNA));
        send(purchaseAt("p1", ERASED - 1));
        send(CardCommand.erase(CARD, ANNA, ERASED));
        send(purchaseAt("in-the-30-s", ERASED + 10_000));
        send(CardCommand.link(CARD, "anna-generation-1"));
        send(purchaseAt("p1", ERASED - 1)); // the shop replays the pre-erasure purchase
        send(purchaseAt("after-link", ERASED + 60_000));

        assertThat(harness.extractOutputValues()).extracting(e -> e.getEventId() + "@" + e.getPseudonym())
                .containsExactly("p1@" + ANNA, "after-link@anna-generation-1");
        harness.setProcessingTime(1_000L + TOMBSTONE.toMillis());
        assertThat(harness.numKeyedStateEntries()).as("after the horizon only the link").isEqualTo(1);
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    private static CardCommand otherCardPurchase() {
        CardCommand c = purchase("p3");
        c.card = "card-3";
        return c;
    }

    @Test
    void erasureOfAFormerHolderLeavesTheCardsNewHolderLinked() throws Exception {
        send(CardCommand.link(CARD, ANNA));
        send(CardCommand.link(CARD, "resident-bert"));
        send(CardCommand.erase(CARD, ANNA, ERASED));
        send(purchase("p1"));
        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(e -> assertThat(e.getPseudonym()).isEqualTo("resident-bert"));
    }
}
