package de.prokommun.insights.flink.voucher;

import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.flink.ledger.LedgerRow;
import de.prokommun.insights.flink.ledger.LedgerRowSerializer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by city and gift voucher ({@link VoucherFact#voucherKey}): links a voucher's sale, made by one resident,
 * with its redemptions, usually made by others. It keeps the voucher's live facts and the rows it emitted for each;
 * on every fact it recomputes the rows the live facts contribute ({@link VoucherLinks}) and emits the difference
 * (the old row negated, the new row), so a redemption row gains its seller when the sale arrives and loses it when
 * the buyer is erased. The sum of the emitted rows therefore always equals the rows of the live facts, whatever the
 * order in which the persons' facts arrive. When no live fact remains, the voucher's state is cleared.
 * No timers.
 */
public final class VoucherCirculation extends KeyedProcessFunction<String, VoucherFact, ContributionDelta> {
    private static final long serialVersionUID = 1L;

    private transient MapState<String, VoucherFact> live;
    private transient MapState<String, LedgerRow> emitted;
    private transient Counter unknownRemovals;

    @Override
    public void open(OpenContext openContext) {
        live = getRuntimeContext().getMapState(new MapStateDescriptor<>("voucher-live-facts", StringSerializer.INSTANCE,
                VoucherFactSerializer.INSTANCE));
        emitted = getRuntimeContext().getMapState(new MapStateDescriptor<>("voucher-emitted-rows", StringSerializer.INSTANCE,
                LedgerRowSerializer.INSTANCE));
        unknownRemovals = getRuntimeContext().getMetricGroup().counter("unknownVoucherFactRemovals");
    }

    @Override
    public void processElement(VoucherFact fact, Context ctx, Collector<ContributionDelta> out) throws Exception {
        if (fact.live) {
            live.put(fact.factId, fact);
        } else if (live.contains(fact.factId)) {
            live.remove(fact.factId);
        } else { // cannot happen while the person side and this state agree; counted rather than failing the job
            unknownRemovals.inc();
            return;
        }
        List<VoucherFact> facts = new ArrayList<>();
        live.values().forEach(facts::add);
        emitDifference(VoucherLinks.rowsOf(facts), fact.city, out);
        if (facts.isEmpty()) {
            live.clear();
            emitted.clear();
        }
    }

    /** Moves the emitted rows to the desired ones: per fact, the old row negated and the new one, if they differ. */
    private void emitDifference(Map<String, LedgerRow> desired, String city, Collector<ContributionDelta> out)
            throws Exception {
        Set<String> factIds = new HashSet<>(desired.keySet());
        emitted.keys().forEach(factIds::add);
        for (String id : factIds) {
            LedgerRow before = emitted.get(id);
            LedgerRow after = desired.get(id);
            ContributionDelta plus = after == null ? null : after.toDelta(city, 1);
            if (before != null && plus != null && before.toDelta(city, 1).equals(plus)) continue;
            if (before != null) out.collect(before.toDelta(city, -1));
            if (after != null) {
                out.collect(plus);
                emitted.put(id, after);
            } else {
                emitted.remove(id);
            }
        }
    }
}
