package de.prokommun.insights.query;

import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.ProfileRow;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Residents with purchase histories for InsightsIT. {@link #deltas()} are the contribution rows a ledger
 * writes for the events in order — purchases, one retracted purchase (its negation) and one erased person
 * (the negation of everything) — with per-person clamps of purchases and spend per category and month.
 * The true figures are computed here directly from the purchases still live, not from the rows.
 */
final class PurchaseFixture {

    static final String CITY = "musterstadt";
    static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    static final String BAKERY = "baeckerei-schmidt";
    static final String BUTCHER = "metzgerei-meier";
    static final String BREAD = "lebensmittel.backwaren";
    static final String MEAT = "lebensmittel.fleisch-wurst";
    static final List<String> PERSONAS = List.of("family", "senior", "student", "young_adult", "single");

    record Purchase(String participant, String category, LocalDate day, long amountCents) {}

    record Person(String pseudonym, int age, String ageBand, String gender, String district, String householdType,
                  List<String> personas, List<Purchase> purchases, boolean erased) {}

    final long clampPurchases;
    final long clampSpend;
    final LocalDate today;
    final List<Person> people = new ArrayList<>();
    /** The person one of whose purchases was retracted, and that purchase. */
    final Person retractedFrom;
    final Purchase retracted;
    /** Unmapped product groups of the bakery and their receipt lines. */
    final Map<String, Long> unmappedLines = Map.of("Torten", 40L, "Kaffee", 25L, "Sonderposten", 2L);

    private final List<ContributionDelta> rows = new ArrayList<>();

    PurchaseFixture(long seed, LocalDate today, long clampPurchases, long clampSpend) {
        this.today = today;
        this.clampPurchases = clampPurchases;
        this.clampSpend = clampSpend;
        Random rnd = new Random(seed);
        LocalDate start = LocalDate.of(today.getYear() - 2, 1, 1);
        int span = (int) (today.toEpochDay() - start.toEpochDay());
        for (int i = 0; i < 260; i++) {
            int age = 14 + rnd.nextInt(70);
            List<String> personas = new ArrayList<>();
            for (String p : PERSONAS) if (rnd.nextInt(3) == 0) personas.add(p);
            List<Purchase> purchases = new ArrayList<>();
            int receipts = rnd.nextInt(12);
            for (int r = 0; r < receipts; r++) {
                purchases.add(new Purchase(rnd.nextBoolean() ? BAKERY : BUTCHER, rnd.nextInt(3) == 0 ? MEAT : BREAD,
                        start.plusDays(rnd.nextInt(span + 1)), 100 + rnd.nextInt(3000)));
            }
            if (i % 20 == 0) { // heavy buyers: more purchases in one month than the clamp admits
                LocalDate day = today.minusMonths(2).withDayOfMonth(3);
                for (int r = 0; r < 6; r++) purchases.add(new Purchase(BAKERY, BREAD, day.plusDays(r), 1500));
            }
            people.add(new Person(String.format("psn-%016x%016x", rnd.nextLong(), rnd.nextLong()), age,
                    ProfileFixture.ageBand(age), ProfileFixture.GENDERS.get(rnd.nextInt(3)),
                    ProfileFixture.DISTRICTS.get(rnd.nextInt(ProfileFixture.DISTRICTS.size())),
                    ProfileFixture.HOUSEHOLDS.get(rnd.nextInt(ProfileFixture.HOUSEHOLDS.size())), personas, purchases,
                    i == 20));
        }
        // Retract a purchase that alone makes its buyer a buyer of its category in that year: every figure moves.
        Person from = null;
        Purchase which = null;
        for (Person p : people.subList(30, people.size())) {
            for (Purchase x : p.purchases()) {
                long sameYear = p.purchases().stream().filter(y -> y.category().equals(x.category())
                        && y.day().getYear() == x.day().getYear()).count();
                if (sameYear == 1 && x.day().getYear() == today.getYear() - 1 && which == null) {
                    from = p;
                    which = x;
                }
            }
        }
        retractedFrom = from;
        retracted = which;
        record();
    }

    // ---- the ledger's rows --------------------------------------------------------------------------------

    /** Per person: supporters of each distinct key and the purchases/spend of each (category, month). */
    private void record() {
        for (Person p : people) {
            Map<String, Integer> support = new HashMap<>();
            Map<String, long[]> monthly = new HashMap<>();
            for (Purchase x : p.purchases()) apply(p, x, +1, support, monthly);
            if (p == retractedFrom) apply(p, retracted, -1, support, monthly);
            if (p.erased()) {
                for (Purchase x : p.purchases()) apply(p, x, -1, support, monthly);
            }
            if (p.pseudonym().equals(people.get(3).pseudonym())) {
                // the ledger's resident-derived measure (no longer read by the report) and the report's own, from
                // every submitted purchase (issue 15): a decoy 1000 lines apart so the IT sees which one is read
                unmappedLines.forEach((group, lines) -> rows.add(row(p, "unmapped_line", BAKERY, group,
                        today.minusDays(5), lines + 1000, 0)));
                unmappedLines.forEach((group, lines) -> rows.add(row(p, "submitted_unmapped_line", BAKERY, group,
                        today.minusDays(5), lines, 0)));
            }
        }
    }

    private void apply(Person p, Purchase x, int sign, Map<String, Integer> support, Map<String, long[]> monthly) {
        rows.add(row(p, "purchase", x.participant(), x.category(), x.day(), sign, sign * x.amountCents()));
        distinct(p, "buyer_year", x.category(), x.day().withDayOfYear(1), sign, support);
        distinct(p, "buyer_month", x.category(), x.day().withDayOfMonth(1), sign, support);
        long[] m = monthly.computeIfAbsent(x.category() + "|" + x.day().withDayOfMonth(1), k -> new long[2]);
        long purchasesBefore = Math.min(m[0], clampPurchases);
        long spendBefore = Math.min(m[1], clampSpend);
        m[0] += sign;
        m[1] += sign * x.amountCents();
        LocalDate first = x.day().withDayOfMonth(1);
        long dp = Math.min(m[0], clampPurchases) - purchasesBefore;
        long ds = Math.min(m[1], clampSpend) - spendBefore;
        if (dp != 0) rows.add(row(p, "purchase_clamped", null, x.category(), first, dp, 0));
        if (ds != 0) rows.add(row(p, "spend_clamped", null, x.category(), first, 0, ds));
    }

    private void distinct(Person p, String measure, String category, LocalDate periodStart, int sign,
                          Map<String, Integer> support) {
        String key = measure + "|" + category + "|" + periodStart;
        int before = support.getOrDefault(key, 0);
        int after = before + sign;
        support.put(key, after);
        if (before == 0 && after == 1) rows.add(row(p, measure, null, category, periodStart, 1, 0));
        if (before == 1 && after == 0) rows.add(row(p, measure, null, category, periodStart, -1, 0));
    }

    private static ContributionDelta row(Person p, String measure, String participant, String category, LocalDate day,
                                         long count, long amountCents) {
        return ContributionDelta.newBuilder().setCity(CITY).setMeasure(measure).setDay((int) day.toEpochDay())
                .setMonth(day.getYear() * 100 + day.getMonthValue()).setYear(day.getYear())
                .setParticipant(participant).setCategory(category).setAgeBand(p.ageBand()).setGender(p.gender())
                .setDistrict(p.district()).setHouseholdType(p.householdType()).setPersonas(p.personas())
                .setCount(count).setQuantity(count).setAmountCents(amountCents)
                .setEventTime(day.atStartOfDay(ZONE).toInstant().toEpochMilli()).build();
    }

    List<ContributionDelta> deltas() {
        return List.copyOf(rows);
    }

    List<ProfileRow> profiles() {
        List<ProfileRow> out = new ArrayList<>();
        for (Person p : people) {
            TreeSet<String> tags = new TreeSet<>();
            Integer last = null;
            for (Purchase x : live(p)) {
                tags.add("category:" + x.category() + ":" + x.day().getYear());
                tags.add("customer:" + x.participant());
                last = last == null ? (int) x.day().toEpochDay() : Math.max(last, (int) x.day().toEpochDay());
            }
            out.add(ProfileRow.newBuilder().setPseudonym(p.pseudonym()).setCity(CITY).setBirthYear(today.getYear() - p.age())
                    .setAge(p.age()).setAgeBand(p.ageBand()).setGender(p.gender()).setDistrict(p.district())
                    .setHouseholdType(p.householdType()).setPersonas(p.personas()).setInterests(List.of())
                    .setConsentOffers(true).setConsentNewsletter(false).setRegisteredDay(19_000)
                    .setLastActivityDay(last).setLastPurchaseDay(last).setPurchaseTags(new ArrayList<>(tags))
                    .setDeleted(p.erased()).setUpdatedAt(1_764_000_000_000L).setVersion(1).build());
        }
        return out;
    }

    // ---- the truth, from live purchases -------------------------------------------------------------------

    List<Purchase> live(Person p) {
        if (p.erased()) return List.of();
        List<Purchase> list = new ArrayList<>(p.purchases());
        if (p == retractedFrom) list.remove(retracted);
        return list;
    }

    List<Person> residents() {
        return people.stream().filter(p -> !p.erased()).toList();
    }

    /** Residents (not erased) matching a predicate. */
    long population(Predicate<Person> who) {
        return residents().stream().filter(who).count();
    }

    /** Distinct residents with a live purchase of the category on a day matching the period. */
    long buyers(String category, Predicate<LocalDate> period, Predicate<Person> who) {
        return residents().stream().filter(who)
                .filter(p -> live(p).stream().anyMatch(x -> x.category().equals(category) && period.test(x.day())))
                .count();
    }

    /** Σ over people and months in the period of min(purchases, clamp). */
    long clampedPurchases(String category, Predicate<LocalDate> period, Predicate<Person> who) {
        return clamped(category, period, who, false);
    }

    long clampedSpend(String category, Predicate<LocalDate> period, Predicate<Person> who) {
        return clamped(category, period, who, true);
    }

    private long clamped(String category, Predicate<LocalDate> period, Predicate<Person> who, boolean spend) {
        long total = 0;
        for (Person p : residents()) {
            if (!who.test(p)) continue;
            Map<LocalDate, long[]> perMonth = new HashMap<>();
            for (Purchase x : live(p)) {
                if (!x.category().equals(category) || !period.test(x.day())) continue;
                long[] m = perMonth.computeIfAbsent(x.day().withDayOfMonth(1), k -> new long[2]);
                m[0]++;
                m[1] += x.amountCents();
            }
            for (long[] m : perMonth.values()) total += spend ? Math.min(m[1], clampSpend) : Math.min(m[0], clampPurchases);
        }
        return total;
    }

    /** Residents who bought the category in the year and whose last live purchase is within 90 days. */
    long stillActive(String category, int year) {
        return residents().stream()
                .filter(p -> live(p).stream().anyMatch(x -> x.category().equals(category) && x.day().getYear() == year))
                .filter(p -> live(p).stream().anyMatch(x -> x.day().toEpochDay() >= today.toEpochDay() - 90))
                .count();
    }

    /** Residents with a live purchase at the participant. */
    Predicate<Person> customerOf(String participant) {
        return p -> live(p).stream().anyMatch(x -> x.participant().equals(participant));
    }

    List<String> pseudonyms() {
        return people.stream().map(Person::pseudonym).toList();
    }
}
