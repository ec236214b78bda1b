package de.prokommun.insights.flink.journey;

import de.prokommun.insights.contract.Measures.Names;
import static de.prokommun.insights.flink.Fixtures.anonymous;
import static de.prokommun.insights.flink.Fixtures.at;
import static de.prokommun.insights.flink.Fixtures.registration;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.AnonymousProfileChange;
import de.prokommun.insights.events.BonusPointsEarned;
import de.prokommun.insights.events.BonusPointsRedeemed;
import de.prokommun.insights.events.ConsentChanged;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.EmployerVoucherCredited;
import de.prokommun.insights.events.EmployerVoucherRedeemed;
import de.prokommun.insights.events.ErasureRequested;
import de.prokommun.insights.events.EventCheckedIn;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.events.NewsletterSubscribed;
import de.prokommun.insights.events.ParticipantFollowed;
import de.prokommun.insights.events.ProductGroupMapping;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.events.PurchaseLine;
import de.prokommun.insights.events.PurchaseRetracted;
import de.prokommun.insights.flink.Fixtures;
import de.prokommun.insights.flink.city.PersonMonthClamps;
import de.prokommun.insights.flink.profile.ProfileChain;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The journey ledger inside the real profile operators (the job's keyed chain in Flink's harnesses): after any sequence of
 * purchases, replacements, retractions, check-ins, engagements, vouchers, bonus events, moves and retention expiry,
 * the running sums of the emitted journey rows equal a direct computation from the live events; erasure brings every
 * sum back to zero and leaves no state and no timer.
 */
class JourneyLedgerTest {
    private static final String ANNA = "pseudonym-anna";
    private static final Map<String, Map<String, String>> MAPPINGS = Map.of(
            "baeckerei-schmidt", Map.of("brot", "lebensmittel.backwaren"),
            "edeka-mueller", Map.of("brot", "lebensmittel.backwaren", "obst", "lebensmittel.obst-gemuese"),
            "metzgerei-brand", Map.of("wurst", "lebensmittel.fleisch", "obst", "lebensmittel.obst-gemuese"));
    /** The districts of these participants in cities/musterstadt (postcode → district of city.json). */
    private static final Map<String, String> PLACES = Map.of("baeckerei-schmidt", "Altstadt", "edeka-mueller", "Altstadt",
            "metzgerei-brand", "Speldorf", "tus-saarn", "Saarn", "theater-an-der-ruhr", "Holthausen");
    private static final List<String> SHOPS = List.of("baeckerei-schmidt", "edeka-mueller", "metzgerei-brand", "kiosk-ohne-katalog");
    private static final List<String> CLUBS = List.of("tus-saarn", "theater-an-der-ruhr", "verein-ohne-katalog");
    private static final List<String> GROUPS = List.of("brot", "obst", "wurst", "kaffee");

    private ProfileChain harness;
    private JourneyOracle oracle;

    @BeforeEach
    void open() throws Exception {
        harness = new ProfileChain(Fixtures.cities(), Duration.ofDays(30));
        long version = 1;
        for (var p : MAPPINGS.entrySet()) {
            for (var g : p.getValue().entrySet()) {
                harness.mapping(new ProductGroupMapping(Fixtures.CITY, p.getKey(), g.getKey(), g.getValue(),
                        version++));
            }
        }
        PersonMonthClamps clamps = Fixtures.cities().city(Fixtures.CITY).orElseThrow().clamps();
        oracle = new JourneyOracle(Fixtures.BERLIN, MAPPINGS, PLACES, clamps.visits(), clamps.spendCents(),
                clamps.voucherCents(), clamps.bonusPoints());
        send(anonymous(ANNA, "reg", at(2025, 12, 1), registration(1990, HouseholdType.SINGLE, true)));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(AnonymousEvent e) throws Exception {
        harness.process(e);
    }

    private static AnonymousEvent by(String participant, AnonymousEvent e) {
        e.setParticipant(participant);
        return e;
    }

    private List<ContributionDelta> deltas() {
        List<ContributionDelta> out = new ArrayList<>();
        out.addAll(harness.deltas());
        return out;
    }

    private List<ContributionDelta> journeyDeltas() {
        return deltas().stream().filter(d -> JourneyMeasures.isJourney(d.getMeasure())).toList();
    }

    /** Running sums of the emitted journey rows per measure and key columns (zero sums left out). */
    private Map<String, List<Long>> emitted(boolean withSegment) {
        Map<String, long[]> sums = new TreeMap<>();
        for (ContributionDelta d : journeyDeltas()) {
            LocalDate day = LocalDate.ofEpochDay(d.getDay());
            assertThat(d.getMonth()).isEqualTo(day.getYear() * 100 + day.getMonthValue());
            assertThat(d.getYear()).isEqualTo(day.getYear());
            String key = JourneyOracle.key(d.getMeasure(), d.getDay(), d.getParticipant(), d.getCategory(),
                    d.getCounterpart(), d.getWeekday(), d.getHour(), d.getPlace(), d.getLagBucket());
            if (withSegment) key += "|" + d.getAgeBand() + "|" + d.getDistrict() + "|" + d.getHouseholdType() + "|" + d.getPersonas();
            long[] s = sums.computeIfAbsent(key, k -> new long[4]);
            s[0] += d.getCount();
            s[1] += d.getQuantity();
            s[2] += d.getAmountCents();
            s[3] += d.getLagDays();
        }
        Map<String, List<Long>> out = new TreeMap<>();
        sums.forEach((k, s) -> {
            if (s[0] != 0 || s[1] != 0 || s[2] != 0 || s[3] != 0) out.put(k, List.of(s[0], s[1], s[2], s[3]));
        });
        return out;
    }

    private int numKeyedStateEntries() {
        return harness.numKeyedStateEntries();
    }

    // ---- random histories against the oracle --------------------------------------------------------------------

    /** The latest event time so far of a history that runs mostly in order. */
    private long latest;

    /**
     * One random event of anna, applied to the operator and to the oracle's live events. In order, most events come
     * minutes to days after the latest one (as the live feed's do: the ledger takes a shortcut for a fact that comes
     * after every one of its kind), the others at random.
     */
    private void randomStep(Random rnd, int i, long from, long to, boolean inOrder) throws Exception {
        long time = from + (long) (rnd.nextDouble() * (to - from)) / 60_000 * 60_000;
        if (inOrder && rnd.nextInt(5) != 0) {
            latest = Math.max(latest, from) + rnd.nextInt(rnd.nextBoolean() ? 240 : 3 * 24 * 60) * 60_000L;
            time = latest;
        } else if (rnd.nextInt(3) == 0 && !oracle.receipts.isEmpty()) { // close to an earlier visit: short gaps
            List<JourneyOracle.Visit> live = new ArrayList<>(oracle.receipts.values());
            time = live.get(rnd.nextInt(live.size())).time() + (rnd.nextInt(240) - 60) * 60_000L;
        }
        String id = "e" + i;
        int action = rnd.nextInt(100);
        if (action < 35 || (action < 51 && oracle.receipts.isEmpty())) {
            purchase(rnd, id, "R-" + i, time, SHOPS.get(rnd.nextInt(SHOPS.size())));
        } else if (action < 43) {
            // the same receipt number again: the same shop's newer version replaces it; another shop's is its own sale
            List<JourneyOracle.Visit> live = new ArrayList<>(oracle.receipts.values());
            JourneyOracle.Visit again = live.get(rnd.nextInt(live.size()));
            String shop = rnd.nextBoolean() ? again.participant() : SHOPS.get(rnd.nextInt(SHOPS.size()));
            purchase(rnd, id, again.id(), time, shop);
        } else if (action < 51) {
            List<String> keys = new ArrayList<>(oracle.receipts.keySet());
            JourneyOracle.Visit gone = oracle.receipts.remove(keys.get(rnd.nextInt(keys.size())));
            send(by(gone.participant(), anonymous(ANNA, id, time, new PurchaseRetracted(gone.id()))));
        } else if (action < 53) {
            send(anonymous(ANNA, id, time, new PurchaseRetracted("R-unknown-" + i)));
        } else if (action < 65) {
            String club = CLUBS.get(rnd.nextInt(CLUBS.size()));
            String category = rnd.nextBoolean() ? null : "freizeit.sport";
            send(by(club, anonymous(ANNA, id, time, new EventCheckedIn("h-" + i, category))));
            oracle.checkIns.add(new JourneyOracle.Visit(club, id, time, false, List.of(), category));
        } else if (action < 70) {
            String shop = SHOPS.get(rnd.nextInt(SHOPS.size()));
            send(by(shop, anonymous(ANNA, id, time, new NewsletterSubscribed("news-" + shop))));
            oracle.engagements.add(new JourneyOracle.Engagement(shop, time));
        } else if (action < 75) {
            String shop = SHOPS.get(rnd.nextInt(SHOPS.size()));
            send(anonymous(ANNA, id, time, new ParticipantFollowed(shop)));
            oracle.engagements.add(new JourneyOracle.Engagement(shop, time));
        } else if (action < 81) {
            String employer = rnd.nextBoolean() ? "klinikum-musterstadt" : "stadtwerke-musterstadt";
            long amount = 1_000 + rnd.nextInt(14_000);
            send(anonymous(ANNA, id, time, new EmployerVoucherCredited(employer, amount)));
            oracle.credits.add(new JourneyOracle.Voucher("portal", id, time, employer, amount));
        } else if (action < 89) {
            String shop = SHOPS.get(rnd.nextInt(SHOPS.size()));
            long amount = 500 + rnd.nextInt(11_500);
            send(by(shop, anonymous(ANNA, id, time, new EmployerVoucherRedeemed(amount, null))));
            oracle.redemptions.add(new JourneyOracle.Voucher(shop, id, time, null, amount));
        } else if (action < 95) {
            String shop = SHOPS.get(rnd.nextInt(SHOPS.size()));
            long points = 100 + rnd.nextInt(2_900);
            send(by(shop, anonymous(ANNA, id, time, new BonusPointsEarned(points, null))));
            oracle.earned.add(new JourneyOracle.Voucher(shop, id, time, null, points));
        } else if (action < 98) {
            String shop = SHOPS.get(rnd.nextInt(SHOPS.size()));
            long points = 100 + rnd.nextInt(2_900);
            send(by(shop, anonymous(ANNA, id, time, new BonusPointsRedeemed(points, null))));
            oracle.redeemed.add(new JourneyOracle.Voucher(shop, id, time, null, points));
        } else { // a move: rows emitted from now on carry the new district
            String district = rnd.nextBoolean() ? "Broich" : "Saarn";
            send(anonymous(ANNA, id, time, AnonymousProfileChange.newBuilder().setDistrict(district).build()));
        }
    }

    private void purchase(Random rnd, String eventId, String receipt, long time, String shop) throws Exception {
        List<JourneyOracle.Line> lines = new ArrayList<>();
        List<PurchaseLine> purchaseLines = new ArrayList<>();
        for (int n = 1 + rnd.nextInt(3); n > 0; n--) {
            String group = GROUPS.get(rnd.nextInt(GROUPS.size()));
            long amount = rnd.nextInt(4) == 0 ? 500 : 100 + rnd.nextInt(20_000); // equal amounts: category ties
            lines.add(new JourneyOracle.Line(group, amount));
            purchaseLines.add(new PurchaseLine(group, 1, amount));
        }
        send(by(shop, anonymous(ANNA, eventId, time, new Purchase(receipt, purchaseLines, List.of()))));
        oracle.receipts.put(shop + '\u001f' + receipt, new JourneyOracle.Visit(shop, receipt, time, true, lines, null));
    }

    /**
     * Dense histories (about 20 visits a month: the visit clamp), sparse ones (visits weeks apart) and crowded ones
     * (100+ visits and more than 20 redemptions a month: facts beyond the month's limit, moving up on retraction,
     * pushed out by earlier arrivals).
     */
    @ParameterizedTest
    @CsvSource({"1, 150, 4, false", "2, 150, 4, false", "3, 150, 4, false", "4, 150, 4, false", "5, 150, 4, false",
            "6, 90, 12, false", "7, 90, 12, false", "8, 90, 12, false", "9, 400, 2, false", "10, 400, 2, false",
            "11, 300, 1, false", "12, 200, 4, true", "13, 200, 4, true", "14, 300, 2, true", "15, 400, 6, true"})
    void theRunningSumsEqualADirectComputationAfterEveryEventExpiryAndErasure(long seed, int steps, int months,
                                                                             boolean inOrder) throws Exception {
        Random rnd = new Random(seed);
        long from = at(2026, 1, 1);
        long to = at(2026, 1 + months - 1, 15);
        for (int i = 0; i < steps; i++) {
            randomStep(rnd, i, from, to, inOrder);
            assertThat(emitted(false)).as("step %d of seed %d", i, seed).isEqualTo(oracle.expected());
        }
        Map<String, List<Long>> before = oracle.expected();
        assertThat(before.keySet()).as("the history reaches every measure").allSatisfy(k -> { })
                .anyMatch(k -> k.startsWith("flow_month|")).anyMatch(k -> k.startsWith("category_flow_month|"))
                .anyMatch(k -> k.startsWith("shared_customer_year|")).anyMatch(k -> k.startsWith("engaged_buyer_month|"))
                .anyMatch(k -> k.startsWith("employer_voucher_spent|")).anyMatch(k -> k.startsWith("first_visit|"))
                .anyMatch(k -> k.startsWith("bonus_points_redeemed|"));

        // retention (Musterstadt keeps purchases 3 years): the stream clock reaches 15 February 2029
        long now = at(2029, 2, 15);
        harness.watermark(now);
        oracle.receipts.values().removeIf(v -> ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(v.time()),
                Fixtures.BERLIN).plusYears(3).toInstant().toEpochMilli() <= now);
        assertThat(emitted(false)).as("after retention expiry").isEqualTo(oracle.expected());
        assertThat(oracle.expected()).isNotEqualTo(before);

        send(anonymous(ANNA, "erase", now, new ErasureRequested(null)));
        assertThat(emitted(true)).as("every journey sum back to zero, per segment too").isEmpty();
        assertThat(numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    // ---- specific behaviour --------------------------------------------------------------------------------------

    @Test
    void aVisitRowCarriesWeekdayHourPlaceAndTheMainCategory() throws Exception {
        long monday = ZonedDateTime.of(2026, 3, 2, 17, 45, 0, 0, Fixtures.BERLIN).toInstant().toEpochMilli();
        send(by("edeka-mueller", anonymous(ANNA, "p1", monday, new Purchase("R-1", List.of(new PurchaseLine("brot", 1, 300L),
                new PurchaseLine("obst", 2, 300L), new PurchaseLine("kaffee", 1, 900L)), List.of()))));
        assertThat(journeyDeltas()).filteredOn(d -> d.getMeasure().equals(Names.VISIT)).singleElement()
                .satisfies(d -> {
                    assertThat(d.getParticipant()).isEqualTo("edeka-mueller");
                    assertThat(d.getCategory()).as("tie of 300 cents: the smaller id").isEqualTo("lebensmittel.backwaren");
                    assertThat(d.getWeekday()).isEqualTo(1);
                    assertThat(d.getHour()).isEqualTo(17);
                    assertThat(d.getPlace()).as("postcode 45468 of the catalogue").isEqualTo("Altstadt");
                    assertThat(d.getAmountCents()).isEqualTo(1_500L);
                    assertThat(d.getDistrict()).as("the resident's home district").isEqualTo("Saarn");
                    assertThat(d.getCity()).isEqualTo(Fixtures.CITY);
                });
        assertThat(journeyDeltas()).filteredOn(d -> d.getMeasure().equals(Names.FIRST_VISIT)).singleElement()
                .satisfies(d -> assertThat(d.getParticipant()).isEqualTo("edeka-mueller"));
        assertThat(journeyDeltas()).as("the other measures keep their defaults")
                .filteredOn(d -> !d.getMeasure().equals(Names.VISIT))
                .allSatisfy(d -> assertThat(List.of(d.getWeekday(), d.getHour())).containsExactly(0, -1));
    }

    @Test
    void rowsThatStillHoldKeepTheirSegmentAndNegationsRepeatTheStoredOne() throws Exception {
        send(by("baeckerei-schmidt", anonymous(ANNA, "p1", at(2026, 3, 2), new Purchase("R-1",
                List.of(new PurchaseLine("brot", 1, 300L)), List.of()))));
        send(anonymous(ANNA, "move", at(2026, 3, 3), AnonymousProfileChange.newBuilder().setDistrict("Broich").build()));
        int before = journeyDeltas().size();
        send(by("metzgerei-brand", anonymous(ANNA, "p2", at(2026, 3, 4), new Purchase("R-2",
                List.of(new PurchaseLine("wurst", 1, 900L)), List.of()))));
        List<ContributionDelta> second = journeyDeltas().subList(before, journeyDeltas().size());
        assertThat(second).as("nothing of the first visit is re-emitted").allSatisfy(d -> {
            assertThat(d.getCount()).isPositive();
            assertThat(d.getDistrict()).isEqualTo("Broich");
        });
        assertThat(second).extracting(ContributionDelta::getMeasure).contains(Names.VISIT,
                Names.SHARED_CUSTOMER_MONTH, Names.FLOW_MONTH, Names.CATEGORY_FLOW_MONTH);

        before = journeyDeltas().size();
        send(anonymous(ANNA, "r1", at(2026, 3, 5), new PurchaseRetracted("R-1")));
        List<ContributionDelta> retraction = journeyDeltas().subList(before, journeyDeltas().size());
        assertThat(retraction).filteredOn(d -> d.getCount() < 0 && d.getMeasure().equals(Names.VISIT))
                .singleElement().satisfies(d -> assertThat(d.getDistrict()).isEqualTo("Saarn"));
        assertThat(retraction).filteredOn(d -> d.getMeasure().equals(Names.FIRST_VISIT))
                .extracting(d -> d.getParticipant() + "/" + d.getCount() + "/" + d.getDistrict())
                .as("the first visit moves to the butcher").containsExactlyInAnyOrder("baeckerei-schmidt/-1/Saarn",
                        "metzgerei-brand/1/Broich");

        send(anonymous(ANNA, "w", at(2026, 3, 6), ConsentChanged.newBuilder().setAnalytics(false).build()));
        assertThat(emitted(true)).as("withdrawal negates like erasure").isEmpty();
        assertThat(numKeyedStateEntries()).isZero();
    }

    @Test
    void aVisitInsertedBeforeTheFirstVisitOfTheNextMonthChangesThatMonthsFlows() throws Exception {
        send(by("baeckerei-schmidt", anonymous(ANNA, "p1", at(2026, 3, 30), new Purchase("R-1",
                List.of(new PurchaseLine("brot", 1, 300L)), List.of()))));
        send(by("metzgerei-brand", anonymous(ANNA, "p2", at(2026, 4, 2), new Purchase("R-2",
                List.of(new PurchaseLine("wurst", 1, 300L)), List.of()))));
        assertThat(emitted(false).keySet()).filteredOn(k -> k.startsWith("flow_month|"))
                .allMatch(k -> k.contains("|baeckerei-schmidt|null|metzgerei-brand|")).hasSize(2); // 168 and 720 hours
        send(by("tus-saarn", anonymous(ANNA, "c1", at(2026, 3, 31), new EventCheckedIn("training", null))));
        assertThat(emitted(false).keySet()).filteredOn(k -> k.startsWith("flow_month|"))
                .as("March: bakery → club (24 h: 3 buckets); April: club → butcher (48 h: 2 buckets)").hasSize(5)
                .noneMatch(k -> k.contains("|baeckerei-schmidt|null|metzgerei-brand|"));
        send(anonymous(ANNA, "r1", at(2026, 4, 3), new PurchaseRetracted("R-1")));
        assertThat(emitted(false).keySet()).filteredOn(k -> k.startsWith("flow_month|"))
                .allMatch(k -> k.contains("|tus-saarn|null|metzgerei-brand|")).hasSize(2);
    }

    @Test
    void aReplacedReceiptCountsOnlyInItsNewVersion() throws Exception {
        send(by("metzgerei-brand", anonymous(ANNA, "p1", at(2026, 3, 2), new Purchase("R-1",
                List.of(new PurchaseLine("wurst", 1, 300L)), List.of()))));
        send(by("metzgerei-brand", anonymous(ANNA, "p1-corrected", at(2026, 4, 2), new Purchase("R-1",
                List.of(new PurchaseLine("wurst", 1, 700L)), List.of()))));
        assertThat(emitted(false).entrySet()).filteredOn(e -> e.getKey().startsWith("visit|")).singleElement()
                .satisfies(e -> {
                    assertThat(e.getKey()).contains("|metzgerei-brand|lebensmittel.fleisch|");
                    assertThat(e.getValue()).containsExactly(1L, 0L, 700L, 0L);
                });
        assertThat(emitted(false).keySet()).noneMatch(k -> k.contains("flow_month") || k.contains("shared_customer"));
    }

    @Test
    void anotherShopsReceiptWithTheSameNumberIsAnotherVisitAndItsRetractionLeavesTheFirst() throws Exception {
        send(by("baeckerei-schmidt", anonymous(ANNA, "p1", at(2026, 3, 2), new Purchase("R-1",
                List.of(new PurchaseLine("brot", 1, 300L)), List.of()))));
        Map<String, List<Long>> bakeryOnly = emitted(false);
        send(by("metzgerei-brand", anonymous(ANNA, "p2", at(2026, 3, 3), new Purchase("R-1",
                List.of(new PurchaseLine("wurst", 1, 700L)), List.of()))));
        assertThat(emitted(false).keySet()).filteredOn(k -> k.startsWith("visit|"))
                .as("issue 15: the butcher's R-1 is its own sale, the bakery's R-1 stays")
                .anyMatch(k -> k.contains("|baeckerei-schmidt|")).anyMatch(k -> k.contains("|metzgerei-brand|"));
        send(by("metzgerei-brand", anonymous(ANNA, "r2", at(2026, 3, 4), new PurchaseRetracted("R-1"))));
        assertThat(emitted(false)).as("the butcher retracted its own R-1 only").isEqualTo(bakeryOnly);
    }
}
