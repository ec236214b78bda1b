package de.prokommun.insights.flink.profile;

import static de.prokommun.insights.flink.Fixtures.anonymous;
import static de.prokommun.insights.flink.Fixtures.at;
import static de.prokommun.insights.flink.Fixtures.registration;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.EmployerVoucherRedeemed;
import de.prokommun.insights.events.ErasureRequested;
import de.prokommun.insights.events.EventCheckedIn;
import de.prokommun.insights.events.GiftVoucherRedeemed;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.events.ProductGroupMapping;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.events.PurchaseLine;
import de.prokommun.insights.events.PurchaseRetracted;
import de.prokommun.insights.events.ConsentChanged;
import de.prokommun.insights.flink.Fixtures;
import de.prokommun.insights.flink.ledger.Measures;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contribution ledger inside the profile operator: deltas, exact negation, distinct counts, tags, erasure. */
class ContributionLedgerTest {

    private static final String ANNA = "pseudonym-anna";
    private static final String BAKERY = "baeckerei-schmidt";
    private static final String BREAD = "lebensmittel.backwaren";
    private ProfileHarness harness;

    @BeforeEach
    void open() throws Exception {
        harness = new ProfileHarness(new ProfileBuilder(Fixtures.cities(), Duration.ofDays(30)));
        harness.mapping(new ProductGroupMapping(Fixtures.CITY, BAKERY, "brot", BREAD, 1L));
        harness.send(anonymous(ANNA, "reg", at(2026, 3, 1), registration(1990, HouseholdType.SINGLE, true)));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    static AnonymousEvent purchase(String pseudonym, String eventId, String participant, long time, String receipt,
                                   PurchaseLine... lines) {
        AnonymousEvent e = anonymous(pseudonym, eventId, time, new Purchase(receipt, List.of(lines), List.of()));
        e.setParticipant(participant);
        return e;
    }

    static AnonymousEvent by(String participant, AnonymousEvent e) {
        e.setParticipant(participant);
        return e;
    }

    private static int day(int y, int m, int d) {
        return (int) LocalDate.of(y, m, d).toEpochDay();
    }

    private static ContributionDelta find(List<ContributionDelta> deltas, String measure, String category) {
        return deltas.stream().filter(d -> d.getMeasure().equals(measure)
                && java.util.Objects.equals(d.getCategory(), category)).findFirst().orElseThrow(
                () -> new AssertionError("no " + measure + "/" + category + " in " + deltas));
    }

    /** The delta with count, quantity and amount negated. */
    static ContributionDelta negated(ContributionDelta d) {
        return ContributionDelta.newBuilder(d).setCount(-d.getCount()).setQuantity(-d.getQuantity())
                .setAmountCents(-d.getAmountCents()).build();
    }

    /** Sum per measure and every dimension; entries summing to zero are left out. */
    static Map<String, List<Long>> sums(List<ContributionDelta> deltas) {
        Map<String, long[]> sums = new TreeMap<>();
        for (ContributionDelta d : deltas) {
            String key = String.join("|", d.getCity(), d.getMeasure(), String.valueOf(d.getDay()), String.valueOf(d.getMonth()),
                    String.valueOf(d.getYear()), String.valueOf(d.getParticipant()), String.valueOf(d.getCategory()),
                    String.valueOf(d.getAgeBand()), d.getGender(), String.valueOf(d.getDistrict()), d.getHouseholdType(),
                    String.valueOf(d.getPersonas()));
            long[] s = sums.computeIfAbsent(key, k -> new long[3]);
            s[0] += d.getCount();
            s[1] += d.getQuantity();
            s[2] += d.getAmountCents();
        }
        Map<String, List<Long>> out = new TreeMap<>();
        sums.forEach((k, s) -> {
            if (s[0] != 0 || s[1] != 0 || s[2] != 0) out.put(k, Arrays.asList(s[0], s[1], s[2]));
        });
        return out;
    }

    @Test
    void registrationCountsOnceWithTheSegmentAndOpensTheDay() {
        List<ContributionDelta> deltas = harness.deltas();
        assertThat(deltas).extracting(ContributionDelta::getMeasure)
                .containsExactly(Measures.REGISTRATION, Measures.ACTIVE_RESIDENT);
        ContributionDelta reg = deltas.get(0);
        assertThat(reg.getCity()).isEqualTo(Fixtures.CITY);
        assertThat(reg.getDay()).isEqualTo(day(2026, 3, 1));
        assertThat(reg.getMonth()).isEqualTo(202603);
        assertThat(reg.getYear()).isEqualTo(2026);
        assertThat(reg.getAgeBand()).isEqualTo("35-49");
        assertThat(reg.getGender()).isEqualTo("FEMALE");
        assertThat(reg.getDistrict()).isEqualTo("Saarn");
        assertThat(reg.getHouseholdType()).isEqualTo("SINGLE");
        assertThat(reg.getPersonas()).contains("single");
        assertThat(reg.getCount()).isEqualTo(1);
    }

    @Test
    void aPurchaseEmitsOneRowPerCategoryUnmappedLinesAndOpensItsDistinctCounts() throws Exception {
        long t = at(2026, 3, 2);
        List<ContributionDelta> deltas = harness.deltasOf(purchase(ANNA, "p1", BAKERY, t, "B-1",
                new PurchaseLine("brot", 2, 450L), new PurchaseLine("brot", 1, 250L), new PurchaseLine("kaffee", 1, 300L)));

        assertThat(deltas).extracting(ContributionDelta::getMeasure).containsExactlyInAnyOrder(
                Measures.PURCHASE, Measures.PURCHASE, Measures.UNMAPPED_LINE,
                Measures.BUYER_MONTH, Measures.BUYER_YEAR, Measures.BUYER_MONTH, Measures.BUYER_YEAR,
                Measures.CUSTOMER_MONTH, Measures.CUSTOMER_YEAR, Measures.ACTIVE_RESIDENT);
        ContributionDelta bread = find(deltas, Measures.PURCHASE, BREAD);
        assertThat(bread.getParticipant()).isEqualTo(BAKERY);
        assertThat(List.of(bread.getCount(), bread.getQuantity(), bread.getAmountCents())).containsExactly(1L, 3L, 700L);
        assertThat(bread.getDay()).isEqualTo(day(2026, 3, 2));
        assertThat(bread.getEventTime()).isEqualTo(t);
        assertThat(bread.getAgeBand()).isEqualTo("35-49");
        ContributionDelta unmapped = find(deltas, Measures.PURCHASE, Measures.UNMAPPED);
        assertThat(List.of(unmapped.getCount(), unmapped.getQuantity(), unmapped.getAmountCents())).containsExactly(1L, 1L, 300L);
        ContributionDelta line = find(deltas, Measures.UNMAPPED_LINE, "kaffee");
        assertThat(line.getParticipant()).isEqualTo(BAKERY);
        assertThat(List.of(line.getCount(), line.getQuantity(), line.getAmountCents())).containsExactly(1L, 1L, 300L);
        ContributionDelta buyerMonth = find(deltas, Measures.BUYER_MONTH, BREAD);
        assertThat(buyerMonth.getMonth()).isEqualTo(202603);
        assertThat(buyerMonth.getDay()).as("distinct rows count for the start of their period").isEqualTo(day(2026, 3, 1));
        assertThat(find(deltas, Measures.BUYER_YEAR, BREAD).getDay()).isEqualTo(day(2026, 1, 1));
        assertThat(buyerMonth.getParticipant()).isNull();
        assertThat(buyerMonth.getCount()).isEqualTo(1);
        assertThat(find(deltas, Measures.CUSTOMER_YEAR, null).getParticipant()).isEqualTo(BAKERY);
        assertThat(deltas).noneMatch(d -> d.getCount() < 0);

        ProfileRow row = harness.last();
        assertThat(row.getPurchaseTags()).containsExactly("category:" + BREAD + ":2026", "customer:" + BAKERY);
        assertThat(row.getLastPurchaseDay()).isEqualTo(day(2026, 3, 2));
    }

    @Test
    void aRetractionEmitsExactlyTheNegationRowByRowAndRemovesTheTags() throws Exception {
        List<ContributionDelta> made = harness.deltasOf(purchase(ANNA, "p1", BAKERY, at(2026, 3, 2), "B-1",
                new PurchaseLine("brot", 2, 450L), new PurchaseLine("kaffee", 1, 300L)));
        List<ContributionDelta> undone = harness.deltasOf(by(BAKERY, anonymous(ANNA, "r1", at(2026, 3, 3),
                new PurchaseRetracted("B-1"))));

        assertThat(undone).containsExactlyInAnyOrderElementsOf(made.stream().map(ContributionLedgerTest::negated).toList());
        ProfileRow row = harness.last();
        assertThat(row.getPurchaseTags()).isEmpty();
        assertThat(row.getLastPurchaseDay()).isNull();

        assertThat(harness.deltasOf(anonymous(ANNA, "r2", at(2026, 3, 4), new PurchaseRetracted("B-unknown"))))
                .as("a retraction of an unknown receipt contributes nothing").isEmpty();
    }

    @Test
    void aDistinctCountOpensOnceAndClosesOnlyWithTheLastSupportingPurchase() throws Exception {
        List<ContributionDelta> first = harness.deltasOf(purchase(ANNA, "p1", BAKERY, at(2026, 3, 2), "B-1",
                new PurchaseLine("brot", 1, 100L)));
        List<ContributionDelta> second = harness.deltasOf(purchase(ANNA, "p2", BAKERY, at(2026, 3, 20), "B-2",
                new PurchaseLine("brot", 1, 200L)));
        assertThat(first).filteredOn(d -> d.getMeasure().startsWith("buyer_") || d.getMeasure().startsWith("customer_"))
                .hasSize(4);
        assertThat(second).extracting(ContributionDelta::getMeasure)
                .as("same month: only the purchase and the new person-day")
                .containsExactlyInAnyOrder(Measures.PURCHASE, Measures.ACTIVE_RESIDENT);

        List<ContributionDelta> undoFirst = harness.deltasOf(anonymous(ANNA, "r1", at(2026, 3, 21), new PurchaseRetracted("B-1")));
        assertThat(undoFirst).extracting(ContributionDelta::getMeasure)
                .containsExactlyInAnyOrder(Measures.PURCHASE, Measures.ACTIVE_RESIDENT);
        assertThat(harness.last().getPurchaseTags()).contains("category:" + BREAD + ":2026");
        assertThat(harness.last().getLastPurchaseDay()).isEqualTo(day(2026, 3, 20));

        List<ContributionDelta> undoSecond = harness.deltasOf(anonymous(ANNA, "r2", at(2026, 3, 22), new PurchaseRetracted("B-2")));
        assertThat(undoSecond).filteredOn(d -> d.getMeasure().equals(Measures.BUYER_MONTH)).singleElement()
                .satisfies(d -> assertThat(d.getCount()).isEqualTo(-1));
        List<ContributionDelta> purchases = new ArrayList<>(first);
        purchases.addAll(second);
        purchases.addAll(undoFirst);
        purchases.addAll(undoSecond);
        assertThat(sums(purchases)).as("both purchases retracted: nothing left").isEmpty();
        assertThat(harness.last().getPurchaseTags()).isEmpty();
    }

    @Test
    void anotherActivityOnTheSameDayKeepsThePersonDayOpenWhenThePurchaseIsRetracted() throws Exception {
        harness.deltasOf(purchase(ANNA, "p1", BAKERY, at(2026, 3, 2), "B-1", new PurchaseLine("brot", 1, 100L)));
        assertThat(harness.deltasOf(anonymous(ANNA, "c1", at(2026, 3, 2), new EventCheckedIn("konzert", "culture"))))
                .as("the day is already open").isEmpty();
        List<ContributionDelta> undone = harness.deltasOf(anonymous(ANNA, "r1", at(2026, 3, 3), new PurchaseRetracted("B-1")));
        assertThat(undone).noneMatch(d -> d.getMeasure().equals(Measures.ACTIVE_RESIDENT));
    }

    @Test
    void theSameReceiptAgainReplacesTheEarlierVersion() throws Exception {
        List<ContributionDelta> all = new ArrayList<>(harness.deltasOf(purchase(ANNA, "p1", BAKERY, at(2026, 3, 2), "B-1",
                new PurchaseLine("brot", 1, 100L))));
        all.addAll(harness.deltasOf(purchase(ANNA, "p1-corrected", BAKERY, at(2026, 3, 2), "B-1",
                new PurchaseLine("brot", 2, 180L))));
        List<ContributionDelta> purchases = all.stream().filter(d -> d.getMeasure().equals(Measures.PURCHASE)).toList();
        assertThat(purchases.stream().mapToLong(ContributionDelta::getCount).sum()).isEqualTo(1L);
        assertThat(purchases.stream().mapToLong(ContributionDelta::getQuantity).sum()).isEqualTo(2L);
        assertThat(purchases.stream().mapToLong(ContributionDelta::getAmountCents).sum()).isEqualTo(180L);
        assertThat(all.stream().filter(d -> d.getMeasure().equals(Measures.BUYER_MONTH))
                .mapToLong(ContributionDelta::getCount).sum()).isEqualTo(1L);
    }

    @Test
    void mappingsApplyToPurchasesFromThenOnAndCanBeRemoved() throws Exception {
        List<ContributionDelta> before = harness.deltasOf(purchase(ANNA, "p1", BAKERY, at(2026, 3, 2), "B-1",
                new PurchaseLine("kuchen", 1, 300L)));
        assertThat(find(before, Measures.PURCHASE, Measures.UNMAPPED).getAmountCents()).isEqualTo(300L);
        assertThat(find(before, Measures.UNMAPPED_LINE, "kuchen").getQuantity()).isEqualTo(1L);

        harness.mapping(new ProductGroupMapping(Fixtures.CITY, BAKERY, "kuchen", BREAD, 2L));
        List<ContributionDelta> after = harness.deltasOf(purchase(ANNA, "p2", BAKERY, at(2026, 4, 2), "B-2",
                new PurchaseLine("kuchen", 1, 300L)));
        assertThat(find(after, Measures.PURCHASE, BREAD).getAmountCents()).isEqualTo(300L);
        assertThat(after).noneMatch(d -> d.getMeasure().equals(Measures.UNMAPPED_LINE));

        harness.mapping(new ProductGroupMapping(Fixtures.CITY, BAKERY, "kuchen", null, 3L));
        List<ContributionDelta> removed = harness.deltasOf(purchase(ANNA, "p3", BAKERY, at(2026, 5, 2), "B-3",
                new PurchaseLine("kuchen", 1, 300L)));
        assertThat(find(removed, Measures.PURCHASE, Measures.UNMAPPED).getAmountCents()).isEqualTo(300L);

        List<ContributionDelta> undone = harness.deltasOf(anonymous(ANNA, "r1", at(2026, 5, 3), new PurchaseRetracted("B-1")));
        assertThat(undone).as("history is not re-mapped: the retraction negates what was recorded")
                .contains(negated(find(before, Measures.PURCHASE, Measures.UNMAPPED)));
        ContributionDelta otherParticipant = find(harness.deltasOf(purchase(ANNA, "p4", "metzgerei", at(2026, 5, 4), "M-1",
                new PurchaseLine("brot", 1, 100L))), Measures.PURCHASE, Measures.UNMAPPED);
        assertThat(otherParticipant.getParticipant()).as("mappings are per participant").isEqualTo("metzgerei");
    }

    @Test
    void vouchersAreRedemptionsWithTheirAmount() throws Exception {
        List<ContributionDelta> gift = harness.deltasOf(by("buchhandlung", anonymous(ANNA, "v1", at(2026, 3, 1),
                new GiftVoucherRedeemed("G-1", 2500L, null))));
        assertThat(gift).singleElement().satisfies(d -> {
            assertThat(d.getMeasure()).isEqualTo(Measures.VOUCHER_REDEMPTION);
            assertThat(d.getCategory()).isEqualTo(Measures.GIFT_VOUCHER);
            assertThat(d.getParticipant()).isEqualTo("buchhandlung");
            assertThat(d.getAmountCents()).isEqualTo(2500L);
        });
        ContributionDelta employer = find(harness.deltasOf(anonymous(ANNA, "v2", at(2026, 3, 5),
                new EmployerVoucherRedeemed(4000L, null))), Measures.VOUCHER_REDEMPTION, Measures.EMPLOYER_VOUCHER);
        assertThat(employer.getAmountCents()).isEqualTo(4000L);
    }

    @Test
    void erasureNegatesEveryRemainingContributionAndLeavesNoState() throws Exception {
        harness.send(purchase(ANNA, "p1", BAKERY, at(2026, 3, 2), "B-1", new PurchaseLine("brot", 1, 100L)));
        harness.send(purchase(ANNA, "p2", BAKERY, at(2026, 4, 2), "B-2", new PurchaseLine("kaffee", 2, 500L)));
        harness.send(purchase(ANNA, "p3", "metzgerei", at(2025, 4, 2), "M-1", new PurchaseLine("wurst", 1, 900L)));
        harness.send(anonymous(ANNA, "r1", at(2026, 4, 3), new PurchaseRetracted("B-2")));
        harness.send(anonymous(ANNA, "v1", at(2026, 4, 4), new GiftVoucherRedeemed("G-1", 1000L, null)));
        harness.send(anonymous(ANNA, "c1", at(2026, 4, 5), new EventCheckedIn("k", "club")));
        harness.send(anonymous(ANNA, "w1", at(2026, 4, 6), ConsentChanged.newBuilder().setOffers(false).build()));
        assertThat(sums(harness.deltas())).isNotEmpty();
        assertThat(harness.last().getPurchaseTags()).as("unmapped purchases make no category tag")
                .containsExactly("category:" + BREAD + ":2026", "customer:" + BAKERY, "customer:metzgerei");
        assertThat(harness.last().getLastPurchaseDay()).isEqualTo(day(2026, 3, 2));

        int before = harness.deltas().size();
        harness.send(anonymous(ANNA, "x1", at(2026, 4, 7), new ErasureRequested(null)));
        List<ContributionDelta> negation = harness.deltas().subList(before, harness.deltas().size());
        assertThat(negation).allMatch(d -> d.getCount() <= 0 && d.getQuantity() <= 0 && d.getAmountCents() <= 0);
        assertThat(sums(harness.deltas())).as("every figure back to zero").isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void withdrawingConsentNegatesLikeErasure() throws Exception {
        harness.send(purchase(ANNA, "p1", BAKERY, at(2026, 3, 2), "B-1", new PurchaseLine("brot", 1, 100L)));
        harness.send(anonymous(ANNA, "w", at(2026, 3, 3), ConsentChanged.newBuilder().setAnalytics(false).build()));
        assertThat(sums(harness.deltas())).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
