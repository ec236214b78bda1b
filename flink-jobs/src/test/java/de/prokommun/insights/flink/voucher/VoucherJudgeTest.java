package de.prokommun.insights.flink.voucher;

import static de.prokommun.insights.flink.voucher.VoucherLinksTest.at;
import static de.prokommun.insights.flink.voucher.VoucherLinksTest.fact;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.DeadLetter;
import de.prokommun.insights.flink.events.DeadLetters;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The voucher-keyed judge alone: verdicts back to the persons, changed verdicts again, dead letters once, no state left. */
class VoucherJudgeTest {
    private KeyedOneInputStreamOperatorTestHarness<String, PersonVoucherChange, PersonVoucherChange> harness;

    private final VoucherFact sale = fact("s", VoucherRole.SOLD, "V1", "buchhandlung", at(2026, 3, 1, 10), 5_000, "35-49");
    private final VoucherFact forged = fact("f", VoucherRole.REDEEMED, "V1", "getraenke", at(2026, 3, 2, 9), 900_000, "35-49");
    private final VoucherFact cafe = fact("r1", VoucherRole.REDEEMED, "V1", "cafe", at(2026, 3, 4, 9), 5_000, "18-24");

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new VoucherJudge(), PersonVoucherChange::voucherKey,
                Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private List<String> send(String person, VoucherFact f) throws Exception {
        int before = harness.extractOutputValues().size();
        harness.processElement(PersonVoucherChange.of(person, f), 0L);
        List<PersonVoucherChange> all = harness.extractOutputValues();
        List<String> out = new ArrayList<>();
        for (PersonVoucherChange c : all.subList(before, all.size())) {
            out.add(c.pseudonym + ":" + c.fact.factId.substring(c.fact.factId.indexOf('\u001f') + 1) + ":"
                    + (c.fact.live ? (c.counted ? "counts" : "not counted") : "removed"));
        }
        return out;
    }

    private List<DeadLetter> deadLetters() {
        List<DeadLetter> dead = new ArrayList<>();
        var output = harness.getSideOutput(DeadLetters.TAG);
        if (output != null) output.forEach(r -> dead.add(r.getValue()));
        return dead;
    }

    private int stateEntries() {
        return ((HeapKeyedStateBackend<?>) ((AbstractStreamOperator<?>) harness.getOperator()).getKeyedStateBackend())
                .numKeyValueStateEntries();
    }

    @Test
    void aRedemptionBeforeItsSaleCountsUntilTheSaleShowsItDoesNotFitThenGoesBackToItsPersonAsNotCounted()
            throws Exception {
        assertThat(send("bert", forged)).containsExactly("bert:f:counts"); // nothing to judge against yet
        assertThat(send("carla", cafe)).containsExactly("carla:r1:counts");
        // the sale: bert's 900,000 does not fit its 5,000 (not counted, first), carla's 5,000 does (unchanged: not sent)
        assertThat(send("anna", sale)).containsExactly("bert:f:not counted", "anna:s:counts");
        assertThat(deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.getEventId()).isEqualTo("f");
            assertThat(d.getReason()).contains("data.amountCents").contains("'getraenke'").doesNotContain("bert");
        });
        assertThat(send("anna", sale.retraction())).as("no sale: nothing judged")
                .containsExactly("anna:s:removed", "bert:f:counts");
        assertThat(deadLetters()).hasSize(1);
        assertThat(send("bert", forged.retraction())).containsExactly("bert:f:removed");
        assertThat(send("carla", cafe.retraction())).containsExactly("carla:r1:removed");
        assertThat(stateEntries()).isZero();
    }

    @Test
    void anotherIssuersSaleGoesNoFurtherAndItsRemovalLeavesNoState() throws Exception {
        send("anna", sale);
        VoucherFact foreign = fact("x", VoucherRole.SOLD, "V1", "getraenke", at(2026, 2, 1, 10), 50_000, "35-49");
        assertThat(send("bert", foreign)).isEmpty();
        assertThat(deadLetters()).singleElement().satisfies(d -> assertThat(d.getReason()).contains("data.voucher"));
        assertThat(send("bert", foreign.retraction())).isEmpty();
        send("anna", sale.retraction());
        assertThat(stateEntries()).isZero();
    }

    @Test
    void theRemovalOfAFactItNeverHeldGoesOnSoTheErasureReachesTheRows() throws Exception {
        // state restored from before the judge: the circulation may still hold the fact
        assertThat(send("anna", sale.retraction())).containsExactly("anna:s:removed");
        assertThat(stateEntries()).isZero();
        assertThat(harness.numEventTimeTimers() + harness.numProcessingTimeTimers()).isZero();
    }
}
