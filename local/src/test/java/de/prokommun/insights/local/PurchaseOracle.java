package de.prokommun.insights.local;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The purchase-behaviour figures computed directly from the events a test posted, in plain Java and without any
 * pipeline code: who is a live resident, which receipts are live, which category each line has (by the mappings
 * the shops uploaded), and from that buyers, clamped purchases and spend, tags, last purchase day and the sums
 * the contributions table must hold. Segments (age band, personas, district, household type, gender) are those
 * of the resident; the test picks ages whose band and age-based personas do not change over the story's years.
 */
final class PurchaseOracle {

    static final String UNMAPPED = "unmapped";

    record Line(String productGroup, long quantity, long amountCents) {}

    record Receipt(String participant, String ref, ZonedDateTime time, List<Line> lines, boolean byCard, boolean imported) {
        LocalDate day() { return time.toLocalDate(); }

        YearMonth month() { return YearMonth.from(time); }
    }

    static final class Person extends CitySegments.Resident {
        String card;
        final Map<String, Receipt> receipts = new LinkedHashMap<>();

        Person(String ref, int birthYear, String gender, String postcode, String household, boolean consent) {
            super(ref, birthYear, gender, postcode, household, consent);
        }
    }

    private final ZoneId zone;
    private final CitySegments segments;
    private final long clampPurchases;
    private final long clampSpend;
    private final int year;
    private final Map<String, String> categoryOf = new HashMap<>();
    final Map<String, Person> people = new LinkedHashMap<>();
    private final Map<String, String> cardOwner = new HashMap<>();

    PurchaseOracle(ZoneId zone, CitySegments segments, long clampPurchases, long clampSpend) {
        this.zone = zone;
        this.segments = segments;
        this.clampPurchases = clampPurchases;
        this.clampSpend = clampSpend;
        this.year = segments.year;
    }

    // ---- what was posted ----------------------------------------------------------------------------------------

    void mapping(String participant, String productGroup, String category) {
        categoryOf.put(participant + "|" + productGroup, category);
    }

    Person register(Person p) {
        people.put(p.ref, p);
        return p;
    }

    void link(Person p, String card) {
        p.card = card;
        cardOwner.put(card, p.ref);
    }

    /** A purchase by resident or by card; a card nobody linked belongs to nobody. */
    void purchase(Receipt r, String resident, String card) {
        String ref = resident != null ? resident : cardOwner.get(card);
        if (ref == null || !people.containsKey(ref)) return;
        people.get(ref).receipts.put(r.ref(), r);
    }

    void retract(Person p, String receipt) {
        p.receipts.remove(receipt);
    }

    void erase(Person p) {
        p.erased = true;
        p.receipts.clear();
    }

    // ---- segments ----------------------------------------------------------------------------------------------

    List<Person> residents() {
        return people.values().stream().filter(Person::live).toList();
    }

    String ageBand(Person p) {
        return segments.ageBand(p);
    }

    String bandOf(int age) {
        return segments.bandOf(age);
    }

    String district(Person p) {
        return segments.homeDistrict(p);
    }

    /** The personas that depend on household type and age only (cities/musterstadt/personas.json). */
    Set<String> personas(Person p) {
        int age = year - p.birthYear;
        Set<String> out = new TreeSet<>();
        if (age >= 13 && age <= 17) out.add("teenager");
        if (age >= 18 && age <= 29) out.add("young_adult");
        if (age >= 18 && p.household.equals("SINGLE")) out.add("single");
        if (p.household.equals("COUPLE")) out.add("couple");
        if (p.household.equals("FAMILY")) out.add("family");
        if (p.household.equals("SINGLE_PARENT")) out.add("single_parent");
        if (age >= 50 && age <= 64) out.add("best_ager");
        if (age >= 65) out.add("senior");
        return out;
    }

    String category(Receipt r, Line l) {
        return categoryOf.getOrDefault(r.participant() + "|" + l.productGroup(), UNMAPPED);
    }

    // ---- figures -----------------------------------------------------------------------------------------------

    long population(Predicate<Person> segment) {
        return residents().stream().filter(segment).count();
    }

    /** Live receipts of the person with at least one line of the category, per month: [receipts, spend of those lines]. */
    private Map<YearMonth, long[]> perMonth(Person p, String category) {
        Map<YearMonth, long[]> out = new TreeMap<>();
        for (Receipt r : p.receipts.values()) {
            long spend = 0;
            boolean has = false;
            for (Line l : r.lines()) {
                if (category(r, l).equals(category)) {
                    has = true;
                    spend += l.amountCents();
                }
            }
            if (!has) continue;
            long[] s = out.computeIfAbsent(r.month(), m -> new long[2]);
            s[0]++;
            s[1] += spend;
        }
        return out;
    }

    long buyers(String category, Predicate<YearMonth> period, Predicate<Person> segment) {
        return residents().stream().filter(segment)
                .filter(p -> perMonth(p, category).keySet().stream().anyMatch(period)).count();
    }

    long clampedPurchases(String category, Predicate<YearMonth> period, Predicate<Person> segment) {
        return residents().stream().filter(segment).mapToLong(p -> perMonth(p, category).entrySet().stream()
                .filter(e -> period.test(e.getKey())).mapToLong(e -> Math.min(e.getValue()[0], clampPurchases)).sum()).sum();
    }

    long clampedSpend(String category, Predicate<YearMonth> period, Predicate<Person> segment) {
        return residents().stream().filter(segment).mapToLong(p -> perMonth(p, category).entrySet().stream()
                .filter(e -> period.test(e.getKey())).mapToLong(e -> Math.min(e.getValue()[1], clampSpend)).sum()).sum();
    }

    LocalDate lastPurchaseDay(Person p) {
        return p.receipts.values().stream().map(Receipt::day).max(LocalDate::compareTo).orElse(null);
    }

    /** Bought the category in the year (live) and bought anything within the last {@code days} days before today. */
    long stillActive(String category, int inYear, LocalDate today, int days, Predicate<Person> segment) {
        return residents().stream().filter(segment)
                .filter(p -> perMonth(p, category).keySet().stream().anyMatch(m -> m.getYear() == inYear))
                .filter(p -> lastPurchaseDay(p) != null && !lastPurchaseDay(p).isBefore(today.minusDays(days))).count();
    }

    long customers(String participant, Predicate<Person> segment) {
        return residents().stream().filter(segment)
                .filter(p -> p.receipts.values().stream().anyMatch(r -> r.participant().equals(participant))).count();
    }

    /** Every figure the contributions and profiles tables must hold, keyed as {@link #pinotFigures} reads them. */
    Map<String, Map<String, List<Long>>> tableFigures(LocalDate today, int activeDays) {
        Map<String, List<Long>> buyerYear = new TreeMap<>();
        Map<String, List<Long>> buyerMonth = new TreeMap<>();
        Map<String, List<Long>> purchase = new TreeMap<>();
        Map<String, List<Long>> purchaseClamped = new TreeMap<>();
        Map<String, List<Long>> spendClamped = new TreeMap<>();
        Map<String, List<Long>> customerYear = new TreeMap<>();
        // the resident-derived unmapped_line rows (raw product group beside a segment) are gone (issue 14, item 8)
        Map<String, List<Long>> unmappedLines = new TreeMap<>();
        Map<String, List<Long>> profiles = new TreeMap<>();
        Map<String, List<Long>> tags = new TreeMap<>();
        Map<String, List<Long>> activeTags = new TreeMap<>();
        for (Person p : residents()) {
            String segment = ageBand(p) + "|" + p.gender + "|" + district(p) + "|" + p.household;
            add(profiles, segment, 1);
            Set<String> categories = new TreeSet<>();
            Set<String> buyerYears = new HashSet<>();
            Set<String> buyerMonths = new HashSet<>();
            Set<String> customerYears = new HashSet<>();
            Set<String> personTags = new TreeSet<>();
            for (Receipt r : p.receipts.values()) {
                Map<String, long[]> byCategory = new TreeMap<>();
                for (Line l : r.lines()) {
                    String c = category(r, l);
                    long[] s = byCategory.computeIfAbsent(c, k -> new long[2]);
                    s[0] += l.quantity();
                    s[1] += l.amountCents();
                }
                int month = r.month().getYear() * 100 + r.month().getMonthValue();
                byCategory.forEach((c, s) -> {
                    add(purchase, r.participant() + "|" + c + "|" + month, 1, s[0], s[1]);
                    categories.add(c);
                    buyerYears.add(c + "|" + r.month().getYear());
                    buyerMonths.add(c + "|" + month);
                    if (!c.equals(UNMAPPED)) personTags.add("category:" + c + ":" + r.month().getYear());
                });
                customerYears.add(r.participant() + "|" + r.month().getYear());
                personTags.add("customer:" + r.participant());
            }
            buyerYears.forEach(k -> add(buyerYear, k + "|" + segment, 1));
            buyerMonths.forEach(k -> add(buyerMonth, k, 1));
            customerYears.forEach(k -> add(customerYear, k, 1));
            for (String c : categories) {
                perMonth(p, c).forEach((m, s) -> {
                    String key = c + "|" + (m.getYear() * 100 + m.getMonthValue()) + "|" + ageBand(p);
                    add(purchaseClamped, key, Math.min(s[0], clampPurchases));
                    add(spendClamped, key, Math.min(s[1], clampSpend));
                });
            }
            personTags.forEach(t -> add(tags, t, 1));
            LocalDate last = lastPurchaseDay(p);
            if (last != null && !last.isBefore(today.minusDays(activeDays))) personTags.forEach(t -> add(activeTags, t, 1));
        }
        Map<String, Map<String, List<Long>>> f = new TreeMap<>();
        f.put("buyer_year by category/year/segment", buyerYear);
        f.put("buyer_month by category/month", buyerMonth);
        f.put("purchase by participant/category/month", purchase);
        f.put("purchase_clamped by category/month/ageBand", purchaseClamped);
        f.put("spend_clamped by category/month/ageBand", spendClamped);
        f.put("customer_year by participant/year", customerYear);
        f.put("unmapped_line by participant/group", unmappedLines);
        f.put("profiles by segment", profiles);
        f.put("profile tags", tags);
        f.put("profile tags of the still active", activeTags);
        return f;
    }

    /** The same figures read exactly from Pinot (the developer's view; no privacy layer). */
    static Map<String, Map<String, List<Long>>> pinotFigures(BehaviourTestSupport support, String city, String contributions,
                                                             String profiles, LocalDate today, int activeDays) {
        String m = " FROM " + contributions + " WHERE city = '" + city + "' AND measure = ";
        String p = " FROM " + profiles + " WHERE city = '" + city + "' AND deleted = false";
        String limit = " LIMIT 100000";
        Map<String, Map<String, List<Long>>> f = new TreeMap<>();
        f.put("buyer_year by category/year/segment", support.pinotRows("SELECT category, year, ageBand, gender, district,"
                + " householdType, SUM(count)" + m + "'buyer_year' GROUP BY category, year, ageBand, gender, district,"
                + " householdType" + limit, 6));
        f.put("buyer_month by category/month", support.pinotRows("SELECT category, month, SUM(count)" + m
                + "'buyer_month' GROUP BY category, month" + limit, 2));
        f.put("purchase by participant/category/month", support.pinotRows("SELECT participant, category, month, SUM(count),"
                + " SUM(quantity), SUM(amountCents)" + m + "'purchase' GROUP BY participant, category, month" + limit, 3));
        f.put("purchase_clamped by category/month/ageBand", support.pinotRows("SELECT category, month, ageBand, SUM(count)"
                + m + "'purchase_clamped' GROUP BY category, month, ageBand" + limit, 3));
        f.put("spend_clamped by category/month/ageBand", support.pinotRows("SELECT category, month, ageBand,"
                + " SUM(amountCents)" + m + "'spend_clamped' GROUP BY category, month, ageBand" + limit, 3));
        f.put("customer_year by participant/year", support.pinotRows("SELECT participant, year, SUM(count)" + m
                + "'customer_year' GROUP BY participant, year" + limit, 2));
        f.put("unmapped_line by participant/group", support.pinotRows("SELECT participant, category, SUM(count),"
                + " SUM(quantity), SUM(amountCents)" + m + "'unmapped_line' GROUP BY participant, category" + limit, 2));
        f.put("profiles by segment", support.pinotRows("SELECT ageBand, gender, district, householdType, COUNT(*)" + p
                + " GROUP BY ageBand, gender, district, householdType" + limit, 4));
        f.put("profile tags", purchaseTags(support.pinotRows("SELECT purchaseTags, COUNT(*)" + p + " GROUP BY purchaseTags"
                + limit, 1)));
        long since = today.minusDays(activeDays).toEpochDay();
        f.put("profile tags of the still active", purchaseTags(support.pinotRows("SELECT purchaseTags, COUNT(*)" + p
                + " AND lastPurchaseDay >= " + since + " GROUP BY purchaseTags" + limit, 1)));
        return f;
    }

    /** Profiles without tags group under Pinot's null value of a multi-value column; only real tags count. */
    private static Map<String, List<Long>> purchaseTags(Map<String, List<Long>> rows) {
        Map<String, List<Long>> out = new TreeMap<>(rows);
        out.keySet().removeIf(k -> !k.startsWith("category:") && !k.startsWith("customer:"));
        return out;
    }

    private static void add(Map<String, List<Long>> m, String key, long... values) {
        List<Long> v = new ArrayList<>();
        for (long x : values) v.add(x);
        m.merge(key, v, BehaviourTestSupport::plus);
        if (m.get(key).stream().allMatch(x -> x == 0)) m.remove(key);
    }
}
