package de.prokommun.insights.flink.journey;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The journey figures computed directly from a person's live events, following docs/JOURNEY-MEASURES.md and sharing no
 * code with the ledger: the expected SUMs per (measure, key columns) of the contributions table.
 */
final class JourneyOracle {
    record Line(String group, long amountCents) {}

    record Visit(String participant, String id, long time, boolean purchase, List<Line> lines, String checkInCategory) {}

    record Voucher(String reporter, String id, long time, String employer, long amount) {}

    record Engagement(String participant, long time) {}

    private static final Comparator<Visit> ORDER = Comparator.comparingLong(Visit::time).thenComparing(Visit::participant)
            .thenComparing(Visit::id);
    private static final Comparator<Voucher> VOUCHER_ORDER = Comparator.comparingLong(Voucher::time)
            .thenComparing(Voucher::reporter).thenComparing(Voucher::id);

    /**
     * Live events: receipts by participant and reference (the newest version; issue 15), check-ins, engagements,
     * vouchers, bonus events.
     */
    final Map<String, Visit> receipts = new LinkedHashMap<>();
    final List<Visit> checkIns = new ArrayList<>();
    final List<Engagement> engagements = new ArrayList<>();
    final List<Voucher> credits = new ArrayList<>();
    final List<Voucher> redemptions = new ArrayList<>();
    final List<Voucher> earned = new ArrayList<>();
    final List<Voucher> redeemed = new ArrayList<>();

    private final ZoneId zone;
    private final Map<String, Map<String, String>> mappings;
    private final Map<String, String> places;
    private final long visitCap;
    private final long spendCap;
    private final long voucherCap;
    private final long bonusCap;

    JourneyOracle(ZoneId zone, Map<String, Map<String, String>> mappings, Map<String, String> places, long visitCap,
                  long spendCap, long voucherCap, long bonusCap) {
        this.zone = zone;
        this.mappings = mappings;
        this.places = places;
        this.visitCap = visitCap;
        this.spendCap = spendCap;
        this.voucherCap = voucherCap;
        this.bonusCap = bonusCap;
    }

    void clear() {
        receipts.clear();
        checkIns.clear();
        engagements.clear();
        credits.clear();
        redemptions.clear();
        earned.clear();
        redeemed.clear();
    }

    /** SUM(count, quantity, amountCents, lagDays) per key; zero sums left out. */
    Map<String, List<Long>> expected() {
        Map<String, long[]> sums = new TreeMap<>();
        List<Visit> all = new ArrayList<>(receipts.values());
        all.addAll(checkIns);
        all.sort(ORDER);
        // only a person's first visitsPerPersonMonth facts of each kind in a month count (in order)
        List<Visit> visits = firstPerMonth(all, Visit::time);
        List<Visit> purchases = visits.stream().filter(Visit::purchase).toList();
        List<Engagement> countedEngagements = firstPerMonth(engagements.stream()
                .sorted(Comparator.comparingLong(Engagement::time).thenComparing(Engagement::participant)).toList(),
                Engagement::time);

        Map<Integer, long[]> perMonth = new HashMap<>(); // visits counted, cents counted
        for (Visit v : visits) {
            long[] used = perMonth.computeIfAbsent(month(v.time), m -> new long[2]);
            if (used[0] >= visitCap) continue;
            used[0]++;
            long amount = v.purchase ? Math.max(0, Math.min(total(v), spendCap - used[1])) : 0;
            used[1] += amount;
            ZonedDateTime at = at(v.time);
            add(sums, key("visit", day(v.time), v.participant, mainCategory(v), null, at.getDayOfWeek().getValue(),
                    at.getHour(), places.get(v.participant), 0), 1, 0, amount, 0);
        }
        if (!visits.isEmpty()) {
            Visit first = visits.get(0);
            add(sums, key("first_visit", day(first.time), first.participant, null, null, 0, -1, null, 0), 1, 0, 0, 0);
        }

        Map<Integer, Set<String>> boughtInMonth = new TreeMap<>();
        Map<Integer, Set<String>> boughtInYear = new TreeMap<>();
        for (Visit v : purchases) {
            boughtInMonth.computeIfAbsent(month(v.time), m -> new TreeSet<>()).add(v.participant);
            boughtInYear.computeIfAbsent(at(v.time).getYear(), y -> new TreeSet<>()).add(v.participant);
        }
        boughtInMonth.forEach((m, ps) -> pairs(sums, "shared_customer_month", firstDayOfMonth(m), ps));
        boughtInYear.forEach((y, ps) -> pairs(sums, "shared_customer_year",
                (int) java.time.LocalDate.of(y, 1, 1).toEpochDay(), ps));

        Set<String> flows = new TreeSet<>();
        for (int i = 1; i < visits.size(); i++) {
            Visit a = visits.get(i - 1);
            Visit b = visits.get(i);
            double hours = (b.time - a.time) / 3_600_000.0;
            for (int bucket : new int[] {1, 24, 168, 720}) {
                if (hours > bucket) continue;
                int firstDay = firstDayOfMonth(month(b.time));
                if (!a.participant.equals(b.participant)) {
                    flows.add(key("flow_month", firstDay, a.participant, null, b.participant, 0, -1, null, bucket));
                }
                if (!mainCategory(a).equals(mainCategory(b))) {
                    flows.add(key("category_flow_month", firstDay, null, mainCategory(a), mainCategory(b), 0, -1, null, bucket));
                }
            }
        }
        for (String f : flows) add(sums, f, 1, 0, 0, 0);

        Set<String> engaged = new TreeSet<>();
        Set<String> engagedBuyers = new TreeSet<>();
        for (Engagement e : countedEngagements) {
            int firstDay = firstDayOfMonth(month(e.time));
            engaged.add(key("engaged_month", firstDay, e.participant, null, null, 0, -1, null, 0));
            boolean bought = purchases.stream().anyMatch(p -> p.participant.equals(e.participant)
                    && p.time > e.time && p.time - e.time <= 30L * 24 * 3_600_000);
            if (bought) engagedBuyers.add(key("engaged_buyer_month", firstDay, e.participant, null, null, 0, -1, null, 0));
        }
        for (String k : engaged) add(sums, k, 1, 0, 0, 0);
        for (String k : engagedBuyers) add(sums, k, 1, 0, 0, 0);

        List<Voucher> sortedCredits = firstPerMonth(sorted(credits), Voucher::time);
        cutPerMonth(sortedCredits, voucherCap, (c, amount) -> add(sums, key("employer_voucher_credited", day(c.time),
                c.reporter, null, c.employer, 0, -1, null, 0), 1, 0, amount, 0));
        cutPerMonth(firstPerMonth(sorted(redemptions), Voucher::time), voucherCap, (r, amount) -> {
            Voucher credit = null;
            for (Voucher c : sortedCredits) if (c.time <= r.time) credit = c;
            long lag = credit == null ? 0 : (r.time - credit.time) / 86_400_000L;
            add(sums, key("employer_voucher_spent", day(r.time), r.reporter, null, credit == null ? null : credit.employer,
                    0, -1, null, 0), 1, 0, amount, lag);
        });
        cutPerMonth(firstPerMonth(sorted(earned), Voucher::time), bonusCap, (b, points) -> add(sums, key("bonus_points_earned", day(b.time), b.reporter,
                null, null, 0, -1, null, 0), 1, points, 0, 0));
        cutPerMonth(firstPerMonth(sorted(redeemed), Voucher::time), bonusCap, (b, points) -> add(sums, key("bonus_points_redeemed", day(b.time),
                b.reporter, null, null, 0, -1, null, 0), 1, points, 0, 0));

        Map<String, List<Long>> out = new TreeMap<>();
        sums.forEach((k, s) -> {
            if (s[0] != 0 || s[1] != 0 || s[2] != 0 || s[3] != 0) out.put(k, List.of(s[0], s[1], s[2], s[3]));
        });
        return out;
    }

    private void cutPerMonth(List<Voucher> events, long cap, java.util.function.BiConsumer<Voucher, Long> row) {
        Map<Integer, Long> used = new HashMap<>();
        for (Voucher v : events) {
            long before = used.getOrDefault(month(v.time), 0L);
            long amount = Math.max(0, Math.min(v.amount, cap - before));
            used.put(month(v.time), before + amount);
            row.accept(v, amount);
        }
    }

    /** The first visitsPerPersonMonth of each month of an ordered list. */
    private <T> List<T> firstPerMonth(List<T> ordered, java.util.function.ToLongFunction<T> time) {
        Map<Integer, Integer> taken = new HashMap<>();
        List<T> out = new ArrayList<>();
        for (T t : ordered) {
            if (taken.merge(month(time.applyAsLong(t)), 1, Integer::sum) <= visitCap) out.add(t);
        }
        return out;
    }

    private static List<Voucher> sorted(List<Voucher> vouchers) {
        List<Voucher> out = new ArrayList<>(vouchers);
        out.sort(VOUCHER_ORDER);
        return out;
    }

    private void pairs(Map<String, long[]> sums, String measure, int firstDay, Set<String> participants) {
        for (String a : participants) {
            for (String b : participants) {
                if (!a.equals(b)) add(sums, key(measure, firstDay, a, null, b, 0, -1, null, 0), 1, 0, 0, 0);
            }
        }
    }

    String mainCategory(Visit v) {
        if (!v.purchase) return v.checkInCategory == null ? "veranstaltung" : v.checkInCategory;
        Map<String, Long> amounts = new HashMap<>();
        for (Line l : v.lines) {
            String category = mappings.getOrDefault(v.participant, Map.of()).get(l.group);
            if (category != null) amounts.merge(category, l.amountCents, Long::sum);
        }
        return amounts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).findFirst().orElse("unmapped");
    }

    private static long total(Visit v) {
        return v.lines.stream().mapToLong(Line::amountCents).sum();
    }

    private ZonedDateTime at(long time) {
        return Instant.ofEpochMilli(time).atZone(zone);
    }

    private int month(long time) {
        ZonedDateTime t = at(time);
        return t.getYear() * 100 + t.getMonthValue();
    }

    private int day(long time) {
        return (int) at(time).toLocalDate().toEpochDay();
    }

    private static int firstDayOfMonth(int yyyyMM) {
        return (int) java.time.LocalDate.of(yyyyMM / 100, yyyyMM % 100, 1).toEpochDay();
    }

    /** The key columns; month and year follow from the day. */
    static String key(String measure, int day, String participant, String category, String counterpart, int weekday,
                      int hour, String place, int lagBucket) {
        return String.join("|", measure, String.valueOf(day), String.valueOf(participant), String.valueOf(category),
                String.valueOf(counterpart), String.valueOf(weekday), String.valueOf(hour), String.valueOf(place),
                String.valueOf(lagBucket));
    }

    private static void add(Map<String, long[]> sums, String key, long count, long quantity, long amount, long lagDays) {
        long[] s = sums.computeIfAbsent(key, k -> new long[4]);
        s[0] += count;
        s[1] += quantity;
        s[2] += amount;
        s[3] += lagDays;
    }
}
