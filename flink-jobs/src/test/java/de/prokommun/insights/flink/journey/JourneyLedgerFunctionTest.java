package de.prokommun.insights.flink.journey;

import de.prokommun.insights.flink.ledger.ReceiptRef;
import static de.prokommun.insights.flink.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.flink.Fixtures;
import de.prokommun.insights.flink.ledger.Segment;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
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
 * The journey operator alone in Flink's keyed operator harness: changes in, journey rows out, and an erasure change
 * negates every row and leaves no state; the change record travels with Flink's POJO serializer, never Kryo.
 */
class JourneyLedgerFunctionTest {
    private static final String ANNA = "pseudonym-anna";
    private KeyedOneInputStreamOperatorTestHarness<String, JourneyChange, ContributionDelta> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new JourneyLedgerFunction(Fixtures.cities()),
                JourneyChange::pseudonym, Types.STRING);
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

    private static JourneyFact visit(String receipt, String participant, long time) {
        JourneyFact f = JourneyFact.of(JourneyFact.PURCHASE, receipt, participant, time);
        f.category = "lebensmittel";
        f.place = "Altstadt";
        f.amountCents = 1200;
        return f;
    }

    private void send(JourneyChange c) throws Exception {
        harness.processElement(c, 0L);
    }

    private int stateEntries() {
        var backend = ((AbstractStreamOperator<?>) harness.getOneInputOperator()).getKeyedStateBackend();
        return ((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
    }

    /** Sums of count, quantity and amount per measure and key columns, zero sums left out. */
    private Map<String, List<Long>> sums() {
        Map<String, long[]> sums = new TreeMap<>();
        for (ContributionDelta d : harness.extractOutputValues()) {
            String key = d.getMeasure() + "|" + d.getDay() + "|" + d.getParticipant() + "|" + d.getCategory() + "|"
                    + d.getCounterpart() + "|" + d.getPlace() + "|" + d.getAgeBand() + "|" + d.getPersonas();
            long[] s = sums.computeIfAbsent(key, k -> new long[3]);
            s[0] += d.getCount();
            s[1] += d.getQuantity();
            s[2] += d.getAmountCents();
        }
        Map<String, List<Long>> out = new TreeMap<>();
        sums.forEach((k, s) -> {
            if (s[0] != 0 || s[1] != 0 || s[2] != 0) out.put(k, List.of(s[0], s[1], s[2]));
        });
        return out;
    }

    @Test
    void visitsBecomeJourneyRowsAndARetractionTakesThemBack() throws Exception {
        send(JourneyChange.added(ANNA, Fixtures.CITY, segment(), visit("R-1", "baeckerei-schmidt", at(2026, 3, 2))));
        Map<String, List<Long>> one = sums();
        assertThat(one).isNotEmpty();
        send(JourneyChange.added(ANNA, Fixtures.CITY, segment(), visit("R-2", "edeka-mueller", at(2026, 3, 3))));
        assertThat(sums()).isNotEqualTo(one);
        send(JourneyChange.retracted(ANNA, Fixtures.CITY, segment(), List.of(new ReceiptRef("baeckerei-schmidt", "R-2"))));
        assertThat(sums()).as("the bakery has no receipt R-2: the supermarket's stays").isNotEqualTo(one);
        send(JourneyChange.retracted(ANNA, Fixtures.CITY, segment(), List.of(new ReceiptRef("edeka-mueller", "R-2"))));
        assertThat(sums()).as("as if only R-1 had been seen").isEqualTo(one);
    }

    @Test
    void erasureNegatesEveryRowAndLeavesNoStateOrTimer() throws Exception {
        send(JourneyChange.added(ANNA, Fixtures.CITY, segment(), visit("R-1", "baeckerei-schmidt", at(2026, 3, 2))));
        send(JourneyChange.added(ANNA, Fixtures.CITY, segment(), visit("R-2", "edeka-mueller", at(2026, 4, 3))));
        assertThat(stateEntries()).isPositive();
        send(JourneyChange.erased(ANNA, Fixtures.CITY));
        assertThat(sums()).as("every journey sum back to zero, per segment too").isEmpty();
        assertThat(stateEntries()).isZero();
        assertThat(harness.numEventTimeTimers() + harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void theChangeTravelsWithFlinksPojoSerializerEvenWithGenericTypesDisabled() throws Exception {
        TypeInformation<JourneyChange> type = TypeInformation.of(JourneyChange.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false); // a Kryo fallback anywhere in the record would throw here
        TypeSerializer<JourneyChange> serializer = type.createSerializer(config);
        JourneyChange change = JourneyChange.retracted(ANNA, Fixtures.CITY, segment(),
                List.of(new ReceiptRef("baeckerei-schmidt", "R-1"), new ReceiptRef("edeka-mueller", "R-2")));
        change.added = visit("R-3", "baeckerei-schmidt", at(2026, 3, 2));
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(change, out);
        JourneyChange copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(copy.retracted()).containsExactly(new ReceiptRef("baeckerei-schmidt", "R-1"),
                new ReceiptRef("edeka-mueller", "R-2"));
        assertThat(copy.segment.personas).containsExactly("single");
        assertThat(copy.added.id).isEqualTo("R-3");
        assertThat(copy.pseudonym).isEqualTo(ANNA);
    }
}
