package de.prokommun.insights.flink.profile;

import de.prokommun.insights.contract.Measures.Names;
import static de.prokommun.insights.flink.Fixtures.anonymous;
import static de.prokommun.insights.flink.Fixtures.at;
import static de.prokommun.insights.flink.Fixtures.registration;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.AnonymousProfileChange;
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
import de.prokommun.insights.flink.city.PersonMonthClamps;
import de.prokommun.insights.flink.journey.JourneyMeasures;
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
    private ProfileChain harness;

    @BeforeEach
    void open() throws Exception {
        harness = new ProfileChain(Fixtures.cities(), Duration.ofDays(30));
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

    /** Without the journey and gift-voucher measures (tested in the journey and voucher packages). */
    static List<ContributionDelta> ledgerOnly(List<ContributionDelta> deltas) {
        return deltas.stream().filter(d -> !JourneyMeasures.isJourney(d.getMeasure())
                && !de.prokommun.insights.flink.voucher.VoucherRole.isMeasure(d.getMeasure())
                // the unmapped report from every submitted purchase (SubmittedUnmappedLines), not the person's ledger
                && !Names.SUBMITTED_UNMAPPED_LINE.equals(d.getMeasure())).toList();
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
                .containsExactly(Names.REGISTRATION, Names.ACTIVE_RESIDENT);
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
    void aPurchaseEmitsOneRowPerCategoryAndOpensItsDistinctCounts() throws Exception {
        long t = at(2026, 3, 2);
        List<ContributionDelta> deltas = ledgerOnly(harness.deltasOf(purchase(ANNA, "p1", BAKERY, t, "B-1",
                new PurchaseLine("brot", 2, 450L), new PurchaseLine("brot", 1, 250L), new PurchaseLine("kaffee", 1, 300L))));

        assertThat(deltas).extracting(ContributionDelta::getMeasure).containsExactlyInAnyOrder(
                Names.PURCHASE, Names.PURCHASE,
                Names.BUYER_MONTH, Names.BUYER_YEAR, Names.BUYER_MONTH, Names.BUYER_YEAR,
                Names.CUSTOMER_MONTH, Names.CUSTOMER_YEAR, Names.ACTIVE_RESIDENT,
                Names.PURCHASE_CLAMPED, Names.SPEND_CLAMPED, Names.PURCHASE_CLAMPED, Names.SPEND_CLAMPED);
        ContributionDelta bread = find(deltas, Names.PURCHASE, BREAD);
        assertThat(bread.getParticipant()).isEqualTo(BAKERY);
        assertThat(List.of(bread.getCount(), bread.getQuantity(), bread.getAmountCents())).containsExactly(1L, 3L, 700L);
        assertThat(bread.getDay()).isEqualTo(day(2026, 3, 2));
        assertThat(bread.getEventTime()).as("the day, not the millisecond of the purchase (issue 14, item 8)")
                .isEqualTo(day(2026, 3, 2) * 86_400_000L).isNotEqualTo(t);
        assertThat(deltas).as("no row carries a time of day").allSatisfy(d -> assertThat(d.getEventTime() % 86_400_000L).isZero());
        assertThat(bread.getAgeBand()).isEqualTo("35-49");
        ContributionDelta unmapped = find(deltas, Names.PURCHASE, Measures.UNMAPPED);
        assertThat(List.of(unmapped.getCount(), unmapped.getQuantity(), unmapped.getAmountCents())).containsExactly(1L, 1L, 300L);
        assertThat(deltas).as("the raw product group never stands beside a segment (issue 14, item 8)")
                .noneMatch(d -> "kaffee".equals(d.getCategory()) || Names.UNMAPPED_LINE.equals(d.getMeasure()));
        ContributionDelta buyerMonth = find(deltas, Names.BUYER_MONTH, BREAD);
        assertThat(buyerMonth.getMonth()).isEqualTo(202603);
        assertThat(buyerMonth.getDay()).as("distinct rows count for the start of their period").isEqualTo(day(2026, 3, 1));
        assertThat(find(deltas, Names.BUYER_YEAR, BREAD).getDay()).isEqualTo(day(2026, 1, 1));
        assertThat(buyerMonth.getParticipant()).isNull();
        assertThat(buyerMonth.getCount()).isEqualTo(1);
        assertThat(find(deltas, Names.CUSTOMER_YEAR, null).getParticipant()).isEqualTo(BAKERY);
        ContributionDelta purchasesClamped = find(deltas, Names.PURCHASE_CLAMPED, BREAD);
        assertThat(List.of(purchasesClamped.getCount(), purchasesClamped.getQuantity(), purchasesClamped.getAmountCents()))
                .as("one receipt with bread lines, whatever the number of lines").containsExactly(1L, 0L, 0L);
        assertThat(purchasesClamped.getDay()).as("per person and month: first day of the month").isEqualTo(day(2026, 3, 1));
        assertThat(purchasesClamped.getMonth()).isEqualTo(202603);
        assertThat(purchasesClamped.getParticipant()).as("per person, not per participant").isNull();
        assertThat(purchasesClamped.getAgeBand()).isEqualTo("35-49");
        ContributionDelta spendClamped = find(deltas, Names.SPEND_CLAMPED, BREAD);
        assertThat(List.of(spendClamped.getCount(), spendClamped.getQuantity(), spendClamped.getAmountCents()))
                .containsExactly(0L, 0L, 700L);
        assertThat(find(deltas, Names.SPEND_CLAMPED, Measures.UNMAPPED).getAmountCents()).isEqualTo(300L);
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

    /** Issue 15, finding 2: one shop cannot undo another shop's sale to the same resident; the portal can. */
    @Test
    void aRetractionOfAnotherShopsReceiptIsADeadLetterAndChangesNothing() throws Exception {
        List<ContributionDelta> made = harness.deltasOf(purchase(ANNA, "p1", BAKERY, at(2026, 3, 2), "B-1",
                new PurchaseLine("brot", 2, 450L)));
        assertThat(made).isNotEmpty();

        List<ContributionDelta> forged = harness.deltasOf(by("weinhandlung-berg", anonymous(ANNA, "w1", at(2026, 3, 3),
                new PurchaseRetracted("B-1"))));

        assertThat(forged).as("the bakery's sale stays counted").isEmpty();
        assertThat(harness.last().getPurchaseTags()).isNotEmpty();
        List<de.prokommun.insights.events.DeadLetter> dead = new java.util.ArrayList<>();
        harness.profileOperator().getSideOutput(de.prokommun.insights.flink.events.DeadLetters.TAG)
                .forEach(r -> dead.add(r.getValue()));
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.getStage()).isEqualTo(ProfileBuilder.STAGE);
            assertThat(d.getEventId()).isEqualTo("w1");
            assertThat(d.getReason()).startsWith("forged assertion about another participant: data.receipt: ")
                    .contains("'weinhandlung-berg' may retract its own receipts only").contains("'" + BAKERY + "'");
        });

        List<ContributionDelta> byOwner = harness.deltasOf(by(BAKERY, anonymous(ANNA, "r1", at(2026, 3, 4),
                new PurchaseRetracted("B-1"))));
        assertThat(byOwner).containsExactlyInAnyOrderElementsOf(made.stream().map(ContributionLedgerTest::negated).toList());
    }

    @Test
    void thePortalRetractsAnyReceiptOfTheResident() throws Exception {
        List<ContributionDelta> made = harness.deltasOf(purchase(ANNA, "p1", BAKERY, at(2026, 3, 2), "B-1",
                new PurchaseLine("brot", 2, 450L)));
        List<ContributionDelta> undone = harness.deltasOf(by("portal", anonymous(ANNA, "r1", at(2026, 3, 3),
                new PurchaseRetracted("B-1"))));
        assertThat(undone).containsExactlyInAnyOrderElementsOf(made.stream().map(ContributionLedgerTest::negated).toList());
    }

    @Test
    void anotherShopsReceiptNumberIsANewSaleOfTheSenderAndItsRetractionTouchesOnlyTheSendersReceipt() throws Exception {
        List<ContributionDelta> bakery = harness.deltasOf(purchase(ANNA, "p1", BAKERY, at(2026, 3, 2), "B-1",
                new PurchaseLine("brot", 2, 450L)));
        Map<String, List<Long>> bakeryOnly = sums(ledgerOnly(harness.deltas()));

        List<ContributionDelta> wine = harness.deltasOf(purchase(ANNA, "p2", "weinhandlung-berg", at(2026, 3, 3), "B-1",
                new PurchaseLine("rotwein", 1, 1290L)));
        assertThat(ledgerOnly(wine)).as("issue 15: a new sale of the wine shop, the bakery's sale is not replaced")
                .isNotEmpty().allMatch(d -> d.getCount() >= 0 && d.getQuantity() >= 0 && d.getAmountCents() >= 0)
                .noneMatch(d -> BAKERY.equals(d.getParticipant()));
        assertThat(harness.last().getPurchaseTags()).contains("customer:" + BAKERY, "customer:weinhandlung-berg");

        harness.send(by("weinhandlung-berg", anonymous(ANNA, "w1", at(2026, 3, 4), new PurchaseRetracted("B-1"))));
        assertThat(sums(ledgerOnly(harness.deltas()))).as("the wine shop retracted its own B-1 only").isEqualTo(bakeryOnly);
        assertThat(deadLetters()).as("its own receipt: no forgery").isEmpty();

        List<ContributionDelta> byOwner = harness.deltasOf(by(BAKERY, anonymous(ANNA, "r1", at(2026, 3, 5),
                new PurchaseRetracted("B-1"))));
        assertThat(byOwner).containsExactlyInAnyOrderElementsOf(bakery.stream().map(ContributionLedgerTest::negated).toList());
    }

    @Test
    void aRetractionOfAReceiptNumberBothShopsUsedIsADeadLetterForAThirdShop() throws Exception {
        harness.send(purchase(ANNA, "p1", BAKERY, at(2026, 3, 2), "B-1", new PurchaseLine("brot", 2, 450L)));
        harness.send(purchase(ANNA, "p2", "weinhandlung-berg", at(2026, 3, 3), "B-1", new PurchaseLine("rotwein", 1, 990L)));
        Map<String, List<Long>> both = sums(ledgerOnly(harness.deltas()));

        harness.send(by("getraenke-kurz", anonymous(ANNA, "g1", at(2026, 3, 4), new PurchaseRetracted("B-1"))));

        assertThat(sums(ledgerOnly(harness.deltas()))).isEqualTo(both);
        assertThat(deadLetters()).singleElement().satisfies(d -> assertThat(d.getReason())
                .contains("'getraenke-kurz' may retract its own receipts only").contains("'" + BAKERY + "'"));
    }

    @Test
    void erasureAfterTwoShopsUsedOneReceiptNumberLeavesNoStateAndEveryFigureAtZero() throws Exception {
        harness.send(purchase(ANNA, "p1", BAKERY, at(2026, 3, 2), "B-1", new PurchaseLine("brot", 2, 450L)));
        harness.send(purchase(ANNA, "p2", "weinhandlung-berg", at(2026, 3, 3), "B-1", new PurchaseLine("rotwein", 1, 990L)));
        harness.send(purchase(ANNA, "p3", "metzgerei", at(2026, 3, 4), "B-1", new PurchaseLine("wurst", 1, 300L)));
        harness.send(by("weinhandlung-berg", anonymous(ANNA, "w1", at(2026, 3, 5), new PurchaseRetracted("B-1"))));
        assertThat(harness.records()).filteredOn(r -> !r.getDeleted() && "purchase".equals(r.getKind())).isNotEmpty();

        harness.send(anonymous(ANNA, "x1", at(2026, 3, 6), new ErasureRequested(null)));

        assertThat(sums(harness.deltas())).as("every figure, journey included, back to zero").isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers() + harness.numProcessingTimeTimers()).isZero();
    }

    private List<de.prokommun.insights.events.DeadLetter> deadLetters() {
        List<de.prokommun.insights.events.DeadLetter> dead = new java.util.ArrayList<>();
        var output = harness.profileOperator().getSideOutput(de.prokommun.insights.flink.events.DeadLetters.TAG);
        if (output != null) output.forEach(r -> dead.add(r.getValue()));
        return dead;
    }

    @Test
    void aDistinctCountOpensOnceAndClosesOnlyWithTheLastSupportingPurchase() throws Exception {
        List<ContributionDelta> first = harness.deltasOf(purchase(ANNA, "p1", BAKERY, at(2026, 3, 2), "B-1",
                new PurchaseLine("brot", 1, 100L)));
        List<ContributionDelta> second = harness.deltasOf(purchase(ANNA, "p2", BAKERY, at(2026, 3, 20), "B-2",
                new PurchaseLine("brot", 1, 200L)));
        assertThat(first).filteredOn(d -> d.getMeasure().startsWith("buyer_") || d.getMeasure().startsWith("customer_"))
                .hasSize(4);
        assertThat(ledgerOnly(second)).extracting(ContributionDelta::getMeasure)
                .as("same month: only the purchase, the clamped measures and the new person-day")
                .containsExactlyInAnyOrder(Names.PURCHASE, Names.ACTIVE_RESIDENT, Names.PURCHASE_CLAMPED,
                        Names.SPEND_CLAMPED);

        List<ContributionDelta> undoFirst = harness.deltasOf(anonymous(ANNA, "r1", at(2026, 3, 21), new PurchaseRetracted("B-1")));
        assertThat(ledgerOnly(undoFirst)).extracting(ContributionDelta::getMeasure)
                .containsExactlyInAnyOrder(Names.PURCHASE, Names.ACTIVE_RESIDENT, Names.PURCHASE_CLAMPED,
                        Names.SPEND_CLAMPED);
        assertThat(harness.last().getPurchaseTags()).contains("category:" + BREAD + ":2026");
        assertThat(harness.last().getLastPurchaseDay()).isEqualTo(day(2026, 3, 20));

        List<ContributionDelta> undoSecond = harness.deltasOf(anonymous(ANNA, "r2", at(2026, 3, 22), new PurchaseRetracted("B-2")));
        assertThat(undoSecond).filteredOn(d -> d.getMeasure().equals(Names.BUYER_MONTH)).singleElement()
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
        assertThat(ledgerOnly(harness.deltasOf(anonymous(ANNA, "c1", at(2026, 3, 2), new EventCheckedIn("konzert", "culture")))))
                .as("the day is already open").isEmpty();
        List<ContributionDelta> undone = harness.deltasOf(anonymous(ANNA, "r1", at(2026, 3, 3), new PurchaseRetracted("B-1")));
        assertThat(undone).noneMatch(d -> d.getMeasure().equals(Names.ACTIVE_RESIDENT));
    }

    @Test
    void theSameReceiptAgainReplacesTheEarlierVersion() throws Exception {
        List<ContributionDelta> all = new ArrayList<>(harness.deltasOf(purchase(ANNA, "p1", BAKERY, at(2026, 3, 2), "B-1",
                new PurchaseLine("brot", 1, 100L))));
        all.addAll(harness.deltasOf(purchase(ANNA, "p1-corrected", BAKERY, at(2026, 3, 2), "B-1",
                new PurchaseLine("brot", 2, 180L))));
        List<ContributionDelta> purchases = all.stream().filter(d -> d.getMeasure().equals(Names.PURCHASE)).toList();
        assertThat(purchases.stream().mapToLong(ContributionDelta::getCount).sum()).isEqualTo(1L);
        assertThat(purchases.stream().mapToLong(ContributionDelta::getQuantity).sum()).isEqualTo(2L);
        assertThat(purchases.stream().mapToLong(ContributionDelta::getAmountCents).sum()).isEqualTo(180L);
        assertThat(all.stream().filter(d -> d.getMeasure().equals(Names.BUYER_MONTH))
                .mapToLong(ContributionDelta::getCount).sum()).isEqualTo(1L);
    }

    @Test
    void mappingsApplyToPurchasesFromThenOnAndCanBeRemoved() throws Exception {
        List<ContributionDelta> before = harness.deltasOf(purchase(ANNA, "p1", BAKERY, at(2026, 3, 2), "B-1",
                new PurchaseLine("kuchen", 1, 300L)));
        assertThat(find(before, Names.PURCHASE, Measures.UNMAPPED).getAmountCents()).isEqualTo(300L);
        assertThat(before).noneMatch(d -> "kuchen".equals(d.getCategory()));

        harness.mapping(new ProductGroupMapping(Fixtures.CITY, BAKERY, "kuchen", BREAD, 2L));
        List<ContributionDelta> after = harness.deltasOf(purchase(ANNA, "p2", BAKERY, at(2026, 4, 2), "B-2",
                new PurchaseLine("kuchen", 1, 300L)));
        assertThat(find(after, Names.PURCHASE, BREAD).getAmountCents()).isEqualTo(300L);
        assertThat(after).noneMatch(d -> d.getMeasure().equals(Names.UNMAPPED_LINE));

        harness.mapping(new ProductGroupMapping(Fixtures.CITY, BAKERY, "kuchen", null, 3L));
        List<ContributionDelta> removed = harness.deltasOf(purchase(ANNA, "p3", BAKERY, at(2026, 5, 2), "B-3",
                new PurchaseLine("kuchen", 1, 300L)));
        assertThat(find(removed, Names.PURCHASE, Measures.UNMAPPED).getAmountCents()).isEqualTo(300L);

        List<ContributionDelta> undone = harness.deltasOf(anonymous(ANNA, "r1", at(2026, 5, 3), new PurchaseRetracted("B-1")));
        assertThat(undone).as("history is not re-mapped: the retraction negates what was recorded")
                .contains(negated(find(before, Names.PURCHASE, Measures.UNMAPPED)));
        ContributionDelta otherParticipant = find(harness.deltasOf(purchase(ANNA, "p4", "metzgerei", at(2026, 5, 4), "M-1",
                new PurchaseLine("brot", 1, 100L))), Names.PURCHASE, Measures.UNMAPPED);
        assertThat(otherParticipant.getParticipant()).as("mappings are per participant").isEqualTo("metzgerei");
    }

    // ---- clamped measures (Musterstadt: 20 purchases and 50,000 cents per person, category and month) -----------

    /** Sum of count (purchase_clamped) or amountCents (spend_clamped) of one measure, category and month. */
    private static long total(List<ContributionDelta> deltas, String measure, String category, int month) {
        return deltas.stream().filter(d -> d.getMeasure().equals(measure) && category.equals(d.getCategory())
                        && d.getMonth() == month)
                .mapToLong(d -> measure.equals(Names.SPEND_CLAMPED) ? d.getAmountCents() : d.getCount()).sum();
    }

    private static List<ContributionDelta> only(List<ContributionDelta> deltas, String measure) {
        return deltas.stream().filter(d -> d.getMeasure().equals(measure)).toList();
    }

    /** Receipts B-1 … B-n of one bread line of {@code amount} cents each, on 1 … n March 2026. */
    private List<List<ContributionDelta>> breadReceipts(int n, long amount) throws Exception {
        List<List<ContributionDelta>> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(harness.deltasOf(purchase(ANNA, "p" + i, BAKERY, at(2026, 3, i), "B-" + i,
                    new PurchaseLine("brot", 1, amount))));
        }
        return out;
    }

    @Test
    void musterstadtClampsPurchasesAndSpendPerPersonCategoryAndMonth() {
        assertThat(Fixtures.cities().city(Fixtures.CITY).orElseThrow().clamps())
                .as("the numbers of the clamp tests below").isEqualTo(new PersonMonthClamps(20, 50_000));
    }

    @Test
    void theClampIsReachedWithinAMonthAndFurtherPurchasesAddNothing() throws Exception {
        List<List<ContributionDelta>> receipts = breadReceipts(22, 3_000L);
        for (int i = 1; i <= 22; i++) {
            List<ContributionDelta> d = receipts.get(i - 1);
            List<Long> purchases = only(d, Names.PURCHASE_CLAMPED).stream().map(ContributionDelta::getCount).toList();
            List<Long> spend = only(d, Names.SPEND_CLAMPED).stream().map(ContributionDelta::getAmountCents).toList();
            assertThat(purchases).as("purchase_clamped of receipt %d", i).isEqualTo(i <= 20 ? List.of(1L) : List.of());
            // 16 × 3,000 = 48,000; the 17th reaches 50,000 with 2,000 of its 3,000; later receipts add nothing
            assertThat(spend).as("spend_clamped of receipt %d", i)
                    .isEqualTo(i <= 16 ? List.of(3_000L) : i == 17 ? List.of(2_000L) : List.of());
            assertThat(find(d, Names.PURCHASE, BREAD).getAmountCents()).as("the raw purchase is never clamped")
                    .isEqualTo(3_000L);
        }
        List<ContributionDelta> all = harness.deltas();
        assertThat(total(all, Names.PURCHASE_CLAMPED, BREAD, 202603)).isEqualTo(20L);
        assertThat(total(all, Names.SPEND_CLAMPED, BREAD, 202603)).isEqualTo(50_000L);
        assertThat(only(all, Names.PURCHASE).size()).isEqualTo(22);

        List<ContributionDelta> april = harness.deltasOf(purchase(ANNA, "p-apr", BAKERY, at(2026, 4, 1), "B-apr",
                new PurchaseLine("brot", 1, 3_000L), new PurchaseLine("kuchen", 1, 60_000L)));
        assertThat(find(april, Names.PURCHASE_CLAMPED, BREAD).getCount()).as("a new month starts from zero").isEqualTo(1L);
        assertThat(find(april, Names.PURCHASE_CLAMPED, BREAD).getMonth()).isEqualTo(202604);
        assertThat(find(april, Names.SPEND_CLAMPED, Measures.UNMAPPED).getAmountCents())
                .as("another category has its own clamp; one receipt alone is clamped too").isEqualTo(50_000L);
    }

    @Test
    void aRetractionChangesTheClampedValueExactlyAndOnlyBelowTheClamp() throws Exception {
        harness.send(purchase(ANNA, "p0", BAKERY, at(2026, 3, 1), "B-0", new PurchaseLine("brot", 1, 3_000L)));
        harness.send(anonymous(ANNA, "move", at(2026, 3, 1), AnonymousProfileChange.newBuilder().setDistrict("Broich").build()));
        breadReceipts(21, 3_000L); // 22 live receipts, 66,000 cents: both clamps reached

        List<ContributionDelta> r0 = harness.deltasOf(anonymous(ANNA, "r0", at(2026, 3, 25), new PurchaseRetracted("B-0")));
        assertThat(find(r0, Names.PURCHASE, BREAD).getDistrict()).as("the purchase row keeps its own segment").isEqualTo("Saarn");
        List<ContributionDelta> r1 = harness.deltasOf(anonymous(ANNA, "r1", at(2026, 3, 25), new PurchaseRetracted("B-1")));
        assertThat(only(r0, Names.PURCHASE_CLAMPED)).as("22 → 21 receipts: still above 20").isEmpty();
        assertThat(only(r1, Names.PURCHASE_CLAMPED)).as("21 → 20 receipts: still at the clamp").isEmpty();
        assertThat(only(r1, Names.SPEND_CLAMPED)).as("60,000 cents: still above the clamp").isEmpty();

        List<ContributionDelta> r2 = harness.deltasOf(anonymous(ANNA, "r2", at(2026, 3, 25), new PurchaseRetracted("B-2")));
        assertThat(only(r2, Names.PURCHASE_CLAMPED)).singleElement().satisfies(d -> {
            assertThat(d.getCount()).as("20 → 19 receipts").isEqualTo(-1L);
            assertThat(d.getDistrict()).as("the segment of the moment the month was opened").isEqualTo("Saarn");
            assertThat(d.getDay()).isEqualTo(day(2026, 3, 1));
        });
        assertThat(only(r2, Names.SPEND_CLAMPED)).as("57,000 cents").isEmpty();
        harness.send(anonymous(ANNA, "r3", at(2026, 3, 25), new PurchaseRetracted("B-3"))); // 18, 54,000
        harness.send(anonymous(ANNA, "r4", at(2026, 3, 25), new PurchaseRetracted("B-4"))); // 17, 51,000
        List<ContributionDelta> r5 = harness.deltasOf(anonymous(ANNA, "r5", at(2026, 3, 25), new PurchaseRetracted("B-5")));
        assertThat(find(r5, Names.PURCHASE_CLAMPED, BREAD).getCount()).isEqualTo(-1L);
        assertThat(only(r5, Names.SPEND_CLAMPED)).singleElement().satisfies(d -> {
            assertThat(d.getAmountCents()).as("51,000 → 48,000 cents: 50,000 → 48,000").isEqualTo(-2_000L);
            assertThat(d.getDistrict()).isEqualTo("Saarn");
        });

        List<ContributionDelta> all = harness.deltas();
        assertThat(total(all, Names.PURCHASE_CLAMPED, BREAD, 202603)).as("16 live receipts").isEqualTo(16L);
        assertThat(total(all, Names.SPEND_CLAMPED, BREAD, 202603)).as("16 × 3,000").isEqualTo(48_000L);
        assertThat(all).filteredOn(d -> d.getMeasure().endsWith("_clamped"))
                .allSatisfy(d -> assertThat(d.getDistrict()).isEqualTo("Saarn"));
    }

    @Test
    void erasureNegatesTheClampedMeasuresToZeroAndClearsTheirState() throws Exception {
        breadReceipts(22, 3_000L);
        harness.send(purchase(ANNA, "p-apr", BAKERY, at(2026, 4, 2), "B-apr", new PurchaseLine("kuchen", 2, 700L)));
        int before = harness.deltas().size();
        harness.send(anonymous(ANNA, "x", at(2026, 4, 3), new ErasureRequested(null)));
        List<ContributionDelta> negation = harness.deltas().subList(before, harness.deltas().size());

        assertThat(only(negation, Names.PURCHASE_CLAMPED)).extracting(ContributionDelta::getCount)
                .as("one row per category and month: the whole clamped value").containsExactlyInAnyOrder(-20L, -1L);
        assertThat(only(negation, Names.SPEND_CLAMPED)).extracting(ContributionDelta::getAmountCents)
                .containsExactlyInAnyOrder(-50_000L, -700L);
        assertThat(sums(harness.deltas())).as("every figure back to zero").isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();

        harness.send(anonymous(ANNA, "reg2", at(2026, 4, 4), registration(1990, HouseholdType.SINGLE, true)));
        List<ContributionDelta> again = harness.deltasOf(purchase(ANNA, "p-again", BAKERY, at(2026, 3, 30), "B-again",
                new PurchaseLine("brot", 1, 3_000L)));
        assertThat(find(again, Names.PURCHASE_CLAMPED, BREAD).getCount()).as("no totals survive the erasure").isEqualTo(1L);
        assertThat(find(again, Names.SPEND_CLAMPED, BREAD).getAmountCents()).isEqualTo(3_000L);
    }

    @Test
    void vouchersAreRedemptionsWithTheirAmount() throws Exception {
        List<ContributionDelta> gift = harness.deltasOf(by("buchhandlung", anonymous(ANNA, "v1", at(2026, 3, 1),
                new GiftVoucherRedeemed("G-1", 2500L, null))));
        assertThat(gift).singleElement().satisfies(d -> {
            assertThat(d.getMeasure()).isEqualTo(Names.VOUCHER_REDEMPTION);
            assertThat(d.getCategory()).isEqualTo(Measures.GIFT_VOUCHER);
            assertThat(d.getParticipant()).isEqualTo("buchhandlung");
            assertThat(d.getAmountCents()).isEqualTo(2500L);
        });
        ContributionDelta employer = find(harness.deltasOf(anonymous(ANNA, "v2", at(2026, 3, 5),
                new EmployerVoucherRedeemed(4000L, null))), Names.VOUCHER_REDEMPTION, Measures.EMPLOYER_VOUCHER);
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
        assertThat(negation).filteredOn(d -> d.getMeasure().equals(Names.SPEND_CLAMPED))
                .extracting(ContributionDelta::getAmountCents).as("the two live receipts' clamped spend")
                .containsExactlyInAnyOrder(-100L, -900L);
        assertThat(sums(harness.deltas())).as("every figure back to zero").isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    /**
     * Hundreds of receipts within two days (the live feed's density), out of order, some retracted: the receipt
     * calendar's chunks split and empty, and retention expires exactly the receipts older than three years — the
     * purchase figures equal those of a person who only ever sent the receipts still standing.
     */
    @Test
    void retentionExpiresExactlyTheExpiredReceiptsAmongHundredsInTwoDays() throws Exception {
        java.util.Random rnd = new java.util.Random(7);
        long from = at(2026, 3, 2);
        long now = java.time.ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(from), Fixtures.BERLIN)
                .plusYears(3).plusDays(1).toInstant().toEpochMilli(); // the first 24 hours have expired, the next 24 not
        Map<String, Long> standing = new TreeMap<>();
        for (int i = 0; i < 300; i++) {
            long time = from + (long) (rnd.nextDouble() * 2 * 86_400_000L) / 1000 * 1000;
            if (i % 50 == 7) time = from + 43_200_000L; // equal times across chunk boundaries
            harness.send(purchase(ANNA, "p" + i, BAKERY, time, "B-" + i, new PurchaseLine("brot", 1, 100L + i)));
            standing.put("B-" + i, time);
            if (i % 4 == 3) {
                String gone = "B-" + rnd.nextInt(i + 1);
                if (standing.remove(gone) != null) {
                    harness.send(anonymous(ANNA, "r" + i, time, new PurchaseRetracted(gone)));
                }
            }
        }
        harness.watermark(now);
        standing.values().removeIf(t -> java.time.ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(t),
                Fixtures.BERLIN).plusYears(3).toInstant().toEpochMilli() <= now);
        assertThat(standing).as("some receipts stand, some expired").isNotEmpty().hasSizeLessThan(250);

        try (ProfileChain survivor = new ProfileChain(Fixtures.cities(), Duration.ofDays(30))) {
            survivor.mapping(new ProductGroupMapping(Fixtures.CITY, BAKERY, "brot", BREAD, 1L));
            survivor.send(anonymous(ANNA, "reg", at(2026, 3, 1), registration(1990, HouseholdType.SINGLE, true)));
            for (Map.Entry<String, Long> r : standing.entrySet()) {
                int i = Integer.parseInt(r.getKey().substring(2));
                survivor.send(purchase(ANNA, "p" + i, BAKERY, r.getValue(), r.getKey(),
                        new PurchaseLine("brot", 1, 100L + i)));
            }
            assertThat(purchaseSums(harness.deltas())).isEqualTo(purchaseSums(survivor.deltas()));
        }
        harness.send(anonymous(ANNA, "x", now, new ErasureRequested(null)));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    /** Purchases per day: count and amount (the segment depends on the personas of the moment, not compared). */
    private static Map<Integer, List<Long>> purchaseSums(List<ContributionDelta> deltas) {
        Map<Integer, List<Long>> out = new TreeMap<>();
        for (ContributionDelta d : deltas) {
            if (!d.getMeasure().equals(Names.PURCHASE)) continue;
            out.merge(d.getDay(), List.of(d.getCount(), d.getAmountCents()),
                    (a, b) -> List.of(a.get(0) + b.get(0), a.get(1) + b.get(1)));
        }
        out.values().removeIf(v -> v.get(0) == 0 && v.get(1) == 0);
        return out;
    }

    @Test
    void withdrawingConsentNegatesLikeErasure() throws Exception {
        harness.send(purchase(ANNA, "p1", BAKERY, at(2026, 3, 2), "B-1", new PurchaseLine("brot", 1, 100L)));
        harness.send(anonymous(ANNA, "w", at(2026, 3, 3), ConsentChanged.newBuilder().setAnalytics(false).build()));
        assertThat(sums(harness.deltas())).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
