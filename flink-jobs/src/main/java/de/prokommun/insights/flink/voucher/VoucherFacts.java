package de.prokommun.insights.flink.voucher;

import de.prokommun.insights.flink.state.KeyedStates;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.GiftVoucherRedeemed;
import de.prokommun.insights.events.GiftVoucherSold;
import de.prokommun.insights.flink.city.PersonMonthClamps;
import de.prokommun.insights.flink.ledger.Segment;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.metrics.Counter;

/**
 * The person's side of gift-voucher circulation, in the keyed state of the person-keyed voucher operator
 * ({@link VoucherFactsFunction}, behind the profile operator): the person's live gift-voucher sales and redemptions.
 * It decides the cut of their amounts per person, role and month ({@link PersonMonthClamps#voucherCents()},
 * {@link VoucherCuts}) and hands each fact, without the pseudonym, to {@link VoucherCirculation}. A fact that arrives out of
 * time order can change the cut of later ones in its month: those are handed on again with the new cut. Erasure
 * and withdrawn consent ({@link #retractEverything}) remove every fact downstream and clear the state.
 * <p>There is no retraction event for vouchers: a fact is live until the person is erased.
 */
public final class VoucherFacts {
    private final MapState<String, HeldVoucherFact> held;
    private final Counter repeated;

    public VoucherFacts(KeyedStates states) {
        held = states.map("gift-voucher-facts", StringSerializer.INSTANCE, HeldVoucherFactSerializer.INSTANCE);
        repeated = states.metrics().counter("repeatedGiftVoucherFacts");
    }

    /** Records a gift-voucher sale or redemption of a profiled person ({@link #factOf}, full amount). */
    public void record(VoucherFact fact, PersonMonthClamps clamps, Consumer<VoucherFact> out) throws Exception {
        if (held.contains(fact.factId)) { // the same event again after the dedupe horizon: already counted
            repeated.inc();
            return;
        }
        int month = monthOf(fact.eventTime, ZoneId.of(fact.zone));
        held.put(fact.factId, new HeldVoucherFact(fact, fact.amountCents, month));
        recut(fact.role, month, fact.factId, clamps.voucherCents(), out);
    }

    /** Removes every live fact of the person downstream and clears the state. */
    public void retractEverything(Consumer<VoucherFact> out) throws Exception {
        for (HeldVoucherFact h : held.values()) out.accept(h.fact.retraction());
        clear();
    }

    public void clear() {
        held.clear();
    }

    /** The fact of a gift-voucher event (full amount), or null for any other event. */
    public static VoucherFact factOf(AnonymousEvent event, String city, ZoneId zone, Segment segment) {
        Object payload = event.getPayload();
        VoucherFact f = new VoucherFact();
        if (payload instanceof GiftVoucherSold s) {
            f.role = VoucherRole.SOLD;
            f.voucher = s.getVoucher();
            f.amountCents = s.getAmountCents();
            f.fullAmountCents = s.getAmountCents();
        } else if (payload instanceof GiftVoucherRedeemed r) {
            f.role = VoucherRole.REDEEMED;
            f.voucher = r.getVoucher();
            f.amountCents = r.getAmountCents();
            f.fullAmountCents = r.getAmountCents();
        } else {
            return null;
        }
        f.city = city;
        f.participant = event.getParticipant();
        f.eventTime = event.getEventTime();
        f.zone = zone.getId();
        f.segment = segment;
        f.factId = event.getParticipant() + '\u001f' + event.getEventId();
        f.live = true;
        return f;
    }

    static int monthOf(long eventTime, ZoneId zone) {
        LocalDate date = Instant.ofEpochMilli(eventTime).atZone(zone).toLocalDate();
        return date.getYear() * 100 + date.getMonthValue();
    }

    /**
     * Recomputes the cuts of the person's facts of one role and month and hands on the new fact and every fact
     * whose cut changed. Facts keep the segment they were first recorded with.
     */
    private void recut(VoucherRole role, int month, String newFactId, long cap, Consumer<VoucherFact> out)
            throws Exception {
        List<HeldVoucherFact> same = new ArrayList<>();
        List<VoucherCuts.Entry> entries = new ArrayList<>();
        for (HeldVoucherFact h : held.values()) {
            if (h.month != month || h.fact.role != role) continue;
            same.add(h);
            entries.add(new VoucherCuts.Entry(h.fact.eventTime, h.fact.factId, h.fullAmountCents));
        }
        long[] cuts = VoucherCuts.cuts(entries, cap);
        for (int i = 0; i < same.size(); i++) {
            HeldVoucherFact h = same.get(i);
            boolean fresh = h.fact.factId.equals(newFactId);
            if (!fresh && h.fact.amountCents == cuts[i]) continue;
            h.fact = h.fact.withAmount(cuts[i]);
            held.put(h.fact.factId, h);
            out.accept(h.fact);
        }
    }
}
