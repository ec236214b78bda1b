package de.prokommun.insights.flink.voucher;

import de.prokommun.insights.flink.state.KeyedStates;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.GiftVoucherRedeemed;
import de.prokommun.insights.events.GiftVoucherSold;
import de.prokommun.insights.flink.ledger.Segment;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.function.Consumer;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.metrics.Counter;

/**
 * The person's side of gift-voucher circulation, first step, in the keyed state of the person-keyed voucher operator
 * ({@link VoucherFactsFunction}, behind the profile operator): the person's live gift-voucher sales and redemptions.
 * It hands each new fact on with its full amount, keyed by voucher to {@link VoucherJudge} (which decides whether it
 * counts: a redemption beyond the voucher's sold value, another issuer's sale), and on erasure or withdrawn consent
 * ({@link #retractEverything}) removes every fact there and clears the state. The cut per person and month is
 * decided behind the judge ({@link PersonVoucherCuts}), so that a fact that does not count uses up nothing of the
 * person's month (issue 15).
 * <p>There is no retraction event for vouchers: a fact is live until the person is erased.
 */
public final class VoucherFacts {
    private final MapState<String, HeldVoucherFact> held;
    private final Counter repeated;

    public VoucherFacts(KeyedStates states) {
        held = states.map("gift-voucher-facts", StringSerializer.INSTANCE, HeldVoucherFactSerializer.INSTANCE);
        repeated = states.metrics().counter("repeatedGiftVoucherFacts");
    }

    /** Records a gift-voucher sale or redemption of a profiled person ({@link #factOf}, full amount) and hands it on. */
    public void record(VoucherFact fact, Consumer<VoucherFact> out) throws Exception {
        if (held.contains(fact.factId)) { // the same event again after the dedupe horizon: already counted
            repeated.inc();
            return;
        }
        int month = monthOf(fact.eventTime, ZoneId.of(fact.zone));
        held.put(fact.factId, new HeldVoucherFact(fact, fact.fullAmountCents, month));
        out.accept(fact);
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
}
