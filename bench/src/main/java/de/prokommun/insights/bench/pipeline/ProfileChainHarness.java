package de.prokommun.insights.bench.pipeline;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.ProductGroupMapping;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.flink.city.CityCatalog;
import de.prokommun.insights.flink.journey.JourneyChange;
import de.prokommun.insights.flink.journey.JourneyLedgerFunction;
import de.prokommun.insights.flink.ledger.ProductGroupCategoriser;
import de.prokommun.insights.flink.ledger.ProductGroups;
import de.prokommun.insights.flink.profile.EventDeduplicator;
import de.prokommun.insights.flink.profile.ProfileBuilder;
import de.prokommun.insights.flink.profile.RegistrationWait;
import de.prokommun.insights.flink.state.StateAccessTotals;
import de.prokommun.insights.flink.voucher.PersonVoucherChange;
import de.prokommun.insights.flink.voucher.VoucherFactsFunction;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/**
 * The profile job's operators as the job chains them (ProductGroupCategoriser in front of the shuffle, then the
 * person-keyed RegistrationWait → EventDeduplicator → ProfileBuilder → JourneyLedgerFunction and VoucherFactsFunction),
 * each in Flink's operator harness on its own RocksDB state backend, every record passed on to the next operator at
 * once. Serialisation between the operators is not in it (the harness hands objects over), as in the job with object
 * reuse inside one chain.
 */
final class ProfileChainHarness implements AutoCloseable {
    private final RegistrationWait waitFunction;
    private final EventDeduplicator dedupeFunction;
    private final ProfileBuilder builder;
    private final KeyedOneInputStreamOperatorTestHarness<String, AnonymousEvent, AnonymousEvent> wait;
    private final KeyedOneInputStreamOperatorTestHarness<String, AnonymousEvent, AnonymousEvent> dedupe;
    private final BroadcastOperatorTestHarness<AnonymousEvent, ProductGroupMapping, AnonymousEvent> categoriser;
    private final KeyedOneInputStreamOperatorTestHarness<String, AnonymousEvent, ProfileRow> profile;
    private final JourneyLedgerFunction journeyFunction;
    private final KeyedOneInputStreamOperatorTestHarness<String, JourneyChange, ContributionDelta> journey;
    private final VoucherFactsFunction voucherFunction;
    private final KeyedOneInputStreamOperatorTestHarness<String, PersonVoucherChange, PersonVoucherChange> vouchers;

    ProfileChainHarness(CityCatalog cities, Duration dedupeHorizon, Configuration rocksDbOptions) throws Exception {
        waitFunction = new RegistrationWait(cities);
        dedupeFunction = new EventDeduplicator(dedupeHorizon);
        builder = new ProfileBuilder(cities);
        wait = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(waitFunction),
                AnonymousEvent::getPseudonym, Types.STRING, 1, 1, 0);
        dedupe = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(dedupeFunction),
                AnonymousEvent::getPseudonym, Types.STRING, 1, 1, 0);
        categoriser = ProcessFunctionTestHarnesses.forBroadcastProcessFunction(new ProductGroupCategoriser(),
                ProductGroups.DESCRIPTOR);
        profile = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(builder),
                AnonymousEvent::getPseudonym, Types.STRING, 1, 1, 0);
        journeyFunction = new JourneyLedgerFunction(cities);
        journey = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(journeyFunction),
                JourneyChange::pseudonym, Types.STRING, 1, 1, 0);
        voucherFunction = new VoucherFactsFunction(cities);
        vouchers = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(voucherFunction),
                PersonVoucherChange::pseudonym, Types.STRING, 1, 1, 0);
        for (AbstractStreamOperatorTestHarness<?> h : List.of(wait, dedupe, profile, journey, vouchers)) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend()
                    .configure(rocksDbOptions, ProfileChainHarness.class.getClassLoader()));
            h.open();
        }
    }

    void processElement(AnonymousEvent e, long timestamp) throws Exception {
        categoriser.processElement(e, timestamp);
        Object out;
        while ((out = categoriser.getOutput().poll()) != null) {
            if (out instanceof StreamRecord<?> r) wait.processElement(event(r));
        }
        while ((out = wait.getOutput().poll()) != null) {
            if (out instanceof StreamRecord<?> r) dedupe.processElement(event(r));
            else if (out instanceof Watermark w) dedupe.processWatermark(w);
        }
        while ((out = dedupe.getOutput().poll()) != null) {
            if (out instanceof StreamRecord<?> r) profile.processElement(event(r));
            else if (out instanceof Watermark w) profile.processWatermark(w);
            var changes = profile.getSideOutput(JourneyLedgerFunction.CHANGES);
            StreamRecord<JourneyChange> change;
            while (changes != null && (change = changes.poll()) != null) journey.processElement(change);
            var voucherChanges = profile.getSideOutput(VoucherFactsFunction.CHANGES);
            StreamRecord<PersonVoucherChange> voucherChange;
            while (voucherChanges != null && (voucherChange = voucherChanges.poll()) != null) {
                vouchers.processElement(voucherChange);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static StreamRecord<AnonymousEvent> event(StreamRecord<?> r) {
        return (StreamRecord<AnonymousEvent>) r;
    }

    void processBroadcastElement(ProductGroupMapping m, long timestamp) throws Exception {
        categoriser.processBroadcastElement(m, timestamp);
    }

    void setProcessingTime(long time) throws Exception {
        wait.setProcessingTime(time);
        dedupe.setProcessingTime(time);
        profile.setProcessingTime(time);
        journey.setProcessingTime(time);
        vouchers.setProcessingTime(time);
    }

    /** State entries (and bytes, when measured) read and written by the three operators together. */
    StateAccessTotals stateAccesses() {
        return StateAccessTotals.of(waitFunction.stateAccesses(), dedupeFunction.stateAccesses(), builder.stateAccesses(),
                journeyFunction.stateAccesses(), voucherFunction.stateAccesses());
    }

    @Override
    public void close() throws Exception {
        categoriser.close();
        wait.close();
        dedupe.close();
        profile.close();
        journey.close();
        vouchers.close();
    }
}
