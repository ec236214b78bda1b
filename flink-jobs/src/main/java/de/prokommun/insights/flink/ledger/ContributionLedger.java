package de.prokommun.insights.flink.ledger;

import de.prokommun.insights.contract.Measures.Names;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import de.prokommun.insights.flink.state.KeyedStates;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.AnonymousRegistration;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.EmployerVoucherRedeemed;
import de.prokommun.insights.events.GiftVoucherRedeemed;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.events.PurchaseLine;
import de.prokommun.insights.events.PurchaseRetracted;
import de.prokommun.insights.flink.city.PersonMonthClamps;
import de.prokommun.insights.flink.city.PurchaseRetention;
import de.prokommun.insights.validation.WriteLimits;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.OutputTag;

/**
 * The person's contribution ledger, in the keyed state of the operator that owns the person (keyed by
 * pseudonym): every delta row the person's live data contributed, and every distinct count it opened.
 * <ul>
 *   <li>A purchase emits one {@code purchase} row per category (lines without a mapping under {@code unmapped},
 *       never under their raw product group) and remembers them under the receipt; a retraction emits exactly
 *       those rows negated.</li>
 *   <li>Distinct counts (buyer_month/year, customer_month/year, active_resident) are +1 when the first live
 *       contribution supports the key and −1 (the opening row negated) when the last one goes.</li>
 *   <li>Clamped measures (purchase_clamped, spend_clamped) per category and month: the ledger keeps the person's
 *       live totals and emits the change of min(total, clamp) whenever a receipt comes or goes.</li>
 *   <li>Registrations and voucher redemptions are remembered until the person is erased.</li>
 *   <li>{@link #retractEverything} (erasure, withdrawn consent) emits the negation of every remaining row and
 *       clears every piece of ledger state.</li>
 * </ul>
 * The caller passes the segment of the moment and the person's {@link PurchaseTags}, which the ledger keeps in
 * step with its distinct counts.
 */
public final class ContributionLedger {
    /** Side output of the contribution deltas. */
    public static final OutputTag<ContributionDelta> DELTAS = new OutputTag<>("contributions") {};

    /** What the ledger needs to know about the person at the moment of the event. */
    public record Person(String city, ZoneId zone, Segment segment, boolean newlyRegistered, PurchaseTags tags,
                         PersonMonthClamps clamps) {}

    private final MapState<String, ReceiptContribution> receipts;
    private final DistinctCounts distinct;
    private final ListState<LedgerRow> standing;
    private final MapState<String, ClampedTotals> clamped;
    private final ReceiptCalendar calendar;
    private final Counter unknownRetractions;
    private final Counter replacedReceipts;
    private final Counter inconsistencies;

    public ContributionLedger(KeyedStates states) {
        receipts = states.map("ledger-receipts", StringSerializer.INSTANCE, ReceiptContributionSerializer.INSTANCE);
        distinct = new DistinctCounts(states);
        standing = states.list("ledger-standing", LedgerRowSerializer.INSTANCE);
        clamped = states.map("ledger-clamped", StringSerializer.INSTANCE, ClampedTotalsSerializer.INSTANCE);
        calendar = new ReceiptCalendar(states);
        unknownRetractions = states.metrics().counter("unknownReceiptRetractions");
        replacedReceipts = states.metrics().counter("replacedReceipts");
        inconsistencies = states.metrics().counter("ledgerInconsistencies");
    }

    /** Records the contributions of one accepted event of a profiled person. */
    public void record(AnonymousEvent event, Person person, ProductGroups.Lookup groups,
                       Consumer<ContributionDelta> out) throws Exception {
        Object payload = event.getPayload();
        if (payload instanceof Purchase purchase) {
            recordPurchase(event, purchase, person, groups, out);
        } else if (payload instanceof PurchaseRetracted retracted) {
            // the reporter's own receipt only (issue 15); ProfileBuilder has turned a portal's retraction into its owner's
            ReceiptRef.Slot<ReceiptContribution> slot = slotOf(event.getParticipant(), retracted.getReceipt());
            if (slot.held() == null) unknownRetractions.inc();
            else retractReceipt(slot.key(), slot.held(), person, out);
        } else if (payload instanceof GiftVoucherRedeemed v) {
            recordStanding(voucher(event, Measures.GIFT_VOUCHER, v.getAmountCents(), person), person, out);
            support(DistinctKeys.activity(event.getEventTime(), person.zone(), person.segment()), person, out);
        } else if (payload instanceof EmployerVoucherRedeemed v) {
            recordStanding(voucher(event, Measures.EMPLOYER_VOUCHER, v.getAmountCents(), person), person, out);
            support(DistinctKeys.activity(event.getEventTime(), person.zone(), person.segment()), person, out);
        } else {
            if (payload instanceof AnonymousRegistration && person.newlyRegistered()) {
                recordStanding(LedgerRow.of(Names.REGISTRATION, event.getEventTime(), person.zone(), null, null,
                        person.segment()).measures(1, 0, 0), person, out);
            }
            support(DistinctKeys.activity(event.getEventTime(), person.zone(), person.segment()), person, out);
        }
        distinct.flush();
    }

    /**
     * Whose receipt with this reference a retraction by {@code participant} would find: the participant itself if
     * it holds one, else the participant that first recorded the reference for the person (another shop), or null
     * if neither exists. Receipts are one participant's (issue 15, {@link ReceiptRef}).
     */
    public String receiptHolder(String participant, String receipt) throws Exception {
        ReceiptRef.Slot<ReceiptContribution> slot = slotOf(participant, receipt);
        return slot.held() != null ? participant : slot.firstHolder();
    }

    /** The person's receipt of this participant and reference: where it is stored (or would be) and its contribution. */
    private ReceiptRef.Slot<ReceiptContribution> slotOf(CharSequence participant, String receipt) throws Exception {
        return new ReceiptRef(participant == null ? "" : participant.toString(), receipt)
                .slot("", receipts::get, r -> r.participant);
    }

    /** Emits the negation of every remaining contribution and clears all ledger state of the person. */
    public void retractEverything(String city, Consumer<ContributionDelta> out) throws Exception {
        for (ReceiptContribution receipt : receipts.values()) {
            for (LedgerRow row : receipt.rows) out.accept(row.toDelta(city, -1));
        }
        for (LedgerRow row : standing.get()) out.accept(row.toDelta(city, -1));
        for (OpenDistinct open : distinct.all()) {
            if (emitted(open.opened)) out.accept(open.opened.toDelta(city, -1));
        }
        for (ClampedTotals totals : clamped.values()) emitClamped(totals, 0, 0, city, out);
        clear();
    }

    /**
     * Retention: retracts every live receipt that has expired at {@code now} (stream clock) exactly like a
     * PurchaseRetracted; returns them (participant and reference), oldest first.
     */
    public List<ReceiptRef> retractExpired(long now, PurchaseRetention retention, Person person,
                                           Consumer<ContributionDelta> out) throws Exception {
        List<ReceiptRef> retracted = new ArrayList<>();
        for (String key : calendar.expired(now, retention, person.zone())) { // the calendar holds state keys
            ReceiptContribution receipt = receipts.get(key);
            if (receipt == null) {
                inconsistencies.inc(); // cannot happen while state and code agree
                continue;
            }
            retractReceipt(key, receipt, person, out);
            retracted.add(new ReceiptRef(receipt.participant, ReceiptRef.receiptOfKey("", key)));
        }
        distinct.flush();
        return retracted;
    }

    /** When the oldest live receipt expires (epoch ms), or null if none does. */
    public Long earliestExpiry(PurchaseRetention retention, ZoneId zone) throws Exception {
        if (!retention.expires()) return null;
        Long oldest = calendar.oldest();
        return oldest == null ? null : retention.expiryOf(oldest, zone);
    }

    public void clear() {
        receipts.clear();
        distinct.clear();
        standing.clear();
        clamped.clear();
        calendar.clear();
    }

    // ---- purchases ---------------------------------------------------------------------------------------------

    private void recordPurchase(AnonymousEvent event, Purchase purchase, Person person, ProductGroups.Lookup groups,
                                Consumer<ContributionDelta> out) throws Exception {
        // the same participant's receipt only: another shop's receipt with the same number stays (issue 15)
        ReceiptRef.Slot<ReceiptContribution> slot = slotOf(event.getParticipant(), purchase.getReceipt());
        String receiptRef = slot.key();
        ReceiptContribution previous = slot.held();
        if (previous != null) { // the same receipt again under a new event id: the newer version replaces it
            replacedReceipts.inc();
            retractReceipt(receiptRef, previous, person, out);
        }
        ReceiptContribution receipt = receiptOf(event, purchase, person, groups);
        receipts.put(receiptRef, receipt);
        calendar.add(receiptRef, receipt.eventTime);
        for (LedgerRow row : receipt.rows) out.accept(row.toDelta(person.city(), 1));
        changeClamped(receipt, 1, person, out);
        for (LedgerRow opening : DistinctKeys.ofReceipt(receipt, person.zone(), person.segment()).values()) {
            support(opening, person, out);
        }
        PurchaseTags tags = person.tags();
        tags.lastPurchaseDay = tags.lastPurchaseDay == null ? receipt.day : Math.max(tags.lastPurchaseDay, receipt.day);
    }

    private void retractReceipt(String receiptRef, ReceiptContribution receipt, Person person,
                                Consumer<ContributionDelta> out) throws Exception {
        receipts.remove(receiptRef);
        calendar.remove(receiptRef, receipt.eventTime);
        for (LedgerRow row : receipt.rows) out.accept(row.toDelta(person.city(), -1));
        changeClamped(receipt, -1, person, out);
        for (String key : DistinctKeys.ofReceipt(receipt, person.zone(), person.segment()).keySet()) {
            release(key, person, out);
        }
        PurchaseTags tags = person.tags();
        if (tags.lastPurchaseDay != null && tags.lastPurchaseDay == receipt.day) {
            Long newest = calendar.newest();
            tags.lastPurchaseDay = newest == null ? null
                    : (int) java.time.Instant.ofEpochMilli(newest).atZone(person.zone()).toLocalDate().toEpochDay();
        }
    }

    /**
     * One purchase row per mapped category; lines without a mapping count under {@code unmapped}. The participant's
     * raw product group never enters a row beside a segment: it is a quasi-identifier the shop can match against its
     * own till (issue 14, item 8). The unmapped-groups report reads {@link SubmittedUnmappedLines}, which has no segment.
     */
    static ReceiptContribution receiptOf(AnonymousEvent event, Purchase purchase, Person person,
                                         ProductGroups.Lookup groups) throws Exception {
        String participant = event.getParticipant();
        Map<String, long[]> byCategory = new LinkedHashMap<>();
        for (PurchaseLine line : purchase.getLines()) {
            String category = groups.categoryOf(person.city(), participant, line.getProductGroup());
            add(byCategory, category == null ? Measures.UNMAPPED : category, line);
        }
        List<LedgerRow> rows = new ArrayList<>();
        byCategory.forEach((category, sums) -> rows.add(LedgerRow.of(Names.PURCHASE, event.getEventTime(),
                person.zone(), participant, category, person.segment()).measures(1, sums[1], sums[2])));
        ReceiptContribution receipt = new ReceiptContribution();
        receipt.participant = participant;
        receipt.eventTime = event.getEventTime();
        receipt.day = LedgerRow.of(Names.PURCHASE, event.getEventTime(), person.zone(), null, null, null).day;
        receipt.rows = rows.toArray(new LedgerRow[0]);
        return receipt;
    }

    private static void add(Map<String, long[]> sums, String key, PurchaseLine line) {
        long[] s = sums.computeIfAbsent(key, k -> new long[3]);
        s[0] = WriteLimits.sum(s[0], 1, "the number of lines of '" + key + "'");
        s[1] = WriteLimits.sum(s[1], line.getQuantity(), "the quantity of the lines of '" + key + "'");
        s[2] = WriteLimits.sum(s[2], line.getAmountCents(), "the amountCents of the lines of '" + key + "'");
    }

    /**
     * Throws an {@link ArithmeticException} naming the sum if recording the purchase would overflow any sum formed
     * from it — the receipt's per-category and whole-receipt sums, or the person's month totals of the clamped
     * measures — and changes nothing: the caller turns it into a dead letter before anything is recorded, so a sum
     * is never wrong and never half applied (issue 14, item 1).
     */
    public void checkExact(AnonymousEvent event, Purchase purchase, String city, ZoneId zone, ProductGroups.Lookup groups)
            throws Exception {
        Map<String, long[]> byCategory = new LinkedHashMap<>();
        Map<String, long[]> whole = new LinkedHashMap<>();
        for (PurchaseLine line : purchase.getLines()) {
            String category = groups.categoryOf(city, event.getParticipant(), line.getProductGroup());
            add(byCategory, category == null ? Measures.UNMAPPED : category, line);
            add(whole, "receipt " + purchase.getReceipt(), line);
        }
        int month = LedgerRow.of(Names.PURCHASE, event.getEventTime(), zone, null, null, null).month;
        ReceiptContribution previous = slotOf(event.getParticipant(), purchase.getReceipt()).held();
        for (Map.Entry<String, long[]> e : byCategory.entrySet()) {
            ClampedTotals totals = clamped.get(e.getKey() + '\u001f' + month);
            if (totals == null) continue;
            long purchases = totals.purchases;
            long spend = totals.spendCents;
            if (previous != null) { // a replaced receipt first takes its own share out
                for (LedgerRow row : previous.rows) {
                    if (!Names.PURCHASE.equals(row.measure) || !e.getKey().equals(row.category) || row.month != month) continue;
                    purchases -= row.count;
                    spend -= row.amountCents;
                }
            }
            WriteLimits.sum(purchases, 1, "the person's purchases of '" + e.getKey() + "' in month " + month);
            WriteLimits.sum(spend, e.getValue()[2], "the person's spend on '" + e.getKey() + "' in month " + month);
        }
    }

    // ---- clamped measures ---------------------------------------------------------------------------------------

    /** Adds (sign 1) or removes (sign −1) the receipt's purchase rows to the person's totals per category and month. */
    private void changeClamped(ReceiptContribution receipt, int sign, Person person, Consumer<ContributionDelta> out)
            throws Exception {
        for (LedgerRow row : receipt.rows) {
            if (!Names.PURCHASE.equals(row.measure)) continue;
            String key = row.category + '\u001f' + row.month;
            ClampedTotals totals = clamped.get(key);
            if (totals == null) {
                if (sign < 0) { // cannot happen while state and code agree; counted rather than failing the job
                    inconsistencies.inc();
                    continue;
                }
                totals = new ClampedTotals(DistinctKeys.monthly(Names.PURCHASE_CLAMPED, receipt.eventTime,
                        person.zone(), row.category, person.segment()));
            }
            totals.purchases = WriteLimits.sum(totals.purchases, WriteLimits.product(sign, row.count, "a purchase count"),
                    "the person's purchases of '" + row.category + "' in month " + row.month);
            totals.spendCents = WriteLimits.sum(totals.spendCents, WriteLimits.product(sign, row.amountCents, "a spend"),
                    "the person's spend on '" + row.category + "' in month " + row.month);
            PersonMonthClamps clamps = person.clamps();
            emitClamped(totals, PersonMonthClamps.clamp(totals.purchases, clamps.purchases()),
                    PersonMonthClamps.clamp(totals.spendCents, clamps.spendCents()), person.city(), out);
            if (totals.purchases == 0) clamped.remove(key); // no live receipt left, so no spend either
            else clamped.put(key, totals);
        }
    }

    /**
     * Emits the rows that move the person's clamped values from what was emitted so far to the given ones (none if
     * unchanged). Changes are taken against what was emitted, not recomputed from the clamp, so erasure negates
     * exactly the sum of the rows even if the city's clamps were changed in between.
     */
    private static void emitClamped(ClampedTotals totals, long purchasesClamped, long spendClamped, String city,
                                    Consumer<ContributionDelta> out) {
        long purchaseChange = Math.subtractExact(purchasesClamped, totals.emittedPurchases);
        long spendChange = Math.subtractExact(spendClamped, totals.emittedSpendCents);
        if (purchaseChange != 0) {
            out.accept(totals.opened.as(Names.PURCHASE_CLAMPED, purchaseChange, 0, 0).toDelta(city, 1));
        }
        if (spendChange != 0) {
            out.accept(totals.opened.as(Names.SPEND_CLAMPED, 0, 0, spendChange).toDelta(city, 1));
        }
        totals.emittedPurchases = purchasesClamped;
        totals.emittedSpendCents = spendClamped;
    }

    // ---- standing contributions (until erasure) ----------------------------------------------------------------

    private static LedgerRow voucher(AnonymousEvent event, String kind, long amountCents, Person person) {
        return LedgerRow.of(Names.VOUCHER_REDEMPTION, event.getEventTime(), person.zone(), event.getParticipant(),
                kind, person.segment()).measures(1, 0, amountCents);
    }

    private void recordStanding(LedgerRow row, Person person, Consumer<ContributionDelta> out) throws Exception {
        standing.add(row);
        out.accept(row.toDelta(person.city(), 1));
    }

    // ---- distinct counts ---------------------------------------------------------------------------------------

    private void support(LedgerRow opening, Person person, Consumer<ContributionDelta> out) throws Exception {
        String key = DistinctKeys.keyOf(opening);
        OpenDistinct open = distinct.get(key);
        if (open == null) {
            open = new OpenDistinct(opening);
            if (emitted(opening)) out.accept(opening.toDelta(person.city(), 1));
            tagOpened(opening, person.tags());
        }
        open.supporters++;
        distinct.put(key, open);
    }

    private void release(String key, Person person, Consumer<ContributionDelta> out) throws Exception {
        OpenDistinct open = distinct.get(key);
        if (open == null) { // cannot happen while state and code agree; counted rather than failing the job
            inconsistencies.inc();
            return;
        }
        if (--open.supporters > 0) {
            distinct.put(key, open);
            return;
        }
        distinct.remove(key);
        if (emitted(open.opened)) out.accept(open.opened.toDelta(person.city(), -1));
        tagClosed(open.opened, person.tags());
    }

    private static boolean emitted(LedgerRow opening) {
        return !Measures.CUSTOMER_EVER.equals(opening.measure);
    }

    private static void tagOpened(LedgerRow opening, PurchaseTags tags) {
        String tag = tagOf(opening);
        if (tag != null) tags.add(tag);
    }

    private static void tagClosed(LedgerRow opening, PurchaseTags tags) {
        String tag = tagOf(opening);
        if (tag != null) tags.remove(tag);
    }

    private static String tagOf(LedgerRow opening) {
        if (Names.BUYER_YEAR.equals(opening.measure) && !Measures.UNMAPPED.equals(opening.category)) {
            return PurchaseTags.categoryTag(opening.category, opening.year);
        }
        if (Measures.CUSTOMER_EVER.equals(opening.measure)) return PurchaseTags.customerTag(opening.participant);
        return null;
    }
}
