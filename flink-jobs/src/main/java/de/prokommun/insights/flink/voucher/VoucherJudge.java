package de.prokommun.insights.flink.voucher;

import de.prokommun.insights.flink.events.DeadLetters;
import java.util.ArrayList;
import java.util.List;
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
 * Keyed by city and gift voucher, in front of the persons' monthly cuts: decides which of the voucher's facts count,
 * from the amounts as sent (issue 15). Because the verdict comes before the cut ({@link VoucherCutFunction}), a fact
 * that does not count uses up nothing of its person's month: a forged over-redemption in a resident's name cannot
 * lower the counted amount of that resident's legitimate redemptions.
 * <ul>
 *   <li>A voucher id is one issuer's: the participant whose sale arrived first. Another participant's sale of the id
 *       is a dead letter ({@code data.voucher}, metric {@code foreignVoucherSales}) and goes no further; its removal
 *       (erasure) is absorbed.</li>
 *   <li>A redemption beyond the voucher's sold value ({@link VoucherLinks#overRedeemed}, time order, amounts as sent)
 *       is a dead letter once ({@code data.amountCents}, metric {@code overRedemptions}) and goes on with
 *       {@code counted = false}; when the verdict of a fact changes (an earlier redemption or the sale arrives later,
 *       an erasure makes room) the fact goes on again with its new verdict.</li>
 * </ul>
 * Every fact goes on with its person's pseudonym, keyed back by person into the cut. A removal of a fact this state
 * does not hold (state restored from before the judge) goes on unchanged, so that the erasure reaches the rows.
 * When no live and no refused fact remains, the voucher's state is cleared. No timers.
 */
public final class VoucherJudge extends KeyedProcessFunction<String, PersonVoucherChange, PersonVoucherChange> {
    private static final long serialVersionUID = 1L;

    private transient MapState<String, VoucherFact> live;
    /** Fact id → the person's pseudonym (the verdicts go back to the person's cut). */
    private transient MapState<String, String> persons;
    /** Fact id → the verdict last handed on. */
    private transient MapState<String, Boolean> verdicts;
    private transient ValueState<String> issuer;
    private transient MapState<String, Boolean> refused;
    /** Live redemptions already dead-lettered as over-redemptions (each once), by fact id; gone with the fact. */
    private transient MapState<String, Boolean> overReported;
    private transient Counter foreignSales;
    private transient Counter overRedemptions;
    private transient Counter unknownRemovals;

    @Override
    public void open(OpenContext openContext) {
        live = getRuntimeContext().getMapState(new MapStateDescriptor<>("voucher-judged-facts",
                StringSerializer.INSTANCE, VoucherFactSerializer.INSTANCE));
        persons = getRuntimeContext().getMapState(new MapStateDescriptor<>("voucher-judged-persons",
                StringSerializer.INSTANCE, StringSerializer.INSTANCE));
        verdicts = getRuntimeContext().getMapState(new MapStateDescriptor<>("voucher-verdicts",
                StringSerializer.INSTANCE, BooleanSerializer.INSTANCE));
        issuer = getRuntimeContext().getState(new ValueStateDescriptor<>("voucher-judge-issuer", StringSerializer.INSTANCE));
        refused = getRuntimeContext().getMapState(new MapStateDescriptor<>("voucher-judge-refused",
                StringSerializer.INSTANCE, BooleanSerializer.INSTANCE));
        overReported = getRuntimeContext().getMapState(new MapStateDescriptor<>("voucher-judge-over-redeemed",
                StringSerializer.INSTANCE, BooleanSerializer.INSTANCE));
        foreignSales = getRuntimeContext().getMetricGroup().counter("foreignVoucherSales");
        overRedemptions = getRuntimeContext().getMetricGroup().counter("overRedemptions");
        unknownRemovals = getRuntimeContext().getMetricGroup().counter("unknownVoucherFactRemovals");
    }

    @Override
    public void processElement(PersonVoucherChange change, Context ctx, Collector<PersonVoucherChange> out)
            throws Exception {
        VoucherFact fact = change.fact;
        if (refused.contains(fact.factId)) { // a refused sale's removal: it never went further
            if (!fact.live) refused.remove(fact.factId);
            clearIfEmpty();
            return;
        }
        if (fact.live && fact.role == VoucherRole.SOLD && !live.contains(fact.factId)) {
            String owner = issuer.value();
            if (owner != null && !owner.equals(fact.participant)) {
                foreignSales.inc();
                refused.put(fact.factId, true);
                ctx.output(DeadLetters.TAG, VoucherDeadLetters.foreignSale(fact, owner,
                        ctx.timerService().currentProcessingTime()));
                return;
            }
            if (owner == null) issuer.update(fact.participant);
        }
        if (fact.live) {
            live.put(fact.factId, fact);
            persons.put(fact.factId, change.pseudonym);
            verdicts.remove(fact.factId); // (re)judged below and handed on
        } else if (live.contains(fact.factId)) {
            live.remove(fact.factId);
            persons.remove(fact.factId);
            verdicts.remove(fact.factId);
            overReported.remove(fact.factId);
            out.collect(PersonVoucherChange.judged(change.pseudonym, fact, false));
        } else { // state from before the judge (or a removal twice): the rows may still hold the fact
            unknownRemovals.inc();
            out.collect(PersonVoucherChange.judged(change.pseudonym, fact, false));
            clearIfEmpty();
            return;
        }
        judge(ctx, out);
        clearIfEmpty();
    }

    /** Hands on every live fact whose verdict is new or changed; dead-letters each new over-redemption once. */
    private void judge(Context ctx, Collector<PersonVoucherChange> out) throws Exception {
        List<VoucherFact> facts = new ArrayList<>();
        live.values().forEach(facts::add);
        Set<String> over = VoucherLinks.overRedeemed(facts);
        long sold = VoucherLinks.soldValue(facts);
        List<PersonVoucherChange> stopped = new ArrayList<>();
        List<PersonVoucherChange> counting = new ArrayList<>();
        for (VoucherFact f : facts) {
            boolean counted = !over.contains(f.factId);
            if (!counted && !overReported.contains(f.factId)) {
                overReported.put(f.factId, true);
                overRedemptions.inc();
                ctx.output(DeadLetters.TAG, VoucherDeadLetters.overRedemption(f, issuer.value(), sold,
                        ctx.timerService().currentProcessingTime()));
            }
            Boolean before = verdicts.get(f.factId);
            if (before != null && before == counted) continue;
            verdicts.put(f.factId, counted);
            (counted ? counting : stopped).add(PersonVoucherChange.judged(persons.get(f.factId), f, counted));
        }
        // the facts that stop counting first: where they travel on one path, the rows never hold more than fits
        stopped.forEach(out::collect);
        counting.forEach(out::collect);
    }

    /** With no live and no refused fact left, nothing of the voucher is kept (erasure leaves no state). */
    private void clearIfEmpty() throws Exception {
        if (live.isEmpty() && refused.isEmpty()) {
            live.clear();
            persons.clear();
            verdicts.clear();
            issuer.clear();
            overReported.clear();
        }
    }
}
