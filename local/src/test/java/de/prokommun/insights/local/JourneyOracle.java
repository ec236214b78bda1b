package de.prokommun.insights.local;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The journey and voucher figures of issue 7 computed in plain Java from the events a test posted, straight from
 * the definitions in docs/JOURNEY-MEASURES.md, without any pipeline code. A person counts while registered with
 * analytics consent and not erased; a retraction removes the receipt, an erasure everything of the person.
 * Figures are keyed as {@link #pinotFigures} reads them from the contributions table ("null" for a null string).
 */
final class JourneyOracle {

    static final String UNMAPPED = "unmapped";
    static final String EVENT_CATEGORY = "veranstaltung";
    static final String NULL = "null";
    static final long[] BUCKETS_HOURS = {1, 24, 168, 720};

    record Line(String productGroup, long quantity, long amountCents) {}

    record Receipt(String participant, String ref, Instant time, List<Line> lines) {}

    record CheckIn(String participant, String eventId, Instant time, String category) {}

    /** A newsletter subscription (P = the reporting participant) or a follow (P = the followed participant). */
    record Engagement(String participant, Instant time) {}

    record Credit(String reporter, String employer, Instant time, long amountCents) {}

    record Spend(String participant, Instant time, long amountCents) {}

    record Bonus(String participant, Instant time, long points, boolean earned) {}

    /** A gift voucher sale; buyer null for an anonymous sale. */
    record Sale(String voucher, String seller, String buyer, Instant time, long amountCents) {}

    record GiftRedemption(String voucher, String participant, Instant time, long amountCents) {}

    /** A visit as the spec defines it: a live receipt or a check-in. */
    record Visit(String participant, Instant time, String id, String category, long amountCents) {}

    static final class Person extends CitySegments.Resident {
        final Map<String, Receipt> receipts = new LinkedHashMap<>();
        final List<CheckIn> checkIns = new ArrayList<>();
        final List<Engagement> engagements = new ArrayList<>();
        final List<Credit> credits = new ArrayList<>();
        final List<Spend> employerSpends = new ArrayList<>();
        final List<Bonus> bonus = new ArrayList<>();
        final List<Sale> sales = new ArrayList<>();
        final List<GiftRedemption> giftRedemptions = new ArrayList<>();

        Person(String ref, int birthYear, String gender, String postcode, String household, boolean consent) {
            super(ref, birthYear, gender, postcode, household, consent);
        }
    }

    record Clamps(long visitsPerMonth, long spendCentsPerMonth, long voucherCentsPerMonth, long bonusPointsPerMonth) {}

    private final ZoneId zone;
    private final Map<String, String> placeOf;
    private final CitySegments segments;
    private final Clamps clamps;
    private final Map<String, String> categoryOf = new HashMap<>();
    final Map<String, Person> people = new LinkedHashMap<>();
    /** Every sale reported, by voucher (anonymous ones too: a redemption of them has an unknown seller). */
    private final Map<String, Sale> sales = new HashMap<>();

    /**
     * @param placeOf   participant id → district name of where it is (catalogue postcode → city.json)
     * @param segments  age bands and home districts, ages in the year the story picks ages far from band limits for
     */
    JourneyOracle(ZoneId zone, Map<String, String> placeOf, CitySegments segments, Clamps clamps) {
        this.zone = zone;
        this.placeOf = placeOf;
        this.segments = segments;
        this.clamps = clamps;
    }

    // ---- what was posted ----------------------------------------------------------------------------------------

    void mapping(String participant, String productGroup, String category) {
        categoryOf.put(participant + "|" + productGroup, category);
    }

    Person register(Person p) {
        people.put(p.ref, p);
        return p;
    }

    void purchase(String resident, Receipt r) {
        person(resident).receipts.put(r.ref(), r);
    }

    void retract(String resident, String receipt) {
        person(resident).receipts.remove(receipt);
    }

    void checkIn(String resident, CheckIn c) {
        person(resident).checkIns.add(c);
    }

    void engaged(String resident, Engagement e) {
        person(resident).engagements.add(e);
    }

    void credit(String resident, Credit c) {
        person(resident).credits.add(c);
    }

    void employerSpend(String resident, Spend s) {
        person(resident).employerSpends.add(s);
    }

    void bonus(String resident, Bonus b) {
        person(resident).bonus.add(b);
    }

    void sale(Sale s) {
        sales.put(s.voucher(), s);
        if (s.buyer() != null) person(s.buyer()).sales.add(s);
    }

    void giftRedemption(String resident, GiftRedemption r) {
        person(resident).giftRedemptions.add(r);
    }

    void erase(String resident) {
        Person p = person(resident);
        p.erased = true;
        p.receipts.clear();
        p.checkIns.clear();
        p.engagements.clear();
        p.credits.clear();
        p.employerSpends.clear();
        p.bonus.clear();
        p.sales.clear();
        p.giftRedemptions.clear();
    }

    private Person person(String ref) {
        Person p = people.get(ref);
        if (p == null) throw new IllegalArgumentException("fixture: unknown resident " + ref);
        return p;
    }

    // ---- persons, segments, visits --------------------------------------------------------------------------------

    boolean live(String ref) {
        return ref != null && people.containsKey(ref) && people.get(ref).live();
    }

    List<Person> residents() {
        return people.values().stream().filter(Person::live).toList();
    }

    String ageBand(Person p) {
        return segments.ageBand(p);
    }

    String homeDistrict(Person p) {
        return segments.homeDistrict(p);
    }

    String place(String participant) {
        return placeOf.getOrDefault(participant, NULL);
    }

    /** The mapped category with the largest amount (ties: the smallest id); all lines unmapped → unmapped. */
    String mainCategory(Receipt r) {
        Map<String, Long> amount = new TreeMap<>();
        for (Line l : r.lines()) {
            String c = categoryOf.get(r.participant() + "|" + l.productGroup());
            if (c != null) amount.merge(c, l.amountCents(), Long::sum);
        }
        String best = UNMAPPED;
        long most = -1;
        for (Map.Entry<String, Long> e : amount.entrySet()) { // ascending ids: the first of equal amounts wins
            if (e.getValue() > most) {
                best = e.getKey();
                most = e.getValue();
            }
        }
        return best;
    }

    static long total(Receipt r) {
        return r.lines().stream().mapToLong(Line::amountCents).sum();
    }

    /** The person's live visits in visit order (event time, participant, receipt or event id). */
    List<Visit> visits(Person p) {
        List<Visit> out = new ArrayList<>();
        for (Receipt r : p.receipts.values()) out.add(new Visit(r.participant(), r.time(), r.ref(), mainCategory(r), total(r)));
        for (CheckIn c : p.checkIns) {
            out.add(new Visit(c.participant(), c.time(), c.eventId(), c.category() == null ? EVENT_CATEGORY : c.category(), 0));
        }
        out.sort(Comparator.comparing(Visit::time).thenComparing(Visit::participant).thenComparing(Visit::id));
        return out;
    }

    YearMonth month(Instant t) {
        return YearMonth.from(t.atZone(zone));
    }

    int monthKey(Instant t) {
        YearMonth m = month(t);
        return m.getYear() * 100 + m.getMonthValue();
    }

    long epochDay(Instant t) {
        return t.atZone(zone).toLocalDate().toEpochDay();
    }

    static long wholeDays(Instant from, Instant to) {
        return Duration.between(from, to).toDays();
    }

    // ---- the figures as truths for the query API ------------------------------------------------------------------

    /** Distinct live persons with a purchase at the participant in the period (within the segment). */
    long customers(String participant, Predicate<YearMonth> period, Predicate<Person> segment) {
        return residents().stream().filter(segment).filter(p -> p.receipts.values().stream()
                .anyMatch(r -> r.participant().equals(participant) && period.test(month(r.time())))).count();
    }

    /**
     * Persons with a live purchase at both A and B within one period unit (a month, or the year when {@code
     * yearly}); summed over the units of the period (as the rows of the months are).
     */
    long shared(String a, String b, Predicate<YearMonth> period, boolean yearly, Predicate<Person> segment) {
        long n = 0;
        for (Person p : residents()) {
            if (!segment.test(p)) continue;
            Map<Object, Set<String>> byUnit = new HashMap<>();
            for (Receipt r : p.receipts.values()) {
                YearMonth m = month(r.time());
                if (!period.test(m)) continue;
                byUnit.computeIfAbsent(yearly ? (Object) m.getYear() : m, k -> new TreeSet<>()).add(r.participant());
            }
            for (Set<String> at : byUnit.values()) if (at.contains(a) && at.contains(b)) n++;
        }
        return n;
    }

    /** Flow rows: per person and destination month, distinct (from, to) with a consecutive gap ≤ the bucket. */
    long flows(String from, String to, long bucketHours, boolean byCategory, Predicate<YearMonth> period) {
        long n = 0;
        for (Person p : residents()) {
            Set<YearMonth> months = new TreeSet<>();
            List<Visit> v = visits(p);
            for (int i = 1; i < v.size(); i++) {
                Visit a = v.get(i - 1);
                Visit b = v.get(i);
                String f = byCategory ? a.category() : a.participant();
                String t = byCategory ? b.category() : b.participant();
                if (f.equals(t) || !f.equals(from) || !t.equals(to)) continue;
                if (Duration.between(a.time(), b.time()).compareTo(Duration.ofHours(bucketHours)) > 0) continue;
                if (period.test(month(b.time()))) months.add(month(b.time()));
            }
            n += months.size();
        }
        return n;
    }

    long firstVisits(String participant, Predicate<YearMonth> period) {
        return residents().stream().map(this::visits).filter(v -> !v.isEmpty()).map(v -> v.get(0))
                .filter(v -> v.participant().equals(participant) && period.test(month(v.time()))).count();
    }

    /** Visit rows (clamped to the first visits of a month) at a weekday and hour, or in a place; [visits, spend]. */
    long[] visitFigures(Predicate<Visit> which, Predicate<YearMonth> period, Predicate<Person> segment) {
        long[] out = new long[2];
        for (Person p : residents()) {
            if (!segment.test(p)) continue;
            for (Map.Entry<Visit, Long> e : clampedVisits(p).entrySet()) {
                if (!period.test(month(e.getKey().time())) || !which.test(e.getKey())) continue;
                out[0]++;
                out[1] += e.getValue();
            }
        }
        return out;
    }

    int weekday(Instant t) {
        return t.atZone(zone).getDayOfWeek().getValue();
    }

    int hour(Instant t) {
        return t.atZone(zone).getHour();
    }

    /** The visits that get a visit row, with the amount each carries after the person's monthly spend cut. */
    Map<Visit, Long> clampedVisits(Person p) {
        Map<Visit, Long> out = new LinkedHashMap<>();
        Map<YearMonth, long[]> used = new HashMap<>(); // [visits, cents]
        for (Visit v : visits(p)) {
            long[] u = used.computeIfAbsent(month(v.time()), m -> new long[2]);
            if (u[0] >= clamps.visitsPerMonth()) continue;
            long amount = Math.min(v.amountCents(), clamps.spendCentsPerMonth() - u[1]);
            u[0]++;
            u[1] += amount;
            out.put(v, amount);
        }
        return out;
    }

    /** engaged_month (buyers false) or engaged_buyer_month (buyers true) persons for P in the month. */
    long engaged(String participant, YearMonth m, boolean buyers) {
        return residents().stream().filter(p -> engagedIn(p, participant, m, buyers)).count();
    }

    /** Whether the person engaged with P in the month (and, for buyers, bought there within 30 days after). */
    boolean engaged(String participant, YearMonth m, boolean buyers, Person p) {
        return engagedIn(p, participant, m, buyers);
    }

    private boolean engagedIn(Person p, String participant, YearMonth m, boolean buyers) {
        for (Engagement e : p.engagements) {
            if (!e.participant().equals(participant) || !month(e.time()).equals(m)) continue;
            if (!buyers) return true;
            for (Receipt r : p.receipts.values()) {
                if (r.participant().equals(participant) && r.time().isAfter(e.time())
                        && !r.time().isAfter(e.time().plus(Duration.ofDays(30)))) return true;
            }
        }
        return false;
    }

    // ---- voucher rows (each with its cut amount) ------------------------------------------------------------------

    record VoucherRow(String measure, String participant, String counterpart, Instant time, long amountOrPoints,
                      long lagDays) {}

    /** Every voucher and bonus row of the live persons, amounts cut per person, measure and month in time order. */
    List<VoucherRow> voucherRows() {
        List<VoucherRow> out = new ArrayList<>();
        for (Person p : residents()) {
            List<VoucherRow> raw = new ArrayList<>();
            for (Credit c : p.credits) {
                raw.add(new VoucherRow("employer_voucher_credited", c.reporter(), c.employer(), c.time(), c.amountCents(), 0));
            }
            for (Spend s : p.employerSpends) {
                Credit latest = p.credits.stream().filter(c -> !c.time().isAfter(s.time()))
                        .max(Comparator.comparing(Credit::time)).orElse(null);
                raw.add(new VoucherRow("employer_voucher_spent", s.participant(), latest == null ? NULL : latest.employer(),
                        s.time(), s.amountCents(), latest == null ? 0 : wholeDays(latest.time(), s.time())));
            }
            for (Bonus b : p.bonus) {
                raw.add(new VoucherRow(b.earned() ? "bonus_points_earned" : "bonus_points_redeemed", b.participant(), NULL,
                        b.time(), b.points(), 0));
            }
            for (Sale s : p.sales) raw.add(new VoucherRow("gift_voucher_sold", s.seller(), NULL, s.time(), s.amountCents(), 0));
            for (GiftRedemption r : p.giftRedemptions) {
                Sale sale = sales.get(r.voucher());
                boolean known = sale != null && live(sale.buyer());
                raw.add(new VoucherRow("gift_voucher_redeemed", r.participant(), known ? sale.seller() : NULL, r.time(),
                        r.amountCents(), known ? wholeDays(sale.time(), r.time()) : 0));
            }
            raw.sort(Comparator.comparing(VoucherRow::time));
            Map<String, Long> used = new HashMap<>();
            for (VoucherRow r : raw) {
                long clamp = r.measure().startsWith("bonus") ? clamps.bonusPointsPerMonth() : clamps.voucherCentsPerMonth();
                String key = r.measure() + "|" + month(r.time());
                long u = used.getOrDefault(key, 0L);
                long cut = Math.min(r.amountOrPoints(), clamp - u);
                used.put(key, u + cut);
                out.add(new VoucherRow(r.measure(), r.participant(), r.counterpart(), r.time(), cut, r.lagDays()));
            }
        }
        return out;
    }

    // ---- every row of the contributions table, keyed as pinotFigures reads them ------------------------------------

    Map<String, Map<String, List<Long>>> tableFigures() {
        Map<String, List<Long>> visit = new TreeMap<>();
        Map<String, List<Long>> sharedMonth = new TreeMap<>();
        Map<String, List<Long>> sharedYear = new TreeMap<>();
        Map<String, List<Long>> flow = new TreeMap<>();
        Map<String, List<Long>> categoryFlow = new TreeMap<>();
        Map<String, List<Long>> first = new TreeMap<>();
        Map<String, List<Long>> engaged = new TreeMap<>();
        Map<String, List<Long>> engagedBuyers = new TreeMap<>();
        Map<String, List<Long>> customerMonth = new TreeMap<>();
        for (Person p : residents()) {
            String band = ageBand(p);
            clampedVisits(p).forEach((v, amount) -> add(visit, v.participant() + "|" + v.category() + "|" + weekday(v.time())
                    + "|" + hour(v.time()) + "|" + place(v.participant()) + "|" + epochDay(v.time()) + "|" + band, 1, amount));

            Map<Integer, Set<String>> atMonth = new TreeMap<>();
            Map<Integer, Set<String>> atYear = new TreeMap<>();
            for (Receipt r : p.receipts.values()) {
                atMonth.computeIfAbsent(monthKey(r.time()), k -> new TreeSet<>()).add(r.participant());
                atYear.computeIfAbsent(month(r.time()).getYear(), k -> new TreeSet<>()).add(r.participant());
            }
            atMonth.forEach((m, shops) -> {
                shops.forEach(s -> add(customerMonth, s + "|" + m, 1));
                pairs(shops).forEach(pair -> add(sharedMonth, pair + "|" + m + "|" + band, 1));
            });
            atYear.forEach((y, shops) -> pairs(shops).forEach(pair -> add(sharedYear, pair + "|" + y + "|" + band, 1)));

            List<Visit> v = visits(p);
            Set<String> flowKeys = new LinkedHashSet<>();
            Set<String> categoryKeys = new LinkedHashSet<>();
            for (int i = 1; i < v.size(); i++) {
                Visit a = v.get(i - 1);
                Visit b = v.get(i);
                Duration gap = Duration.between(a.time(), b.time());
                for (long bucket : BUCKETS_HOURS) {
                    if (gap.compareTo(Duration.ofHours(bucket)) > 0) continue;
                    String tail = "|" + bucket + "|" + monthKey(b.time());
                    if (!a.participant().equals(b.participant())) flowKeys.add(a.participant() + "|" + b.participant() + tail);
                    if (!a.category().equals(b.category())) categoryKeys.add(a.category() + "|" + b.category() + tail);
                }
            }
            flowKeys.forEach(k -> add(flow, k, 1));
            categoryKeys.forEach(k -> add(categoryFlow, k, 1));
            if (!v.isEmpty()) add(first, v.get(0).participant() + "|" + epochDay(v.get(0).time()), 1);

            Set<String> engagedKeys = new TreeSet<>();
            Set<String> buyerKeys = new TreeSet<>();
            for (Engagement e : p.engagements) {
                YearMonth m = month(e.time());
                String key = e.participant() + "|" + m.atDay(1).toEpochDay();
                engagedKeys.add(key);
                if (engagedIn(p, e.participant(), m, true)) buyerKeys.add(key);
            }
            engagedKeys.forEach(k -> add(engaged, k, 1));
            buyerKeys.forEach(k -> add(engagedBuyers, k, 1));
        }
        Map<String, Map<String, List<Long>>> f = new TreeMap<>();
        f.put("visit by participant/category/weekday/hour/place/day/ageBand", visit);
        f.put("shared_customer_month by A/B/month/ageBand", sharedMonth);
        f.put("shared_customer_year by A/B/year/ageBand", sharedYear);
        f.put("flow_month by from/to/bucket/month", flow);
        f.put("category_flow_month by from/to/bucket/month", categoryFlow);
        f.put("first_visit by participant/day", first);
        f.put("engaged_month by participant/day", engaged);
        f.put("engaged_buyer_month by participant/day", engagedBuyers);
        f.put("customer_month by participant/month", customerMonth);
        for (String m : List.of("employer_voucher_credited", "employer_voucher_spent", "gift_voucher_sold",
                "gift_voucher_redeemed", "bonus_points_earned", "bonus_points_redeemed")) {
            f.put(m + " by participant/counterpart/month", new TreeMap<>());
        }
        for (VoucherRow r : voucherRows()) {
            add(f.get(r.measure() + " by participant/counterpart/month"), r.participant() + "|" + r.counterpart() + "|"
                    + monthKey(r.time()), 1, r.amountOrPoints(), r.lagDays());
        }
        return f;
    }

    private static List<String> pairs(Set<String> shops) {
        List<String> out = new ArrayList<>();
        for (String a : shops) for (String b : shops) if (!a.equals(b)) out.add(a + "|" + b);
        return out;
    }

    /** The same figures read exactly from Pinot (the developer's view; no privacy layer). */
    static Map<String, Map<String, List<Long>>> pinotFigures(BehaviourTestSupport support, String city, String contributions) {
        String m = " FROM " + contributions + " WHERE city = '" + city + "' AND measure = ";
        String limit = " LIMIT 100000";
        Map<String, Map<String, List<Long>>> f = new TreeMap<>();
        f.put("visit by participant/category/weekday/hour/place/day/ageBand", support.pinotRows("SELECT participant, category,"
                + " weekday, hour, place, day, ageBand, SUM(count), SUM(amountCents)" + m + "'visit' GROUP BY participant,"
                + " category, weekday, hour, place, day, ageBand" + limit, 7));
        f.put("shared_customer_month by A/B/month/ageBand", support.pinotRows("SELECT participant, counterpart, month, ageBand,"
                + " SUM(count)" + m + "'shared_customer_month' GROUP BY participant, counterpart, month, ageBand" + limit, 4));
        f.put("shared_customer_year by A/B/year/ageBand", support.pinotRows("SELECT participant, counterpart, year, ageBand,"
                + " SUM(count)" + m + "'shared_customer_year' GROUP BY participant, counterpart, year, ageBand" + limit, 4));
        f.put("flow_month by from/to/bucket/month", support.pinotRows("SELECT participant, counterpart, lagBucket, month,"
                + " SUM(count)" + m + "'flow_month' GROUP BY participant, counterpart, lagBucket, month" + limit, 4));
        f.put("category_flow_month by from/to/bucket/month", support.pinotRows("SELECT category, counterpart, lagBucket, month,"
                + " SUM(count)" + m + "'category_flow_month' GROUP BY category, counterpart, lagBucket, month" + limit, 4));
        f.put("first_visit by participant/day", support.pinotRows("SELECT participant, day, SUM(count)" + m
                + "'first_visit' GROUP BY participant, day" + limit, 2));
        f.put("engaged_month by participant/day", support.pinotRows("SELECT participant, day, SUM(count)" + m
                + "'engaged_month' GROUP BY participant, day" + limit, 2));
        f.put("engaged_buyer_month by participant/day", support.pinotRows("SELECT participant, day, SUM(count)" + m
                + "'engaged_buyer_month' GROUP BY participant, day" + limit, 2));
        f.put("customer_month by participant/month", support.pinotRows("SELECT participant, month, SUM(count)" + m
                + "'customer_month' GROUP BY participant, month" + limit, 2));
        for (String measure : List.of("employer_voucher_credited", "employer_voucher_spent", "gift_voucher_sold",
                "gift_voucher_redeemed", "bonus_points_earned", "bonus_points_redeemed")) {
            String amount = measure.startsWith("bonus") ? "SUM(quantity)" : "SUM(amountCents)";
            f.put(measure + " by participant/counterpart/month", support.pinotRows("SELECT participant, counterpart, month,"
                    + " SUM(count), " + amount + ", SUM(lagDays)" + m + "'" + measure + "' GROUP BY participant, counterpart,"
                    + " month" + limit, 3));
        }
        return f;
    }

    static void add(Map<String, List<Long>> m, String key, long... values) {
        List<Long> v = new ArrayList<>();
        for (long x : values) v.add(x);
        m.merge(key, v, BehaviourTestSupport::plus);
        if (m.get(key).stream().allMatch(x -> x == 0)) m.remove(key);
    }
}
