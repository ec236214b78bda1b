package de.prokommun.insights.flink.profile;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.PersonRecord;
import de.prokommun.insights.events.ProductGroupMapping;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.flink.city.CityCatalog;
import de.prokommun.insights.flink.journey.JourneyChange;
import de.prokommun.insights.flink.journey.JourneyLedgerFunction;
import de.prokommun.insights.flink.ledger.ContributionLedger;
import de.prokommun.insights.flink.ledger.ProductGroupCategoriser;
import de.prokommun.insights.flink.ledger.ProductGroups;
import de.prokommun.insights.flink.records.PersonRecordBook;
import de.prokommun.insights.flink.state.StateAccessTotals;
import de.prokommun.insights.flink.voucher.PersonVoucherChange;
import de.prokommun.insights.flink.voucher.VoucherFactsFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/**
 * The profile job's operators as the job chains them, each in Flink's operator harness:
 * {@link ProductGroupCategoriser} (in front of the shuffle) → {@link RegistrationWait} → {@link EventDeduplicator} → {@link ProfileBuilder} (with its contribution ledger) →
 * {@link JourneyLedgerFunction} and {@link VoucherFactsFunction}. Every record and
 * watermark an operator emits is passed on to the next one at once, as a chained operator would receive it; the
 * processing-time clock moves for all of them. State entries, timers and state accesses are summed over the chain.
 */
public final class ProfileChain implements AutoCloseable {
    final KeyedOneInputStreamOperatorTestHarness<String, AnonymousEvent, AnonymousEvent> wait;
    final KeyedOneInputStreamOperatorTestHarness<String, AnonymousEvent, AnonymousEvent> dedupe;
    final BroadcastOperatorTestHarness<AnonymousEvent, ProductGroupMapping, AnonymousEvent> categoriser;
    final KeyedOneInputStreamOperatorTestHarness<String, AnonymousEvent, ProfileRow> harness;
    final KeyedOneInputStreamOperatorTestHarness<String, JourneyChange, ContributionDelta> journey;
    final KeyedOneInputStreamOperatorTestHarness<String, PersonVoucherChange, PersonVoucherChange> vouchers;
    final RegistrationWait waitFunction;
    final EventDeduplicator dedupeFunction;
    final ProfileBuilder builder;
    final JourneyLedgerFunction journeyFunction;
    final VoucherFactsFunction voucherFunction;
    /**
     * The contribution deltas of the profile operator and of the journey operator in the order they are emitted
     * for each input of the profile operator: its own first, then the journey's (the order of the single operator
     * before the split; in the job the two streams are merged into one topic, and only sums matter).
     */
    private final List<ContributionDelta> deltas = new ArrayList<>();

    public ProfileChain(CityCatalog cities, Duration dedupeHorizon) throws Exception {
        this(cities, dedupeHorizon, FlinkJobsConfig.UNKNOWN_PERSON_WAIT.defaultValue(),
                FlinkJobsConfig.UNKNOWN_PERSON_BUFFER.defaultValue());
    }

    public ProfileChain(CityCatalog cities, Duration dedupeHorizon, Duration unknownPersonWait, int maxWaitingEvents)
            throws Exception {
        waitFunction = new RegistrationWait(cities, unknownPersonWait, maxWaitingEvents);
        dedupeFunction = new EventDeduplicator(dedupeHorizon);
        builder = new ProfileBuilder(cities);
        journeyFunction = new JourneyLedgerFunction(cities);
        journey = ProcessFunctionTestHarnesses.forKeyedProcessFunction(journeyFunction, JourneyChange::pseudonym,
                Types.STRING);
        voucherFunction = new VoucherFactsFunction(cities);
        vouchers = ProcessFunctionTestHarnesses.forKeyedProcessFunction(voucherFunction, PersonVoucherChange::pseudonym,
                Types.STRING);
        wait = ProcessFunctionTestHarnesses.forKeyedProcessFunction(waitFunction, AnonymousEvent::getPseudonym, Types.STRING);
        dedupe = ProcessFunctionTestHarnesses.forKeyedProcessFunction(dedupeFunction, AnonymousEvent::getPseudonym,
                Types.STRING);
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(builder, AnonymousEvent::getPseudonym, Types.STRING);
        categoriser = ProcessFunctionTestHarnesses.forBroadcastProcessFunction(new ProductGroupCategoriser(),
                ProductGroups.DESCRIPTOR);
    }

    /** Processes the event; returns the profile rows it emitted. */
    public List<ProfileRow> send(AnonymousEvent e) throws Exception {
        int before = rows().size();
        process(e);
        List<ProfileRow> all = rows();
        return new ArrayList<>(all.subList(before, all.size()));
    }

    /** Processes the event; returns the contribution deltas it emitted. */
    public List<ContributionDelta> deltasOf(AnonymousEvent e) throws Exception {
        int before = deltas().size();
        process(e);
        List<ContributionDelta> all = deltas();
        return new ArrayList<>(all.subList(before, all.size()));
    }

    /** Processes the event; returns the person records it emitted. */
    public List<PersonRecord> recordsOf(AnonymousEvent e) throws Exception {
        int before = records().size();
        process(e);
        List<PersonRecord> all = records();
        return new ArrayList<>(all.subList(before, all.size()));
    }

    /** Processes the event with its event time as the record's timestamp (as the job's timestamp assigner does). */
    public void process(AnonymousEvent e) throws Exception {
        categoriser.processElement(e, e.getEventTime());
        Object out;
        while ((out = categoriser.getOutput().poll()) != null) {
            if (out instanceof StreamRecord<?> r) wait.processElement(event(r));
        }
        passOn();
    }

    public void mapping(ProductGroupMapping m) throws Exception {
        categoriser.processBroadcastElement(m, m.getUpdatedAt());
    }

    /** Everything the first two operators emitted so far, handed to the next operator in order. */
    private void passOn() throws Exception {
        Object out;
        while ((out = wait.getOutput().poll()) != null) {
            if (out instanceof StreamRecord<?> r) dedupe.processElement(event(r));
            else if (out instanceof Watermark w) dedupe.processWatermark(w);
        }
        while ((out = dedupe.getOutput().poll()) != null) {
            if (out instanceof StreamRecord<?> r) harness.processElement(event(r));
            else if (out instanceof Watermark w) harness.processWatermark(w);
            passOnFromProfile();
        }
    }

    /** The profile operator's journey changes to the journey operator; both operators' deltas to {@link #deltas}. */
    private void passOnFromProfile() throws Exception {
        var ledger = harness.getSideOutput(ContributionLedger.DELTAS);
        StreamRecord<ContributionDelta> delta;
        while (ledger != null && (delta = ledger.poll()) != null) deltas.add(delta.getValue());
        var changes = harness.getSideOutput(JourneyLedgerFunction.CHANGES);
        StreamRecord<JourneyChange> change;
        while (changes != null && (change = changes.poll()) != null) journey.processElement(change);
        Object out;
        while ((out = journey.getOutput().poll()) != null) {
            if (out instanceof StreamRecord<?> r) deltas.add((ContributionDelta) r.getValue());
        }
        var voucherChanges = harness.getSideOutput(VoucherFactsFunction.CHANGES);
        StreamRecord<PersonVoucherChange> voucherChange;
        while (voucherChanges != null && (voucherChange = voucherChanges.poll()) != null) {
            vouchers.processElement(voucherChange);
        }
    }

    @SuppressWarnings("unchecked")
    private static StreamRecord<AnonymousEvent> event(StreamRecord<?> r) {
        return (StreamRecord<AnonymousEvent>) r;
    }

    /** The profile operator's harness (its keyed state backend, side outputs). */
    public KeyedOneInputStreamOperatorTestHarness<String, AnonymousEvent, ProfileRow> profileOperator() {
        return harness;
    }

    public List<ProfileRow> rows() {
        return harness.extractOutputValues();
    }

    public ProfileRow last() {
        List<ProfileRow> rows = rows();
        return rows.get(rows.size() - 1);
    }

    /** Every contribution delta so far, of the profile and the journey operator (see {@link #deltas}). */
    public List<ContributionDelta> deltas() {
        return new ArrayList<>(deltas);
    }

    public List<PersonRecord> records() {
        List<PersonRecord> out = new ArrayList<>();
        var side = harness.getSideOutput(PersonRecordBook.RECORDS);
        if (side != null) for (StreamRecord<PersonRecord> r : side) out.add(r.getValue());
        return out;
    }

    /** The gift-voucher facts the person-keyed voucher operator handed on so far (to VoucherJudge in the job). */
    public List<PersonVoucherChange> voucherFacts() {
        return vouchers.extractOutputValues();
    }

    /** The person-keyed voucher operator's harness (its keyed state backend). */
    public KeyedOneInputStreamOperatorTestHarness<String, PersonVoucherChange, PersonVoucherChange> voucherOperator() {
        return vouchers;
    }

    /** Keyed state entries (heap backend) of every operator of the chain, summed. */
    /**
     * Keyed state entries holding anything of a person: every entry of the chain but the last versions the profile
     * operator keeps after an erasure or withdrawal ({@link ErasedVersions}: two numbers, see
     * {@link #erasedVersionsOf} and {@link #numAllKeyedStateEntries}).
     */
    public int numKeyedStateEntries() {
        return numAllKeyedStateEntries() - numErasedVersionMarks();
    }

    /** Every keyed state entry of the chain, the erased persons' last versions included. */
    public int numAllKeyedStateEntries() {
        return entriesOf(wait.getOneInputOperator()) + entriesOf(dedupe.getOneInputOperator())
                + entriesOf(harness.getOneInputOperator()) + entriesOf(journey.getOneInputOperator())
                + entriesOf(vouchers.getOneInputOperator());
    }

    /** Persons whose last versions the profile operator keeps after their erasure or withdrawal. */
    public int numErasedVersionMarks() {
        return (int) profileBackend().getKeys(ERASED_VERSIONS.getName(),
                org.apache.flink.runtime.state.VoidNamespace.INSTANCE).count();
    }

    /** What the profile operator keeps of an erased or withdrawn person (null if nothing). */
    public ErasedVersions erasedVersionsOf(String person) throws Exception {
        var backend = profileBackend();
        backend.setCurrentKey(person);
        return backend.getPartitionedState(org.apache.flink.runtime.state.VoidNamespace.INSTANCE,
                org.apache.flink.runtime.state.VoidNamespaceSerializer.INSTANCE, ERASED_VERSIONS).value();
    }

    private static final org.apache.flink.api.common.state.ValueStateDescriptor<ErasedVersions> ERASED_VERSIONS =
            new org.apache.flink.api.common.state.ValueStateDescriptor<>("erased-versions",
                    org.apache.flink.api.common.typeinfo.TypeInformation.of(ErasedVersions.class));

    @SuppressWarnings("unchecked")
    private org.apache.flink.runtime.state.KeyedStateBackend<String> profileBackend() {
        return (org.apache.flink.runtime.state.KeyedStateBackend<String>)
                (org.apache.flink.runtime.state.KeyedStateBackend<?>)
                        ((AbstractStreamOperator<?>) harness.getOneInputOperator()).getKeyedStateBackend();
    }

    /** Keyed state entries of one operator of the chain: 0 wait, 1 dedupe, 2 profile, 3 journey, 4 vouchers. */
    public int numKeyedStateEntriesOf(int operator) {
        return switch (operator) {
            case 0 -> entriesOf(wait.getOneInputOperator());
            case 1 -> entriesOf(dedupe.getOneInputOperator());
            case 2 -> entriesOf(harness.getOneInputOperator()) - numErasedVersionMarks();
            case 3 -> entriesOf(journey.getOneInputOperator());
            default -> entriesOf(vouchers.getOneInputOperator());
        };
    }

    /**
     * A string-keyed map state of one operator of the chain (2 profile, 3 journey) for this person, as the operator
     * registered it: for tests that put state into the layout an older version wrote.
     */
    public <V> org.apache.flink.api.common.state.MapState<String, V> mapStateOf(int operator, String person, String name,
            org.apache.flink.api.common.typeutils.TypeSerializer<V> values) throws Exception {
        Object op = operator == 2 ? harness.getOneInputOperator() : journey.getOneInputOperator();
        @SuppressWarnings("unchecked")
        org.apache.flink.runtime.state.KeyedStateBackend<String> backend = (org.apache.flink.runtime.state.KeyedStateBackend<String>)
                (org.apache.flink.runtime.state.KeyedStateBackend<?>) ((AbstractStreamOperator<?>) op).getKeyedStateBackend();
        backend.setCurrentKey(person);
        return backend.getPartitionedState(org.apache.flink.runtime.state.VoidNamespace.INSTANCE,
                org.apache.flink.runtime.state.VoidNamespaceSerializer.INSTANCE,
                new org.apache.flink.api.common.state.MapStateDescriptor<>(name,
                        org.apache.flink.api.common.typeutils.base.StringSerializer.INSTANCE, values));
    }

    private static int entriesOf(Object operator) {
        var backend = ((AbstractStreamOperator<?>) operator).getKeyedStateBackend();
        return ((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
    }

    public int numEventTimeTimers() {
        return wait.numEventTimeTimers() + dedupe.numEventTimeTimers() + harness.numEventTimeTimers()
                + journey.numEventTimeTimers() + vouchers.numEventTimeTimers();
    }

    public int numProcessingTimeTimers() {
        return wait.numProcessingTimeTimers() + dedupe.numProcessingTimeTimers() + harness.numProcessingTimeTimers()
                + journey.numProcessingTimeTimers() + vouchers.numProcessingTimeTimers();
    }

    /** Keyed state entries read and written by all operators of the chain. */
    public StateAccessTotals stateAccesses() {
        return StateAccessTotals.of(waitFunction.stateAccesses(), dedupeFunction.stateAccesses(), builder.stateAccesses(),
                journeyFunction.stateAccesses(), voucherFunction.stateAccesses());
    }

    public void watermark(long time) throws Exception {
        wait.processWatermark(time);
        passOn();
        passOnFromProfile(); // the profile operator's timers (retention, re-evaluation) fired on the watermark
    }

    public void processingTime(long time) throws Exception {
        for (AbstractStreamOperatorTestHarness<?> h : List.of(categoriser, wait, dedupe, harness, journey, vouchers)) {
            h.setProcessingTime(time);
            passOn();
            passOnFromProfile();
        }
    }

    @Override
    public void close() throws Exception {
        categoriser.close();
        wait.close();
        dedupe.close();
        harness.close();
        journey.close();
        vouchers.close();
    }
}
