package de.prokommun.insights.flink.voucher;

import de.prokommun.insights.flink.state.KeyedStates;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.typeutils.base.BooleanSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.metrics.Counter;

/**
 * The person's monthly cut of gift-voucher amounts, behind {@link VoucherJudge} (in the keyed state of
 * {@link VoucherCutFunction}): per person, role and month ({@code PersonMonthClamps.voucherCents()},
 * {@link VoucherCuts}) over the facts that count only — a redemption the judge found beyond its voucher's sold value
 * takes nothing of the month and has no row, so a forged over-redemption in a resident's name cannot lower the
 * resident's other redemptions (issue 15). Each fact goes on without the pseudonym to {@link VoucherCirculation}:
 * with its cut while it counts, removed when it stops counting or its person is erased; a fact whose cut changed
 * (a fact out of time order, a verdict changed) goes on again. Facts keep the segment they were first recorded with.
 */
public final class PersonVoucherCuts {
    /** The person's judged facts: the fact as last handed on ({@code fact.live}: it is live downstream). */
    private final MapState<String, HeldVoucherFact> held;
    /** Fact id → whether it counts (the judge's last verdict). */
    private final MapState<String, Boolean> counted;
    private final Counter unknownRemovals;

    public PersonVoucherCuts(KeyedStates states) {
        held = states.map("gift-voucher-cuts", StringSerializer.INSTANCE, HeldVoucherFactSerializer.INSTANCE);
        counted = states.map("gift-voucher-counted", StringSerializer.INSTANCE, BooleanSerializer.INSTANCE);
        unknownRemovals = states.metrics().counter("unknownVoucherCutRemovals");
    }

    /** A fact with its verdict (new, or a verdict changed), or its removal ({@code fact.live = false}). */
    public void apply(VoucherFact fact, boolean counts, long cap, Consumer<VoucherFact> out) throws Exception {
        HeldVoucherFact h = held.get(fact.factId);
        if (!fact.live) {
            if (h == null) { // state from before the cut moved behind the judge: the rows may hold the fact
                unknownRemovals.inc();
                out.accept(fact.retraction());
                return;
            }
            held.remove(fact.factId);
            counted.remove(fact.factId);
            if (h.fact.live) out.accept(h.fact.retraction());
            recut(h.fact.role, h.month, cap, out);
            return;
        }
        if (h == null) {
            VoucherFact pending = fact.withAmount(0);
            pending.live = false; // not yet handed on
            h = new HeldVoucherFact(pending, fact.fullAmountCents, VoucherFacts.monthOf(fact.eventTime,
                    java.time.ZoneId.of(fact.zone)));
        }
        held.put(fact.factId, h);
        counted.put(fact.factId, counts);
        recut(h.fact.role, h.month, cap, out);
    }

    /**
     * Recomputes the cuts of the person's counted facts of one role and month; hands on every fact whose cut or
     * whose counting changed.
     */
    private void recut(VoucherRole role, int month, long cap, Consumer<VoucherFact> out) throws Exception {
        List<HeldVoucherFact> same = new ArrayList<>();
        List<VoucherCuts.Entry> entries = new ArrayList<>();
        for (HeldVoucherFact h : held.values()) {
            if (h.month != month || h.fact.role != role || !Boolean.TRUE.equals(counted.get(h.fact.factId))) continue;
            same.add(h);
            entries.add(new VoucherCuts.Entry(h.fact.eventTime, h.fact.factId, h.fullAmountCents));
        }
        long[] cuts = VoucherCuts.cuts(entries, cap);
        for (int i = 0; i < same.size(); i++) {
            HeldVoucherFact h = same.get(i);
            if (h.fact.live && h.fact.amountCents == cuts[i]) continue;
            h.fact = h.fact.withAmount(cuts[i]);
            held.put(h.fact.factId, h);
            out.accept(h.fact);
        }
        List<HeldVoucherFact> stopped = new ArrayList<>(); // facts that stopped counting leave the rows
        for (HeldVoucherFact h : held.values()) {
            if (h.month != month || h.fact.role != role || !h.fact.live) continue;
            if (!Boolean.TRUE.equals(counted.get(h.fact.factId))) stopped.add(h);
        }
        for (HeldVoucherFact h : stopped) {
            h.fact = h.fact.retraction();
            held.put(h.fact.factId, h);
            out.accept(h.fact);
        }
    }

    public void clear() {
        held.clear();
        counted.clear();
    }
}
