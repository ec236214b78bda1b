package de.prokommun.insights.flink.voucher;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.flink.Fixtures;
import de.prokommun.insights.flink.profile.ProfileChain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/**
 * The job's voucher path in Flink's operator harnesses: the person-keyed profile chain ({@link ProfileChain}, ending
 * in {@link VoucherFactsFunction}, which holds the person's {@link VoucherFacts}), the voucher-keyed
 * {@link VoucherJudge}, the person-keyed {@link VoucherCutFunction} and the voucher-keyed {@link VoucherCirculation},
 * each output passed on at once as the job's keyBy would (one harness per operator serves every key). The person
 * side's facts can be held back and released later, to play the persons' facts in another interleaving.
 */
final class VoucherPipeline implements AutoCloseable {
    final ProfileChain profiles;
    final KeyedOneInputStreamOperatorTestHarness<String, PersonVoucherChange, PersonVoucherChange> judge;
    final KeyedOneInputStreamOperatorTestHarness<String, PersonVoucherChange, VoucherFact> cuts;
    final KeyedOneInputStreamOperatorTestHarness<String, VoucherFact, ContributionDelta> vouchers;
    private int factsSeen;
    private int judgedSeen;
    private int cutSeen;
    private final List<PersonVoucherChange> heldBack = new ArrayList<>();

    VoucherPipeline() throws Exception {
        profiles = new ProfileChain(Fixtures.cities(), Duration.ofDays(30));
        judge = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new VoucherJudge(),
                PersonVoucherChange::voucherKey, Types.STRING);
        cuts = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new VoucherCutFunction(Fixtures.cities()),
                PersonVoucherChange::pseudonym, Types.STRING);
        vouchers = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new VoucherCirculation(),
                VoucherFact::voucherKey, Types.STRING);
    }

    /** Processes the event and passes its facts on; returns the voucher rows that emitted. */
    List<ContributionDelta> send(AnonymousEvent e) throws Exception {
        int before = deltas().size();
        for (PersonVoucherChange c : factsOf(e)) pass(c);
        List<ContributionDelta> all = deltas();
        return new ArrayList<>(all.subList(before, all.size()));
    }

    /** Processes the event in the profile operator but holds its facts back. */
    void sendHoldingFacts(AnonymousEvent e) throws Exception {
        heldBack.addAll(factsOf(e));
    }

    /** Passes the held-back facts on. */
    void release() throws Exception {
        for (PersonVoucherChange c : heldBack) pass(c);
        heldBack.clear();
    }

    /** One fact of the person side through the judge, the cut and the circulation, every output at once. */
    private void pass(PersonVoucherChange change) throws Exception {
        judge.processElement(change, 0L);
        List<PersonVoucherChange> judged = judge.extractOutputValues();
        for (PersonVoucherChange j : judged.subList(judgedSeen, judged.size())) {
            cuts.processElement(j, 0L);
        }
        judgedSeen = judged.size();
        List<VoucherFact> cut = cuts.extractOutputValues();
        for (VoucherFact f : cut.subList(cutSeen, cut.size())) vouchers.processElement(f, 0L);
        cutSeen = cut.size();
    }

    private List<PersonVoucherChange> factsOf(AnonymousEvent e) throws Exception {
        profiles.process(e);
        List<PersonVoucherChange> all = profiles.voucherFacts();
        List<PersonVoucherChange> fresh = new ArrayList<>(all.subList(factsSeen, all.size()));
        factsSeen = all.size();
        return fresh;
    }

    /** The facts handed to the circulation (cut, without the pseudonym). */
    List<VoucherFact> facts() {
        return cuts.extractOutputValues();
    }

    List<ContributionDelta> deltas() {
        return vouchers.extractOutputValues();
    }

    int profileStateEntries() {
        return profiles.numKeyedStateEntries();
    }

    /** Keyed state entries of the judge, the cuts and the circulation. */
    int voucherStateEntries() {
        return heapEntries(((AbstractStreamOperator<?>) judge.getOperator()).getKeyedStateBackend())
                + heapEntries(((AbstractStreamOperator<?>) cuts.getOperator()).getKeyedStateBackend())
                + heapEntries(((AbstractStreamOperator<?>) vouchers.getOperator()).getKeyedStateBackend());
    }

    /** Timers of the judge, the cuts and the circulation. */
    int voucherTimers() {
        return judge.numEventTimeTimers() + judge.numProcessingTimeTimers() + cuts.numEventTimeTimers()
                + cuts.numProcessingTimeTimers() + vouchers.numEventTimeTimers() + vouchers.numProcessingTimeTimers();
    }

    private static int heapEntries(KeyedStateBackend<?> backend) {
        return ((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
    }

    /** The pseudonyms that hold gift-voucher facts in the person-keyed voucher operator. */
    List<String> personsWithVoucherFacts() throws Exception {
        return keysOf(((AbstractStreamOperator<?>) profiles.voucherOperator().getOneInputOperator()).getKeyedStateBackend(),
                "gift-voucher-facts");
    }

    /** The pseudonyms that hold facts in the person-keyed cut. */
    List<String> personsWithVoucherCuts() throws Exception {
        return keysOf(((AbstractStreamOperator<?>) cuts.getOperator()).getKeyedStateBackend(), "gift-voucher-cuts");
    }

    /** The live facts the voucher operator holds for a voucher of the test city. */
    List<VoucherFact> liveFactsOf(String voucher) throws Exception {
        KeyedStateBackend<Object> backend = ((AbstractStreamOperator<?>) vouchers.getOperator()).getKeyedStateBackend();
        backend.setCurrentKey(Fixtures.CITY + '\u001f' + voucher);
        MapState<String, VoucherFact> live = backend.getPartitionedState(VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE, new MapStateDescriptor<>("voucher-live-facts", Types.STRING,
                        TypeInformation.of(VoucherFact.class)));
        List<VoucherFact> out = new ArrayList<>();
        live.values().forEach(out::add);
        return out;
    }

    private static List<String> keysOf(KeyedStateBackend<?> backend, String state) {
        List<String> keys = new ArrayList<>();
        backend.getKeys(state, VoidNamespace.INSTANCE).forEach(k -> keys.add((String) k));
        return keys;
    }

    @Override
    public void close() throws Exception {
        profiles.close();
        judge.close();
        cuts.close();
        vouchers.close();
    }
}
