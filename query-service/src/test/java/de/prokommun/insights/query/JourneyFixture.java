package de.prokommun.insights.query;

import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.ProfileRow;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Residents of one year with visits, engagements, vouchers and bonus points for JourneyIT. {@link #deltas()} are the
 * contribution rows the journey and voucher operators write: the rows of everything recorded, then — as the ledger
 * does on a purchase retraction and an erasure — the exact negation of what disappeared and the rows that appear
 * instead (a flow over the retracted visit becomes a flow over its neighbours; a redemption of a voucher whose
 * buyer was erased loses its seller). The true figures are computed here from the live events, per the
 * definitions of docs/JOURNEY.md.
 */
final class JourneyFixture {

    static final String CITY = "musterstadt";
    static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    static final String BAKERY = "baeckerei-schmidt";
    static final String BUTCHER = "metzgerei-brand";
    static final String GROCER = "edeka-mueller";
    /** A participant outside the city's catalogue: pooled in "other". */
    static final String STRANGER = "fremder-laden";
    static final List<String> CATALOGUE = List.of(BAKERY, BUTCHER, GROCER);
    static final Map<String, String> PLACES = Map.of(BAKERY, "Altstadt", BUTCHER, "Saarn", GROCER, "Altstadt");
    static final Map<String, String> POSTCODES = Map.of(BAKERY, "45468", BUTCHER, "45481", GROCER, "45468");
    static final String KLINIKUM = "klinikum-musterstadt";
    static final String STADTWERKE = "stadtwerke-musterstadt";
    static final List<String> EMPLOYERS = List.of(KLINIKUM, STADTWERKE);
    static final String BREAD = "lebensmittel.backwaren";
    static final String MEAT = "lebensmittel.fleisch-wurst";
    static final String EVENT = "veranstaltung";
    static final int[] BUCKETS = {1, 24, 168, 720};
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;

    record Visit(String id, String participant, String category, long time, long amountCents, boolean purchase) {}

    record Engagement(String participant, long time) {}

    record Sale(String voucher, String seller, Person buyer, long time, long amountCents) {}

    record Redemption(String id, Sale sale, Person redeemer, String place, long time, long amountCents) {}

    record Credit(String id, String employer, long time, long amountCents) {}

    record Spend(String id, String place, long time, long amountCents) {}

    record Bonus(String id, String participant, long time, long points, boolean earned) {}

    static final class Person {
        final String pseudonym;
        final String ageBand;
        final String gender;
        final String district;
        final String household;
        final List<String> personas;
        final List<Visit> visits = new ArrayList<>();
        final List<Engagement> engagements = new ArrayList<>();
        final List<Credit> credits = new ArrayList<>();
        final List<Spend> spends = new ArrayList<>();
        final List<Bonus> bonus = new ArrayList<>();
        boolean erased;

        Person(String pseudonym, String ageBand, String gender, String district, String household, List<String> personas) {
            this.pseudonym = pseudonym;
            this.ageBand = ageBand;
            this.gender = gender;
            this.district = district;
            this.household = household;
            this.personas = personas;
        }
    }

    /** One per-person-month cut value (visits, spend, voucher cents, bonus points), as in the test's privacy.json. */
    record Clamps(long visits, long spendCents, long voucherCents, long bonusPoints) {}

    final int year;
    /** The month the monthly questions ask about (yyyyMM): busy on purpose. */
    final int month;
    final Clamps clamps;
    final List<Person> people = new ArrayList<>();
    final List<Sale> sales = new ArrayList<>();
    final List<Redemption> redemptions = new ArrayList<>();
    final Visit retracted;
    final Person retractedFrom;

    JourneyFixture(long seed, int year, Clamps clamps) {
        this.year = year;
        this.month = year * 100 + 6;
        this.clamps = clamps;
        Random rnd = new Random(seed);
        List<String> shops = List.of(BAKERY, BUTCHER, GROCER, STRANGER);
        for (int i = 0; i < 240; i++) {
            int age = 14 + rnd.nextInt(70);
            List<String> personas = rnd.nextBoolean() ? List.of("family") : List.of("single");
            Person p = new Person(String.format("psn-%016x%016x", rnd.nextLong(), rnd.nextLong()), ProfileFixture.ageBand(age),
                    ProfileFixture.GENDERS.get(rnd.nextInt(3)), ProfileFixture.DISTRICTS.get(rnd.nextInt(4)),
                    ProfileFixture.HOUSEHOLDS.get(rnd.nextInt(ProfileFixture.HOUSEHOLDS.size())), personas);
            int visits = 2 + rnd.nextInt(8);
            long at = time(year, rnd.nextBoolean() ? 6 : 1 + rnd.nextInt(12), 1 + rnd.nextInt(20), 7 + rnd.nextInt(12), rnd.nextInt(60));
            for (int v = 0; v < visits; v++) {
                String shop = shops.get(rnd.nextInt(rnd.nextInt(10) == 0 ? 4 : 3));
                boolean checkIn = shop.equals(GROCER) && rnd.nextInt(4) == 0;
                String category = checkIn ? EVENT : shop.equals(BUTCHER) || rnd.nextInt(5) == 0 ? MEAT : BREAD;
                p.visits.add(new Visit("v" + i + "-" + v, shop, category, at, checkIn ? 0 : 200 + rnd.nextInt(1500), !checkIn));
                // gaps of minutes to weeks, so every lag bucket has flows; stay within the year
                long gap = switch (rnd.nextInt(4)) {
                    case 0 -> (10 + rnd.nextInt(40)) * 60_000L;
                    case 1 -> (2 + rnd.nextInt(20)) * HOUR;
                    case 2 -> (2 + rnd.nextInt(5)) * DAY;
                    default -> (8 + rnd.nextInt(20)) * DAY;
                };
                at = Math.min(at + gap, time(year, 12, 31, 20, 0));
            }
            if (rnd.nextInt(3) == 0) {
                String shop = CATALOGUE.get(rnd.nextInt(3));
                p.engagements.add(new Engagement(shop, time(year, 6, 1 + rnd.nextInt(25), 9, rnd.nextInt(60))));
                if (rnd.nextBoolean()) {
                    p.visits.add(new Visit("e" + i, shop, BREAD, time(year, 6, 27, 10, rnd.nextInt(60)) + rnd.nextInt(20) * DAY / 10,
                            300 + rnd.nextInt(500), true));
                }
            }
            if (rnd.nextInt(3) == 0) {
                String employer = rnd.nextInt(6) == 0 ? "fremde-firma" : EMPLOYERS.get(rnd.nextInt(2));
                p.credits.add(new Credit("c" + i, employer, time(year, 6, 1, 8, 0), 5000));
                for (int s = 0; s < 1 + rnd.nextInt(3); s++) {
                    p.spends.add(new Spend("s" + i + "-" + s, CATALOGUE.get(rnd.nextInt(3)), time(year, 6, 3 + 5 * s, 12, s),
                            800 + rnd.nextInt(1500)));
                }
            }
            for (int b = 0; b < rnd.nextInt(4); b++) {
                p.bonus.add(new Bonus("b" + i + "-" + b, CATALOGUE.get(rnd.nextInt(3)), time(year, 6, 2 + b, 11, 0),
                        100 + rnd.nextInt(900), b != 2));
            }
            people.add(p);
        }
        for (int i = 0; i < 400; i++) {
            Person buyer = people.get(rnd.nextInt(people.size()));
            // half sold in spring and redeemed in June (months to redemption), half sold and redeemed in June (days)
            boolean spring = i % 2 == 0;
            long sold = spring ? time(year, 1 + rnd.nextInt(4), 1 + rnd.nextInt(27), 10, 0) : time(year, 6, 1 + rnd.nextInt(5), 10, 0);
            Sale sale = new Sale("g" + i, CATALOGUE.get(rnd.nextInt(3)), buyer, sold, 1000 + rnd.nextInt(4) * 500);
            sales.add(sale);
            if (spring || rnd.nextInt(5) > 0) {
                Person redeemer = rnd.nextBoolean() ? buyer : people.get(rnd.nextInt(people.size()));
                long redeemed = spring ? time(year, 6, 1 + rnd.nextInt(27), 15, 0) : sale.time() + (1 + rnd.nextInt(20)) * DAY;
                redemptions.add(new Redemption("r" + i, sale, redeemer, CATALOGUE.get(rnd.nextInt(3)), redeemed,
                        sale.amountCents()));
            }
        }
        // an unsold voucher redeemed (seller unknown): counts for the place, not for the matrix or the mean days
        redemptions.add(new Redemption("r-unknown", null, people.get(5), BAKERY, time(year, 6, 20, 10, 0), 1500));
        // erased: a buyer of vouchers that someone else redeemed, with visits, engagement and credits of their own
        Person erased = null;
        for (Redemption r : redemptions) {
            if (r.sale() != null && r.sale().buyer() != r.redeemer() && !r.sale().buyer().visits.isEmpty()) {
                erased = r.sale().buyer();
                break;
            }
        }
        erased.erased = true;
        // retract a purchase in the middle of a person's visits at two different shops in the busy month
        Person from = null;
        Visit which = null;
        for (Person p : people) {
            if (p.erased || which != null) continue;
            List<Visit> sorted = sorted(p.visits);
            for (int v = 1; v + 1 < sorted.size() && which == null; v++) {
                Visit x = sorted.get(v);
                if (x.purchase() && monthOf(x.time()) == month && !sorted.get(v - 1).participant().equals(x.participant())) {
                    from = p;
                    which = x;
                }
            }
        }
        retractedFrom = from;
        retracted = which;
    }

    private static long time(int year, int month, int day, int hour, int minute) {
        return ZonedDateTime.of(year, month, Math.min(day, 28), hour, minute, 0, 0, ZONE).toInstant().toEpochMilli();
    }

    static int monthOf(long time) {
        LocalDate d = date(time);
        return d.getYear() * 100 + d.getMonthValue();
    }

    static LocalDate date(long time) {
        return Instant.ofEpochMilli(time).atZone(ZONE).toLocalDate();
    }

    static List<Visit> sorted(List<Visit> visits) {
        List<Visit> out = new ArrayList<>(visits);
        out.sort(Comparator.comparingLong(Visit::time).thenComparing(Visit::participant).thenComparing(Visit::id));
        return out;
    }

    // ---- live data (the final state, or everything ever recorded) -------------------------------------------

    List<Person> residents(boolean afterwards) {
        return people.stream().filter(p -> !afterwards || !p.erased).toList();
    }

    List<Visit> visits(Person p, boolean afterwards) {
        if (afterwards && p.erased) return List.of();
        List<Visit> v = new ArrayList<>(p.visits);
        if (afterwards && p == retractedFrom) v.remove(retracted);
        return sorted(v);
    }

    boolean saleLive(Sale s, boolean afterwards) {
        return s != null && (!afterwards || !s.buyer().erased);
    }

    // ---- the operators' rows ---------------------------------------------------------------------------------

    List<ContributionDelta> deltas() {
        Map<ContributionDelta, Integer> before = multiset(rows(false));
        Map<ContributionDelta, Integer> after = multiset(rows(true));
        List<ContributionDelta> out = new ArrayList<>(rows(false));
        before.forEach((row, n) -> {
            for (int i = after.getOrDefault(row, 0); i < n; i++) out.add(negated(row));
        });
        after.forEach((row, n) -> {
            for (int i = before.getOrDefault(row, 0); i < n; i++) out.add(row);
        });
        return out;
    }

    private static Map<ContributionDelta, Integer> multiset(List<ContributionDelta> rows) {
        Map<ContributionDelta, Integer> m = new HashMap<>();
        rows.forEach(r -> m.merge(r, 1, Integer::sum));
        return m;
    }

    private static ContributionDelta negated(ContributionDelta r) {
        return ContributionDelta.newBuilder(r).setCount(-r.getCount()).setQuantity(-r.getQuantity())
                .setAmountCents(-r.getAmountCents()).setLagDays(-r.getLagDays()).build();
    }

    private List<ContributionDelta> rows(boolean afterwards) {
        List<ContributionDelta> rows = new ArrayList<>();
        for (Person p : residents(afterwards)) {
            List<Visit> visits = visits(p, afterwards);
            for (CountedVisit c : countedVisits(visits)) {
                Visit v = c.visit();
                ZonedDateTime t = Instant.ofEpochMilli(v.time()).atZone(ZONE);
                rows.add(row(p, "visit", t.toLocalDate(), v.participant()).setCategory(v.category())
                        .setWeekday(t.getDayOfWeek().getValue()).setHour(t.getHour()).setPlace(PLACES.get(v.participant()))
                        .setCount(1).setAmountCents(c.cutCents()).build());
            }
            Set<List<Object>> distinct = new LinkedHashSet<>();
            for (Visit v : visits) {
                if (!v.purchase()) continue;
                LocalDate d = date(v.time());
                distinct.add(List.of("customer_month", v.participant(), "", d.withDayOfMonth(1)));
                distinct.add(List.of("customer_year", v.participant(), "", d.withDayOfYear(1)));
                for (Visit w : visits) {
                    if (!w.purchase() || w.participant().equals(v.participant())) continue;
                    if (monthOf(w.time()) == monthOf(v.time())) {
                        distinct.add(List.of("shared_customer_month", v.participant(), w.participant(), d.withDayOfMonth(1)));
                    }
                    distinct.add(List.of("shared_customer_year", v.participant(), w.participant(), d.withDayOfYear(1)));
                }
            }
            Set<List<Object>> flows = new LinkedHashSet<>();
            for (int i = 0; i + 1 < visits.size(); i++) {
                Visit a = visits.get(i);
                Visit b = visits.get(i + 1);
                for (int bucket : BUCKETS) {
                    if (b.time() - a.time() > bucket * HOUR) continue;
                    LocalDate first = date(b.time()).withDayOfMonth(1);
                    if (!a.participant().equals(b.participant())) flows.add(List.of("flow_month", a.participant(), b.participant(), first, bucket));
                    if (!a.category().equals(b.category())) flows.add(List.of("category_flow_month", a.category(), b.category(), first, bucket));
                }
            }
            for (List<Object> k : distinct) {
                ContributionDelta.Builder b = row(p, (String) k.get(0), (LocalDate) k.get(3), (String) k.get(1)).setCount(1);
                if (!k.get(2).equals("")) b.setCounterpart((String) k.get(2));
                rows.add(b.build());
            }
            for (List<Object> k : flows) {
                boolean category = k.get(0).equals("category_flow_month");
                ContributionDelta.Builder b = row(p, (String) k.get(0), (LocalDate) k.get(3), category ? null : (String) k.get(1));
                if (category) b.setCategory((String) k.get(1));
                rows.add(b.setCounterpart((String) k.get(2)).setLagBucket((Integer) k.get(4)).setCount(1).build());
            }
            if (!visits.isEmpty()) {
                Visit first = visits.get(0);
                rows.add(row(p, "first_visit", date(first.time()), first.participant()).setCount(1).build());
            }
            Set<List<Object>> engaged = new LinkedHashSet<>();
            for (Engagement e : p.engagements) {
                LocalDate m = date(e.time()).withDayOfMonth(1);
                engaged.add(List.of("engaged_month", e.participant(), m));
                if (boughtWithin30Days(visits, e)) engaged.add(List.of("engaged_buyer_month", e.participant(), m));
            }
            for (List<Object> k : engaged) rows.add(row(p, (String) k.get(0), (LocalDate) k.get(2), (String) k.get(1)).setCount(1).build());
            vouchers(p, afterwards, rows);
        }
        return rows;
    }

    private void vouchers(Person p, boolean afterwards, List<ContributionDelta> rows) {
        Map<Object, Long> used = new HashMap<>();
        for (Sale s : sales) {
            if (s.buyer() != p) continue;
            long cut = cut(used, List.of("sold", monthOf(s.time())), s.amountCents(), clamps.voucherCents());
            rows.add(row(p, "gift_voucher_sold", date(s.time()), s.seller()).setCount(1).setAmountCents(cut).build());
        }
        for (Redemption r : byTime(redemptions.stream().filter(x -> x.redeemer() == p).toList(), Redemption::time)) {
            long cut = cut(used, List.of("redeemed", monthOf(r.time())), r.amountCents(), clamps.voucherCents());
            boolean seller = saleLive(r.sale(), afterwards);
            ContributionDelta.Builder b = row(p, "gift_voucher_redeemed", date(r.time()), r.place()).setCount(1).setAmountCents(cut);
            if (seller) b.setCounterpart(r.sale().seller()).setLagDays((r.time() - r.sale().time()) / DAY);
            rows.add(b.build());
        }
        for (Credit c : byTime(p.credits, Credit::time)) {
            long cut = cut(used, List.of("credited", monthOf(c.time())), c.amountCents(), clamps.voucherCents());
            rows.add(row(p, "employer_voucher_credited", date(c.time()), "portal").setCounterpart(c.employer())
                    .setCount(1).setAmountCents(cut).build());
        }
        for (Spend s : byTime(p.spends, Spend::time)) {
            long cut = cut(used, List.of("spent", monthOf(s.time())), s.amountCents(), clamps.voucherCents());
            Credit credit = p.credits.stream().filter(c -> c.time() <= s.time()).max(Comparator.comparingLong(Credit::time)).orElse(null);
            ContributionDelta.Builder b = row(p, "employer_voucher_spent", date(s.time()), s.place()).setCount(1).setAmountCents(cut);
            if (credit != null) b.setCounterpart(credit.employer()).setLagDays((s.time() - credit.time()) / DAY);
            rows.add(b.build());
        }
        for (Bonus x : byTime(p.bonus, Bonus::time)) {
            String kind = x.earned() ? "bonus_points_earned" : "bonus_points_redeemed";
            long cut = cut(used, List.of(kind, monthOf(x.time())), x.points(), clamps.bonusPoints());
            rows.add(row(p, kind, date(x.time()), x.participant()).setCount(1).setQuantity(cut).build());
        }
    }

    private static <T> List<T> byTime(List<T> list, java.util.function.ToLongFunction<T> time) {
        List<T> out = new ArrayList<>(list);
        out.sort(Comparator.comparingLong(time));
        return out;
    }

    private static long cut(Map<Object, Long> used, Object key, long amount, long cap) {
        long before = used.getOrDefault(key, 0L);
        long cut = Math.min(amount, Math.max(0, cap - before));
        used.put(key, before + cut);
        return cut;
    }

    private ContributionDelta.Builder row(Person p, String measure, LocalDate day, String participant) {
        return ContributionDelta.newBuilder().setCity(CITY).setMeasure(measure).setDay((int) day.toEpochDay())
                .setMonth(day.getYear() * 100 + day.getMonthValue()).setYear(day.getYear()).setParticipant(participant)
                .setAgeBand(p.ageBand).setGender(p.gender).setDistrict(p.district).setHouseholdType(p.household)
                .setPersonas(p.personas).setCount(0).setEventTime(day.atStartOfDay(ZONE).toInstant().toEpochMilli());
    }

    List<ProfileRow> profiles() {
        List<ProfileRow> out = new ArrayList<>();
        for (Person p : people) {
            out.add(ProfileRow.newBuilder().setPseudonym(p.pseudonym).setCity(CITY).setBirthYear(1980).setAge(40)
                    .setAgeBand(p.ageBand).setGender(p.gender).setDistrict(p.district).setHouseholdType(p.household)
                    .setPersonas(p.personas).setInterests(List.of()).setConsentOffers(true).setConsentNewsletter(false)
                    .setRegisteredDay(19_000).setPurchaseTags(List.of()).setDeleted(p.erased)
                    .setUpdatedAt(1_764_000_000_000L).setVersion(1).build());
        }
        return out;
    }

    // ---- the truth, from live events ---------------------------------------------------------------------------

    /** A visit among the first {@code clamps.visits} of its person-month, with its cut receipt total. */
    record CountedVisit(Visit visit, long cutCents) {}

    List<CountedVisit> countedVisits(List<Visit> sortedVisits) {
        Map<Integer, long[]> perMonth = new HashMap<>();
        List<CountedVisit> out = new ArrayList<>();
        for (Visit v : sortedVisits) {
            long[] m = perMonth.computeIfAbsent(monthOf(v.time()), k -> new long[2]);
            if (m[0] >= clamps.visits()) continue;
            m[0]++;
            long cut = Math.min(v.amountCents(), clamps.spendCents() - m[1]);
            m[1] += cut;
            out.add(new CountedVisit(v, cut));
        }
        return out;
    }

    boolean boughtWithin30Days(List<Visit> visits, Engagement e) {
        return visits.stream().anyMatch(v -> v.purchase() && v.participant().equals(e.participant())
                && v.time() > e.time() && v.time() <= e.time() + 30 * DAY);
    }

    /** Residents (after retraction and erasure) with a live purchase at every one of the participants in the period. */
    long customersOfAll(Predicate<LocalDate> period, String... participants) {
        return residents(true).stream().filter(p -> {
            for (String shop : participants) {
                if (visits(p, true).stream().noneMatch(v -> v.purchase() && v.participant().equals(shop)
                        && period.test(date(v.time())))) return false;
            }
            return true;
        }).count();
    }

    /** Σ over the months of distinct residents with consecutive live visits from → to within the hours. */
    long flows(boolean categories, String from, String to, Set<Integer> months, int hours) {
        long total = 0;
        for (Person p : residents(true)) {
            Set<Integer> flowMonths = new HashSet<>();
            List<Visit> v = visits(p, true);
            for (int i = 0; i + 1 < v.size(); i++) {
                String a = categories ? v.get(i).category() : v.get(i).participant();
                String b = categories ? v.get(i + 1).category() : v.get(i + 1).participant();
                if (a.equals(from) && b.equals(to) && v.get(i + 1).time() - v.get(i).time() <= hours * HOUR
                        && months.contains(monthOf(v.get(i + 1).time()))) flowMonths.add(monthOf(v.get(i + 1).time()));
            }
            total += flowMonths.size();
        }
        return total;
    }

    /** Residents whose earliest live visit was at a participant matching and in the period. */
    long firstVisits(Predicate<String> participant, Predicate<LocalDate> period) {
        return residents(true).stream().map(p -> visits(p, true)).filter(v -> !v.isEmpty()).map(v -> v.get(0))
                .filter(v -> participant.test(v.participant()) && period.test(date(v.time()))).count();
    }

    /** Σ over counted visits matching of 1 (or of the cut cents). */
    long countedVisits(Predicate<Visit> which, Predicate<Person> who, boolean cents) {
        long total = 0;
        for (Person p : residents(true)) {
            if (!who.test(p)) continue;
            for (CountedVisit c : countedVisits(visits(p, true))) {
                if (which.test(c.visit())) total += cents ? c.cutCents() : 1;
            }
        }
        return total;
    }

    /** Distinct residents who engaged with the participant in the month (and bought within 30 days). */
    long engaged(String participant, int month, boolean buyers, Predicate<Person> who) {
        return residents(true).stream().filter(who).filter(p -> p.engagements.stream().anyMatch(e ->
                e.participant().equals(participant) && monthOf(e.time()) == month
                        && (!buyers || boughtWithin30Days(visits(p, true), e)))).count();
    }

    /** Cut voucher cents or counts over the live rows of a measure as the operators write them (final state). */
    Map<String, Long> voucherSums(String measure, java.util.function.Function<ContributionDelta, String> key,
                                  java.util.function.ToLongFunction<ContributionDelta> value, Predicate<ContributionDelta> which) {
        Map<String, Long> sums = new LinkedHashMap<>();
        for (ContributionDelta r : rows(true)) {
            if (r.getMeasure().equals(measure) && which.test(r)) sums.merge(key.apply(r), value.applyAsLong(r), Long::sum);
        }
        return sums;
    }

    List<String> pseudonyms() {
        return people.stream().map(p -> p.pseudonym).toList();
    }
}
