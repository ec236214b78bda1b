package de.prokommun.insights.flink.anonymize;

import static de.prokommun.insights.flink.Fixtures.anonymous;
import static de.prokommun.insights.flink.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.AnonymousCardLinked;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.ErasureRequested;
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
    private KeyedOneInputStreamOperatorTestHarness<String, PseudonymisedEvent, AnonymousEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new ResidentCards()),
                e -> e.event.getPseudonym(), Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(String eventId, Object payload) throws Exception {
        harness.processElement(new PseudonymisedEvent(anonymous(ANNA, eventId, at(2026, 3, 10), payload), null), 0L);
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
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers() + harness.numEventTimeTimers()).isZero();
    }
}
