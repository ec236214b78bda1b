package de.prokommun.insights.flink.voucher;

import static de.prokommun.insights.flink.Fixtures.anonymous;
import static de.prokommun.insights.flink.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.GiftVoucherRedeemed;
import de.prokommun.insights.events.GiftVoucherSold;
import de.prokommun.insights.flink.Fixtures;
import de.prokommun.insights.flink.ledger.Segment;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The person side of vouchers alone in Flink's keyed operator harness: facts handed on to the judge with their full
 * amount and the person, an erasure hands every live fact on as removed and leaves no state; the change record
 * travels with Flink's POJO serializer.
 */
class VoucherFactsFunctionTest {
    private static final String ANNA = "pseudonym-anna";
    private KeyedOneInputStreamOperatorTestHarness<String, PersonVoucherChange, PersonVoucherChange> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new VoucherFactsFunction(Fixtures.cities()),
                PersonVoucherChange::pseudonym, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static Segment segment() {
        Segment s = new Segment();
        s.ageBand = "30-39";
        s.gender = "FEMALE";
        s.district = "Saarn";
        s.householdType = "SINGLE";
        s.personas = new String[] {"single"};
        return s;
    }

    private void send(String id, Object payload) throws Exception {
        VoucherFact fact = VoucherFacts.factOf(anonymous(ANNA, id, at(2026, 3, 2), payload), Fixtures.CITY,
                Fixtures.BERLIN, segment());
        harness.processElement(PersonVoucherChange.recorded(ANNA, fact), 0L);
    }

    private int stateEntries() {
        var backend = ((AbstractStreamOperator<?>) harness.getOneInputOperator()).getKeyedStateBackend();
        return ((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
    }

    @Test
    void factsAreHandedOnWithTheirFullAmountToTheJudgeAndErasureRemovesThemAll() throws Exception {
        send("s1", new GiftVoucherSold("V1", 2500L));
        send("r1", new GiftVoucherRedeemed("V2", 1_000_000L, null)); // beyond any cap: the cut is the judge's successor's
        List<PersonVoucherChange> live = harness.extractOutputValues();
        assertThat(live).extracting(c -> c.fact.voucher).containsExactly("V1", "V2");
        assertThat(live).extracting(c -> c.fact.amountCents).containsExactly(2500L, 1_000_000L);
        assertThat(live).allSatisfy(c -> {
            assertThat(c.fact.live).isTrue();
            assertThat(c.pseudonym).as("the judge's verdict goes back to the person").isEqualTo(ANNA);
        });
        assertThat(stateEntries()).isPositive();

        harness.processElement(PersonVoucherChange.erased(ANNA, Fixtures.CITY), 0L);
        List<PersonVoucherChange> all = harness.extractOutputValues();
        assertThat(all.subList(2, all.size())).extracting(c -> c.fact.voucher + ":" + c.fact.live + ":" + c.pseudonym)
                .containsExactlyInAnyOrder("V1:false:" + ANNA, "V2:false:" + ANNA);
        assertThat(stateEntries()).isZero();
        assertThat(harness.numEventTimeTimers() + harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void theSameFactAgainIsCountedOnce() throws Exception {
        send("s1", new GiftVoucherSold("V1", 2500L));
        send("s1", new GiftVoucherSold("V1", 2500L));
        assertThat(harness.extractOutputValues()).hasSize(1);
    }

    @Test
    void theChangeTravelsWithFlinksPojoSerializerEvenWithGenericTypesDisabled() throws Exception {
        TypeInformation<PersonVoucherChange> type = TypeInformation.of(PersonVoucherChange.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false); // a Kryo fallback anywhere in the record would throw here
        var serializer = type.createSerializer(config);
        VoucherFact fact = VoucherFacts.factOf(anonymous(ANNA, "s1", at(2026, 3, 2), new GiftVoucherSold("V1", 2500L)),
                Fixtures.CITY, Fixtures.BERLIN, segment());
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(PersonVoucherChange.recorded(ANNA, fact), out);
        PersonVoucherChange copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(copy.pseudonym).isEqualTo(ANNA);
        assertThat(copy.fact.voucher).isEqualTo("V1");
        assertThat(copy.fact.role).isEqualTo(VoucherRole.SOLD);
        assertThat(copy.fact.segment.personas).containsExactly("single");
    }
}
