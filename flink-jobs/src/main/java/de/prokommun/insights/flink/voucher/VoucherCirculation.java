package de.prokommun.insights.flink.voucher;

import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.flink.events.DeadLetters;
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
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.BooleanSerializer;
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
 * <p>
 * A voucher id is one issuer's (issue 15): the participant whose sale of it arrived first is its issuer, and a sale
 * of the same id by another participant is a dead letter (stage {@value #STAGE}, field {@code data.voucher}, metric
 * {@code foreignVoucherSales}) that contributes no row, so it can neither take the voucher's redemptions away from
 * the issuer's links nor add to them. Its later cut changes and its removal (erasure) are absorbed silently.
 * Redemptions are the redeemer's own assertion: a city gift voucher may be redeemed at any participant
 * (docs/EVENTS.md), so a redemption of another shop's voucher is counted for the redeemer. State written before the
 * issuer was kept takes the seller of the earliest live sale as the issuer.
 * <p>
 * A voucher is redeemed at most for its sold value as the issuer sent it (issue 15, finding 6; the uncut amounts,
 * {@link VoucherLinks#overRedeemed}): a redemption that does not fit is dead-lettered (stage {@value #STAGE}, field
 * {@code data.amountCents}, metric {@code overRedemptions}) once, when it first turns out to be one (at its own
 * arrival, or when an earlier redemption or the sale arrives later), and has no row. The rows are a function of the
 * live facts, so an erasure of the sale (no sale: nothing is judged) or of an earlier redemption makes room, and a
 * redemption that fits again is counted again (no second dead letter).
 */
public final class VoucherCirculation extends KeyedProcessFunction<String, VoucherFact, ContributionDelta> {
    private static final long serialVersionUID = 1L;
    /** The stage named in this operator's dead letters. */
    public static final String STAGE = "voucher-circulation";

    private transient MapState<String, VoucherFact> live;
    private transient MapState<String, LedgerRow> emitted;
    private transient Counter unknownRemovals;
    private transient ValueState<String> issuer;
    private transient MapState<String, Boolean> refused;
    private transient Counter foreignSales;
    /** Live redemptions already dead-lettered as over-redemptions (each once), by fact id; gone with the fact. */
    private transient MapState<String, Boolean> overReported;
    private transient Counter overRedemptions;

    @Override
    public void open(OpenContext openContext) {
        live = getRuntimeContext().getMapState(new MapStateDescriptor<>("voucher-live-facts", StringSerializer.INSTANCE,
                VoucherFactSerializer.INSTANCE));
        emitted = getRuntimeContext().getMapState(new MapStateDescriptor<>("voucher-emitted-rows", StringSerializer.INSTANCE,
                LedgerRowSerializer.INSTANCE));
        unknownRemovals = getRuntimeContext().getMetricGroup().counter("unknownVoucherFactRemovals");
        issuer = getRuntimeContext().getState(new ValueStateDescriptor<>("voucher-issuer", StringSerializer.INSTANCE));
        refused = getRuntimeContext().getMapState(new MapStateDescriptor<>("voucher-refused-facts",
                StringSerializer.INSTANCE, BooleanSerializer.INSTANCE));
        foreignSales = getRuntimeContext().getMetricGroup().counter("foreignVoucherSales");
        overReported = getRuntimeContext().getMapState(new MapStateDescriptor<>("voucher-over-redeemed",
                StringSerializer.INSTANCE, BooleanSerializer.INSTANCE));
        overRedemptions = getRuntimeContext().getMetricGroup().counter("overRedemptions");
    }

    @Override
    public void processElement(VoucherFact fact, Context ctx, Collector<ContributionDelta> out) throws Exception {
        if (refused.contains(fact.factId)) { // a refused sale's new cut or removal: it never counted
            if (!fact.live) refused.remove(fact.factId);
            clearIfEmpty();
            return;
        }
        if (fact.live && fact.role == VoucherRole.SOLD && !live.contains(fact.factId)) {
            String owner = issuerOf();
            if (owner != null && !owner.equals(fact.participant)) {
                refuse(fact, owner, ctx);
                return;
            }
            if (owner == null) issuer.update(fact.participant);
        }
        if (fact.live) {
            live.put(fact.factId, fact);
        } else if (live.contains(fact.factId)) {
            live.remove(fact.factId);
            overReported.remove(fact.factId);
        } else { // cannot happen while the person side and this state agree; counted rather than failing the job
            unknownRemovals.inc();
            return;
        }
        List<VoucherFact> facts = new ArrayList<>();
        live.values().forEach(facts::add);
        reportOverRedemptions(facts, ctx);
        emitDifference(VoucherLinks.rowsOf(facts), fact.city, out);
        if (facts.isEmpty()) {
            live.clear();
            emitted.clear();
        }
        clearIfEmpty();
    }

    /** The voucher's issuer; for state from before the issuer was kept, the seller of its earliest live sale. */
    private String issuerOf() throws Exception {
        String known = issuer.value();
        if (known != null) return known;
        VoucherFact first = null;
        for (VoucherFact f : live.values()) {
            if (f.role == VoucherRole.SOLD && (first == null || VoucherLinks.FIRST_SALE.compare(f, first) < 0)) first = f;
        }
        return first == null ? null : first.participant;
    }

    /** Another participant's sale of this voucher id: a dead letter, no row (issue 15). */
    private void refuse(VoucherFact fact, String owner, Context ctx) throws Exception {
        foreignSales.inc();
        refused.put(fact.factId, true);
        ctx.output(DeadLetters.TAG, VoucherDeadLetters.foreignSale(fact, owner, ctx.timerService().currentProcessingTime()));
    }

    /** Dead-letters each over-redemption among the live facts once ({@link VoucherLinks#rowsOf} gives it no row). */
    private void reportOverRedemptions(List<VoucherFact> facts, Context ctx) throws Exception {
        Set<String> over = VoucherLinks.overRedeemed(facts);
        if (over.isEmpty()) return;
        long sold = VoucherLinks.soldValue(facts);
        String owner = issuerOf();
        for (VoucherFact f : facts) {
            if (!over.contains(f.factId) || overReported.contains(f.factId)) continue;
            overReported.put(f.factId, true);
            overRedemptions.inc();
            ctx.output(DeadLetters.TAG, VoucherDeadLetters.overRedemption(f, owner, sold,
                    ctx.timerService().currentProcessingTime()));
        }
    }

    /** With no live and no refused fact left, nothing of the voucher is kept (erasure leaves no state). */
    private void clearIfEmpty() throws Exception {
        if (live.isEmpty() && refused.isEmpty()) {
            live.clear();
            emitted.clear();
            issuer.clear();
            overReported.clear();
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
