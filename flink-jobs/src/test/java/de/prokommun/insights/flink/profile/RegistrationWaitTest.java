package de.prokommun.insights.flink.profile;

import static de.prokommun.insights.flink.Fixtures.anonymous;
import static de.prokommun.insights.flink.Fixtures.at;
import static de.prokommun.insights.flink.Fixtures.registration;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.BonusPointsEarned;
import de.prokommun.insights.events.ConsentChanged;
import de.prokommun.insights.events.ErasureRequested;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.flink.Fixtures;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registration wait alone in Flink's keyed operator harness: what it passes on, and that erasure leaves nothing. */
class RegistrationWaitTest {
    private static final String ANNA = "pseudonym-anna";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private KeyedOneInputStreamOperatorTestHarness<String, AnonymousEvent, AnonymousEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new RegistrationWait(Fixtures.cities(), WAIT, 5),
                AnonymousEvent::getPseudonym, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(AnonymousEvent e) throws Exception {
        harness.processElement(e, e.getEventTime());
    }

    private List<String> passedOn() {
        return harness.extractOutputValues().stream().map(AnonymousEvent::getEventId).toList();
    }

    private int stateEntries() {
        var backend = ((AbstractStreamOperator<?>) harness.getOneInputOperator()).getKeyedStateBackend();
        return ((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
    }

    private static AnonymousEvent bonus(String id, long time) {
        return anonymous(ANNA, id, time, new BonusPointsEarned(10L, null));
    }

    @Test
    void eventsBeforeTheRegistrationArePassedOnBehindIt() throws Exception {
        send(bonus("b1", at(2026, 3, 1)));
        send(bonus("b2", at(2026, 3, 2)));
        assertThat(passedOn()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

        send(anonymous(ANNA, "reg", at(2026, 3, 3), registration(1990, HouseholdType.SINGLE, true)));
        send(bonus("b3", at(2026, 3, 4)));
        assertThat(passedOn()).containsExactly("reg", "b1", "b2", "b3");
        assertThat(harness.numProcessingTimeTimers()).as("the wait timer went with the waiting events").isZero();
        assertThat(stateEntries()).as("only the registration mark").isEqualTo(1);
    }

    @Test
    void erasureOfARegisteredPersonClearsTheMarkAndIsPassedOn() throws Exception {
        send(anonymous(ANNA, "reg", at(2026, 3, 1), registration(1990, HouseholdType.SINGLE, true)));
        assertThat(stateEntries()).isPositive();
        send(anonymous(ANNA, "x", at(2026, 3, 2), new ErasureRequested(null)));
        assertThat(passedOn()).containsExactly("reg", "x");
        assertThat(stateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers() + harness.numEventTimeTimers()).isZero();

        send(bonus("b1", at(2026, 3, 3)));
        assertThat(passedOn()).as("after erasure the person waits for a new registration").containsExactly("reg", "x");
    }

    @Test
    void erasureOfAWaitingPersonDropsTheEventsAndTheTimer() throws Exception {
        send(bonus("b1", at(2026, 3, 1)));
        assertThat(stateEntries()).isPositive();
        send(anonymous(ANNA, "x", at(2026, 3, 2), new ErasureRequested(null)));
        assertThat(passedOn()).as("the erasure goes on to the operators behind").containsExactly("x");
        assertThat(stateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers() + harness.numEventTimeTimers()).isZero();

        send(anonymous(ANNA, "reg", at(2026, 3, 3), registration(1990, HouseholdType.SINGLE, true)));
        assertThat(passedOn()).as("nothing replayed").containsExactly("x", "reg");
    }

    @Test
    void withdrawalClearsTheMark() throws Exception {
        send(anonymous(ANNA, "reg", at(2026, 3, 1), registration(1990, HouseholdType.SINGLE, true)));
        send(anonymous(ANNA, "k", at(2026, 3, 2), new ConsentChanged(false, null, null)));
        assertThat(passedOn()).containsExactly("reg", "k");
        assertThat(stateEntries()).isZero();
    }

    @Test
    void theWaitEndsInProcessingTimeAndLeavesNothing() throws Exception {
        send(bonus("b1", at(2026, 3, 1)));
        harness.setProcessingTime(WAIT.toMillis());
        assertThat(stateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
        send(anonymous(ANNA, "reg", at(2026, 3, 3), registration(1990, HouseholdType.SINGLE, true)));
        assertThat(passedOn()).containsExactly("reg");
    }

    @Test
    void eventsOfACityOutsideTheCatalogueDoNotWait() throws Exception {
        AnonymousEvent e = bonus("b1", at(2026, 3, 1));
        e.setCity("nirgendwo");
        send(e);
        assertThat(stateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(passedOn()).isEmpty();
    }
}
