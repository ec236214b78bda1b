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

/** The de-duplication alone in Flink's keyed operator harness: duplicates dropped, memory forgotten, erasure leaves nothing. */
class EventDeduplicatorTest {
    private static final String ANNA = "pseudonym-anna";
    private static final Duration HORIZON = Duration.ofMinutes(10);
    private KeyedOneInputStreamOperatorTestHarness<String, AnonymousEvent, AnonymousEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new EventDeduplicator(HORIZON),
                AnonymousEvent::getPseudonym, Types.STRING);
        send(anonymous(ANNA, "reg", at(2026, 3, 1), registration(1990, HouseholdType.SINGLE, true)));
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

    private static AnonymousEvent bonus(String id, String participant) {
        AnonymousEvent e = anonymous(ANNA, id, at(2026, 3, 2), new BonusPointsEarned(10L, null));
        e.setParticipant(participant);
        return e;
    }

    @Test
    void theSameParticipantAndEventIdPassOnce() throws Exception {
        send(bonus("b1", "baeckerei"));
        send(bonus("b1", "baeckerei"));
        send(bonus("b1", "metzgerei"));
        assertThat(passedOn()).containsExactly("reg", "b1", "b1");
        assertThat(harness.extractOutputValues().get(2).getParticipant()).isEqualTo("metzgerei");
    }

    @Test
    void idsAreForgottenAfterTheHorizon() throws Exception {
        harness.setProcessingTime(HORIZON.toMillis() / 2);
        send(bonus("b1", "baeckerei"));
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        harness.setProcessingTime(HORIZON.toMillis());
        assertThat(harness.numProcessingTimeTimers()).as("moved on to the id remembered later").isEqualTo(1);
        send(anonymous(ANNA, "reg", at(2026, 3, 3), registration(1990, HouseholdType.SINGLE, true)));
        send(bonus("b1", "baeckerei"));
        assertThat(passedOn()).as("the registration forgotten, b1 still remembered").containsExactly("reg", "b1", "reg");
        harness.setProcessingTime(HORIZON.toMillis() * 2);
        harness.setProcessingTime(HORIZON.toMillis() * 2 + 1); // the timer moved to 2 × horizon fires on the next tick
        assertThat(harness.numProcessingTimeTimers()).as("everything forgotten, no timer left").isZero();
        assertThat(stateEntries()).isZero();
    }

    @Test
    void erasureClearsTheMemoryAndItsTimerAndIsPassedOn() throws Exception {
        send(bonus("b1", "baeckerei"));
        assertThat(stateEntries()).isPositive();
        send(anonymous(ANNA, "x", at(2026, 3, 3), new ErasureRequested(null)));
        assertThat(stateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers() + harness.numEventTimeTimers()).isZero();
        send(anonymous(ANNA, "reg", at(2026, 3, 4), registration(1990, HouseholdType.SINGLE, true)));
        assertThat(passedOn()).as("a re-registration starts afresh").containsExactly("reg", "b1", "x", "reg");
    }

    @Test
    void withdrawalClearsTheMemoryToo() throws Exception {
        send(bonus("b1", "baeckerei"));
        send(anonymous(ANNA, "k", at(2026, 3, 3), new ConsentChanged(false, null, null)));
        assertThat(passedOn()).containsExactly("reg", "b1", "k");
        assertThat(stateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }
}
