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
 * in {@link VoucherFactsFunction}, which holds the person's {@link VoucherFacts}) and the voucher-keyed
 * {@link VoucherCirculation}, its facts passed on as the job's keyBy would. Facts can be held back and released later, to play the persons' facts in another interleaving.
 */
final class VoucherPipeline implements AutoCloseable {
    final ProfileChain profiles;
    final KeyedOneInputStreamOperatorTestHarness<String, VoucherFact, ContributionDelta> vouchers;
    private int factsSeen;
    private final List<VoucherFact> heldBack = new ArrayList<>();

    VoucherPipeline() throws Exception {
        profiles = new ProfileChain(Fixtures.cities(), Duration.ofDays(30));
        vouchers = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new VoucherCirculation(),
                VoucherFact::voucherKey, Types.STRING);
    }

    /** Processes the event and passes its facts on; returns the voucher rows that emitted. */
    List<ContributionDelta> send(AnonymousEvent e) throws Exception {
        int before = deltas().size();
        for (VoucherFact f : factsOf(e)) vouchers.processElement(f, 0L);
        List<ContributionDelta> all = deltas();
        return new ArrayList<>(all.subList(before, all.size()));
    }

    /** Processes the event in the profile operator but holds its facts back. */
    void sendHoldingFacts(AnonymousEvent e) throws Exception {
        heldBack.addAll(factsOf(e));
    }

    /** Passes the held-back facts on. */
    void release() throws Exception {
        for (VoucherFact f : heldBack) vouchers.processElement(f, 0L);
        heldBack.clear();
    }

    private List<VoucherFact> factsOf(AnonymousEvent e) throws Exception {
        profiles.process(e);
        List<VoucherFact> all = facts();
        List<VoucherFact> fresh = new ArrayList<>(all.subList(factsSeen, all.size()));
        factsSeen = all.size();
        return fresh;
    }

    List<VoucherFact> facts() {
        return profiles.voucherFacts();
    }

    List<ContributionDelta> deltas() {
        return vouchers.extractOutputValues();
    }

    int profileStateEntries() {
        return profiles.numKeyedStateEntries();
    }

    int voucherStateEntries() {
        return heapEntries(((AbstractStreamOperator<?>) vouchers.getOperator()).getKeyedStateBackend());
    }

    private static int heapEntries(KeyedStateBackend<?> backend) {
        return ((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
    }

    /** The pseudonyms that hold gift-voucher facts in the person-keyed voucher operator. */
    List<String> personsWithVoucherFacts() throws Exception {
        return keysOf(((AbstractStreamOperator<?>) profiles.voucherOperator().getOneInputOperator()).getKeyedStateBackend(),
                "gift-voucher-facts");
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
        vouchers.close();
    }
}
