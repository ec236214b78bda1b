package de.prokommun.insights.flink.profile;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.PersonRecord;
import de.prokommun.insights.events.ProductGroupMapping;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.flink.ledger.ContributionLedger;
import de.prokommun.insights.flink.ledger.ProductGroups;
import de.prokommun.insights.flink.records.PersonRecordBook;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/**
 * The profile builder (with its contribution ledger) in Flink's keyed-broadcast operator harness: profile rows,
 * contribution deltas of the side output, keyed state entries and timers.
 */
final class ProfileHarness implements AutoCloseable {
    final KeyedBroadcastOperatorTestHarness<String, AnonymousEvent, ProductGroupMapping, ProfileRow> harness;
    final ProfileBuilder builder;

    ProfileHarness(ProfileBuilder builder) throws Exception {
        this.builder = builder;
        harness = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(builder, AnonymousEvent::getPseudonym,
                Types.STRING, ProductGroups.DESCRIPTOR);
        // The job marks the mapping input idle, so only events drive the clock; the harness cannot mark an input
        // idle, and a maximal watermark on the mapping input has the same effect while events keep coming.
        harness.processBroadcastWatermark(Long.MAX_VALUE);
    }

    /** Processes the event; returns the profile rows it emitted. */
    List<ProfileRow> send(AnonymousEvent e) throws Exception {
        int before = rows().size();
        harness.processElement(e, e.getEventTime());
        List<ProfileRow> all = rows();
        return new ArrayList<>(all.subList(before, all.size()));
    }

    /** Processes the event; returns the contribution deltas it emitted. */
    List<ContributionDelta> deltasOf(AnonymousEvent e) throws Exception {
        int before = deltas().size();
        harness.processElement(e, e.getEventTime());
        List<ContributionDelta> all = deltas();
        return new ArrayList<>(all.subList(before, all.size()));
    }

    void mapping(ProductGroupMapping m) throws Exception {
        harness.processBroadcastElement(m, m.getUpdatedAt());
    }

    List<ProfileRow> rows() {
        return harness.extractOutputValues();
    }

    ProfileRow last() {
        List<ProfileRow> rows = rows();
        return rows.get(rows.size() - 1);
    }

    List<ContributionDelta> deltas() {
        List<ContributionDelta> out = new ArrayList<>();
        var side = harness.getSideOutput(ContributionLedger.DELTAS);
        if (side != null) for (StreamRecord<ContributionDelta> r : side) out.add(r.getValue());
        return out;
    }

    List<PersonRecord> records() {
        List<PersonRecord> out = new ArrayList<>();
        var side = harness.getSideOutput(PersonRecordBook.RECORDS);
        if (side != null) for (StreamRecord<PersonRecord> r : side) out.add(r.getValue());
        return out;
    }

    /** Processes the event; returns the person records it emitted. */
    List<PersonRecord> recordsOf(AnonymousEvent e) throws Exception {
        int before = records().size();
        harness.processElement(e, e.getEventTime());
        List<PersonRecord> all = records();
        return new ArrayList<>(all.subList(before, all.size()));
    }

    int numKeyedStateEntries() {
        var backend = ((AbstractStreamOperator<?>) harness.getTwoInputOperator()).getKeyedStateBackend();
        return ((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
    }

    int numEventTimeTimers() {
        return harness.numEventTimeTimers();
    }

    int numProcessingTimeTimers() {
        return harness.numProcessingTimeTimers();
    }

    void watermark(long time) throws Exception {
        harness.processWatermark(time);
    }

    void processingTime(long time) throws Exception {
        harness.setProcessingTime(time);
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
