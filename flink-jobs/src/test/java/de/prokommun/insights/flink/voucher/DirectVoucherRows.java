package de.prokommun.insights.flink.voucher;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.AnonymousRegistration;
import de.prokommun.insights.events.ConsentChanged;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.ErasureRequested;
import de.prokommun.insights.events.GiftVoucherRedeemed;
import de.prokommun.insights.events.GiftVoucherSold;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gift-voucher rows computed directly from the events, independently of the operators: every sale and
 * redemption of a person who registered with analytics consent and was neither erased nor withdrew consent, each
 * event counted once (participant + event id); amounts cut per person, measure and month in time order; a
 * redemption's seller is the earliest live sale of the voucher. Segments: the age band, district and household
 * type the test gives per person (the figure key leaves personas out). A redemption that does not fit, in time
 * order, into what is left of its voucher's sold value as sent (uncut) has no row and takes nothing of its
 * redeemer's month (issue 15).
 */
final class DirectVoucherRows {
    private DirectVoucherRows() {}

    record Person(String ageBand, String district, String household) {}

    private record Fact(String who, boolean sold, String voucher, String participant, long time, long amount, String id) {}

    static List<ContributionDelta> of(List<AnonymousEvent> events, Map<String, Person> persons, ZoneId zone, long cap) {
        Set<String> seen = new HashSet<>();
        Set<String> profiled = new HashSet<>();
        Set<String> gone = new HashSet<>();
        List<Fact> facts = new ArrayList<>();
        for (AnonymousEvent e : events) {
            if (!seen.add(e.getPseudonym() + "/" + e.getParticipant() + "/" + e.getEventId())) continue;
            Object p = e.getPayload();
            String who = e.getPseudonym();
            String id = e.getParticipant() + '\u001f' + e.getEventId();
            if (p instanceof AnonymousRegistration r && r.getConsents().getAnalytics()) profiled.add(who);
            if (p instanceof ErasureRequested) gone.add(who);
            if (p instanceof ConsentChanged c && Boolean.FALSE.equals(c.getAnalytics())) gone.add(who);
            if (p instanceof GiftVoucherSold s) {
                facts.add(new Fact(who, true, s.getVoucher(), e.getParticipant(), e.getEventTime(), s.getAmountCents(), id));
            }
            if (p instanceof GiftVoucherRedeemed r) {
                facts.add(new Fact(who, false, r.getVoucher(), e.getParticipant(), e.getEventTime(), r.getAmountCents(), id));
            }
        }
        List<Fact> live = facts.stream().filter(f -> profiled.contains(f.who()) && !gone.contains(f.who()))
                .sorted(Comparator.comparingLong(Fact::time).thenComparing(Fact::id)).toList();
        Map<String, Long> used = new HashMap<>();
        Map<String, Fact> saleOf = new HashMap<>();
        for (Fact f : live) if (f.sold()) saleOf.putIfAbsent(f.voucher(), f);
        // issue 15: a voucher's redemptions, in time order, take their amounts as sent from its sales' amounts as sent;
        // one that does not fit is not counted and uses up nothing of its redeemer's month
        Map<String, Long> left = new HashMap<>();
        for (Fact f : live) if (f.sold()) left.merge(f.voucher(), f.amount(), Long::sum);
        Set<String> over = new HashSet<>();
        for (Fact f : live) {
            if (f.sold() || !left.containsKey(f.voucher())) continue;
            long rest = left.get(f.voucher());
            if (f.amount() > rest) over.add(f.id());
            else left.put(f.voucher(), rest - f.amount());
        }
        List<ContributionDelta> rows = new ArrayList<>();
        for (Fact f : live) {
            if (over.contains(f.id())) continue;
            LocalDate date = Instant.ofEpochMilli(f.time()).atZone(zone).toLocalDate();
            String budget = f.who() + "/" + f.sold() + "/" + date.getYear() + "-" + date.getMonthValue();
            long before = used.getOrDefault(budget, 0L);
            long cut = Math.min(f.amount(), Math.max(0, cap - before));
            used.put(budget, before + cut);
            Fact sale = f.sold() ? null : saleOf.get(f.voucher());
            Person person = persons.get(f.who());
            rows.add(ContributionDelta.newBuilder().setCity("musterstadt")
                    .setMeasure(f.sold() ? "gift_voucher_sold" : "gift_voucher_redeemed")
                    .setDay((int) date.toEpochDay()).setMonth(date.getYear() * 100 + date.getMonthValue())
                    .setYear(date.getYear()).setParticipant(f.participant())
                    .setCounterpart(sale == null ? null : sale.participant())
                    .setAgeBand(person.ageBand()).setDistrict(person.district()).setHouseholdType(person.household())
                    .setGender("FEMALE").setCount(1).setAmountCents(cut)
                    .setLagDays(sale == null ? 0 : (f.time() - sale.time()) / 86_400_000L)
                    .setEventTime(f.time()).build());
        }
        return rows;
    }
}
