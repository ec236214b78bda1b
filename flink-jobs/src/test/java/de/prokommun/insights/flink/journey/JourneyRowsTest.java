package de.prokommun.insights.flink.journey;

import de.prokommun.insights.contract.Measures.Names;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.flink.city.PersonMonthClamps;
import de.prokommun.insights.flink.ledger.LedgerRow;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure journey functions: main category, visit order, flows, pairs, caps, engagement window, employer credits. */
class JourneyRowsTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final PersonMonthClamps CLAMPS = new PersonMonthClamps(20, 10_000, 3, 10_000, 100);
    private static final long HOUR = 3600_000L;

    private static long at(int y, int m, int d, int h, int min) {
        return ZonedDateTime.of(y, m, d, h, min, 0, 0, BERLIN).toInstant().toEpochMilli();
    }

    private static JourneyFact purchase(String participant, String receipt, long time, String category, long amount) {
        JourneyFact f = JourneyFact.of(JourneyFact.PURCHASE, receipt, participant, time);
        f.category = category;
        f.amountCents = amount;
        f.place = "Altstadt";
        return f;
    }

    private static JourneyFact checkIn(String participant, String id, long time, String category) {
        JourneyFact f = JourneyFact.of(JourneyFact.CHECK_IN, id, participant, time);
        f.category = category;
        return f;
    }

    private static JourneyFact fact(String kind, String participant, String id, long time) {
        return JourneyFact.of(kind, id, participant, time);
    }

    private static List<LedgerRow> rows(String scope, String measure, JourneyFact... facts) {
        Map<String, LedgerRow> all = JourneyRows.desired(scope, new Facts(List.of(facts)), BERLIN, CLAMPS);
        return all.values().stream().filter(r -> r.measure.equals(measure)).toList();
    }

    private static List<String> flows(List<LedgerRow> rows) {
        return rows.stream().map(r -> (r.participant != null ? r.participant : r.category) + ">" + r.counterpart + "@" + r.lagBucket)
                .sorted().toList();
    }

    @Test
    void theMainCategoryIsTheMappedOneWithTheLargestAmountTiesToTheSmallestId() {
        assertThat(MainCategory.ofReceipt(List.of(new MainCategory.Line("b.brot", 300), new MainCategory.Line(null, 900),
                new MainCategory.Line("a.obst", 200), new MainCategory.Line("a.obst", 150))))
                .as("unmapped lines never win; amounts add up per category").isEqualTo("a.obst");
        assertThat(MainCategory.ofReceipt(List.of(new MainCategory.Line("c.kaese", 500), new MainCategory.Line("b.brot", 500))))
                .isEqualTo("b.brot");
        assertThat(MainCategory.ofReceipt(List.of(new MainCategory.Line(null, 500)))).isEqualTo(JourneyMeasures.UNMAPPED);
        assertThat(MainCategory.ofReceipt(List.of())).isEqualTo(JourneyMeasures.UNMAPPED);
        assertThat(MainCategory.ofCheckIn(null)).isEqualTo("veranstaltung");
        assertThat(MainCategory.ofCheckIn(" ")).isEqualTo("veranstaltung");
        assertThat(MainCategory.ofCheckIn("sport")).isEqualTo("sport");
    }

    @Test
    void visitsAreOrderedByTimeThenParticipantThenId() {
        long t = at(2026, 3, 2, 10, 0);
        Facts facts = new Facts(List.of(purchase("b", "R-2", t, "x", 1), purchase("b", "R-1", t, "x", 1),
                purchase("a", "R-9", t, "x", 1), checkIn("a", "E-1", t - 1, "y")));
        assertThat(facts.visits).extracting(f -> f.participant + "/" + f.id).containsExactly("a/E-1", "a/R-9", "b/R-1", "b/R-2");
    }

    @Test
    void aVisitRowHasWeekdayHourPlaceAndTheFirstVisitsOfTheMonthOnlyWithTheSpendCut() {
        JourneyFact[] visits = {
                purchase("a", "R-1", at(2026, 3, 2, 9, 30), "x", 6_000), // Monday
                checkIn("club", "E-1", at(2026, 3, 3, 19, 0), "sport"),
                purchase("b", "R-2", at(2026, 3, 4, 23, 59), "y", 7_000),
                purchase("c", "R-3", at(2026, 3, 5, 8, 0), "y", 100), // the fourth: beyond the visit clamp 3
                purchase("c", "R-4", at(2026, 4, 1, 0, 0), "y", 20_000)};
        List<LedgerRow> march = rows("m202603", Names.VISIT, visits);
        assertThat(march).extracting(r -> r.participant).containsExactly("a", "club", "b");
        assertThat(march).extracting(r -> r.amountCents).as("10,000 cents per month, in visit order")
                .containsExactly(6_000L, 0L, 4_000L);
        LedgerRow first = march.get(0);
        assertThat(List.of(first.weekday, first.hour)).containsExactly(1, 9);
        assertThat(first.place).isEqualTo("Altstadt");
        assertThat(first.category).isEqualTo("x");
        assertThat(first.day).isEqualTo((int) LocalDate.of(2026, 3, 2).toEpochDay());
        assertThat(march.get(2).hour).isEqualTo(23);
        assertThat(march.get(1).place).isNull();
        assertThat(rows("m202604", Names.VISIT, visits)).singleElement()
                .satisfies(r -> assertThat(r.amountCents).as("a receipt alone is cut too").isEqualTo(10_000L));
    }

    @Test
    void flowsCountConsecutiveVisitsInCumulativeBucketsForTheMonthOfTheDestination() {
        long t = at(2026, 3, 31, 23, 0);
        JourneyFact[] visits = {
                purchase("a", "R-1", t, "food", 100),
                purchase("b", "R-2", t + 3 * HOUR, "food", 100), // 3 h: buckets 24, 168, 720; same category
                purchase("b", "R-3", t + 4 * HOUR, "books", 100), // same participant: category flow only, 1 h: all
                checkIn("a", "E-1", t + 4 * HOUR + 31 * 24 * HOUR, "sport"), // 31 days: no bucket
                purchase("c", "R-4", t + 4 * HOUR + 31 * 24 * HOUR + 168 * HOUR, "food", 100)}; // exactly 168 h
        assertThat(flows(rows("m202603", Names.FLOW_MONTH, visits))).isEmpty();
        assertThat(flows(rows("m202604", Names.FLOW_MONTH, visits)))
                .as("destination in April, origin in March").containsExactly("a>b@168", "a>b@24", "a>b@720");
        assertThat(flows(rows("m202604", Names.CATEGORY_FLOW_MONTH, visits)))
                .containsExactly("food>books@1", "food>books@168", "food>books@24", "food>books@720");
        assertThat(flows(rows("m202605", Names.FLOW_MONTH, visits))).containsExactly("a>c@168", "a>c@720");
        assertThat(flows(rows("m202605", Names.CATEGORY_FLOW_MONTH, visits)))
                .containsExactly("sport>food@168", "sport>food@720");
        LedgerRow row = rows("m202604", Names.FLOW_MONTH, visits).get(0);
        assertThat(row.day).as("first day of the month").isEqualTo((int) LocalDate.of(2026, 4, 1).toEpochDay());
        assertThat(row.count).isEqualTo(1);
    }

    @Test
    void aFlowIsCountedOncePerPersonMonthAndPairHoweverOftenItHappens() {
        long t = at(2026, 3, 2, 10, 0);
        List<LedgerRow> flows = rows("m202603", Names.FLOW_MONTH, purchase("a", "R-1", t, "x", 1),
                purchase("b", "R-2", t + HOUR / 2, "x", 1), purchase("a", "R-3", t + HOUR, "x", 1),
                purchase("b", "R-4", t + 2 * HOUR, "x", 1));
        assertThat(flows(flows)).containsExactly("a>b@1", "a>b@168", "a>b@24", "a>b@720",
                "b>a@1", "b>a@168", "b>a@24", "b>a@720");
    }

    @Test
    void sharedCustomersAreOrderedPairsOfParticipantsWithPurchasesInThePeriod() {
        JourneyFact[] facts = {purchase("a", "R-1", at(2026, 3, 2, 10, 0), "x", 1),
                purchase("b", "R-2", at(2026, 3, 20, 10, 0), "x", 1), purchase("b", "R-3", at(2026, 3, 21, 10, 0), "x", 1),
                checkIn("club", "E-1", at(2026, 3, 22, 10, 0), "sport"), purchase("c", "R-4", at(2026, 5, 1, 10, 0), "x", 1)};
        List<LedgerRow> month = rows("m202603", Names.SHARED_CUSTOMER_MONTH, facts);
        assertThat(month).extracting(r -> r.participant + ">" + r.counterpart).as("check-ins are no purchases")
                .containsExactly("a>b", "b>a");
        assertThat(month.get(0).day).isEqualTo((int) LocalDate.of(2026, 3, 1).toEpochDay());
        List<LedgerRow> year = rows("y2026", Names.SHARED_CUSTOMER_YEAR, facts);
        assertThat(year).extracting(r -> r.participant + ">" + r.counterpart)
                .containsExactly("a>b", "a>c", "b>a", "b>c", "c>a", "c>b");
        assertThat(year.get(0).day).isEqualTo((int) LocalDate.of(2026, 1, 1).toEpochDay());
        assertThat(year.get(0).month).isEqualTo(202601);
    }

    @Test
    void theFirstVisitIsTheEarliestLiveVisit() {
        List<LedgerRow> first = rows(Periods.FIRST, Names.FIRST_VISIT,
                purchase("b", "R-2", at(2026, 3, 2, 10, 0), "x", 1), checkIn("a", "E-1", at(2026, 3, 2, 9, 0), "s"));
        assertThat(first).singleElement().satisfies(r -> {
            assertThat(r.participant).isEqualTo("a");
            assertThat(r.day).isEqualTo((int) LocalDate.of(2026, 3, 2).toEpochDay());
        });
        assertThat(rows(Periods.FIRST, Names.FIRST_VISIT)).isEmpty();
    }

    @Test
    void anEngagedResidentBecomesABuyerWithAPurchaseThereWithinThirtyDaysAfter() {
        long t = at(2026, 3, 10, 12, 0);
        JourneyFact newsletter = fact(JourneyFact.ENGAGEMENT, "a", "N-1", t);
        JourneyFact follow = fact(JourneyFact.ENGAGEMENT, "b", "F-1", t);
        JourneyFact follow2 = fact(JourneyFact.ENGAGEMENT, "c", "F-2", t);
        long window = 30 * 24 * HOUR;
        List<LedgerRow> engaged = rows("m202603", Names.ENGAGED_MONTH, newsletter, follow, follow2,
                purchase("a", "R-1", t + window, "x", 1), // exactly 30 × 24 h: in
                purchase("b", "R-2", t + window + 1, "x", 1), // a millisecond later: out
                purchase("c", "R-3", t, "x", 1)); // at the same time: not after
        assertThat(engaged).extracting(r -> r.participant).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(rows("m202603", Names.ENGAGED_BUYER_MONTH, newsletter, follow, follow2,
                purchase("a", "R-1", t + window, "x", 1), purchase("b", "R-2", t + window + 1, "x", 1),
                purchase("c", "R-3", t, "x", 1), checkIn("c", "E-1", t + HOUR, "s")))
                .extracting(r -> r.participant).as("check-ins are no purchases").containsExactly("a");
        assertThat(rows("m202604", Names.ENGAGED_MONTH, newsletter, purchase("a", "R-1", t + window, "x", 1)))
                .as("the month of the engagement").isEmpty();
    }

    @Test
    void employerRedemptionsAreAttributedToTheLatestCreditAtOrBeforeAndCutPerMonth() {
        JourneyFact credit1 = fact(JourneyFact.EMPLOYER_CREDIT, "portal", "C-1", at(2026, 2, 1, 8, 0));
        credit1.counterpart = "stadtwerke";
        credit1.amountCents = 5_000;
        JourneyFact credit2 = fact(JourneyFact.EMPLOYER_CREDIT, "portal", "C-2", at(2026, 3, 1, 8, 0));
        credit2.counterpart = "klinikum";
        credit2.amountCents = 12_000;
        JourneyFact early = fact(JourneyFact.EMPLOYER_REDEMPTION, "shop", "S-0", at(2026, 1, 31, 8, 0));
        early.amountCents = 100;
        JourneyFact r1 = fact(JourneyFact.EMPLOYER_REDEMPTION, "shop", "S-1", at(2026, 3, 1, 8, 0));
        r1.amountCents = 9_000;
        JourneyFact r2 = fact(JourneyFact.EMPLOYER_REDEMPTION, "cafe", "S-2", at(2026, 2, 28, 7, 59));
        r2.amountCents = 300;
        JourneyFact r3 = fact(JourneyFact.EMPLOYER_REDEMPTION, "cafe", "S-3", at(2026, 3, 3, 9, 0));
        r3.amountCents = 2_000;
        JourneyFact[] all = {credit1, credit2, early, r1, r2, r3};

        assertThat(rows("m202603", Names.EMPLOYER_VOUCHER_CREDITED, all)).singleElement().satisfies(r -> {
            assertThat(r.participant).isEqualTo("portal");
            assertThat(r.counterpart).isEqualTo("klinikum");
            assertThat(r.amountCents).as("cut to 10,000 cents").isEqualTo(10_000L);
        });
        List<LedgerRow> march = rows("m202603", Names.EMPLOYER_VOUCHER_SPENT, all);
        assertThat(march).extracting(r -> r.participant + "/" + r.counterpart + "/" + r.amountCents + "/" + r.lagDays)
                .as("a credit at the same moment counts; the second redemption is cut at 10,000")
                .containsExactly("shop/klinikum/9000/0", "cafe/klinikum/1000/2");
        assertThat(rows("m202602", Names.EMPLOYER_VOUCHER_SPENT, all)).singleElement()
                .satisfies(r -> assertThat(r.counterpart + "/" + r.lagDays).isEqualTo("stadtwerke/26"));
        assertThat(rows("m202601", Names.EMPLOYER_VOUCHER_SPENT, all)).singleElement()
                .satisfies(r -> assertThat(r.counterpart + "/" + r.lagDays).isEqualTo("null/0"));
    }

    @Test
    void bonusPointsAreCutPerPersonMonthInTimeOrder() {
        JourneyFact b1 = fact(JourneyFact.BONUS_EARNED, "a", "B-1", at(2026, 3, 2, 8, 0));
        b1.points = 80;
        JourneyFact b2 = fact(JourneyFact.BONUS_EARNED, "b", "B-2", at(2026, 3, 3, 8, 0));
        b2.points = 50;
        JourneyFact b3 = fact(JourneyFact.BONUS_EARNED, "b", "B-3", at(2026, 3, 4, 8, 0));
        b3.points = 10;
        JourneyFact r1 = fact(JourneyFact.BONUS_REDEEMED, "a", "X-1", at(2026, 3, 4, 8, 0));
        r1.points = 70;
        assertThat(rows("m202603", Names.BONUS_POINTS_EARNED, b3, b2, b1, r1))
                .extracting(r -> r.participant + "/" + r.count + "/" + r.quantity)
                .containsExactly("a/1/80", "b/1/20", "b/1/0");
        assertThat(rows("m202603", Names.BONUS_POINTS_REDEEMED, b3, b2, b1, r1))
                .extracting(r -> r.quantity).as("its own clamp").containsExactly(70L);
    }

    @Test
    void aPurchaseReachesItsMonthTheFirstVisitTheNextVisitsMonthItsYearAndEngagementsOfTheWindow() throws Exception {
        JourneyFact march = purchase("a", "R-1", at(2026, 3, 1, 12, 0), "x", 1);
        JourneyFact june = purchase("b", "R-2", at(2026, 6, 1, 12, 0), "x", 1);
        JourneyFact engagedInJanuary = fact(JourneyFact.ENGAGEMENT, "a", "E-1", at(2026, 1, 31, 12, 0));
        JourneyFact engagedElsewhere = fact(JourneyFact.ENGAGEMENT, "b", "E-2", at(2026, 2, 20, 12, 0));
        Set<String> scopes = new HashSet<>();
        JourneyScopes.affectedBy(march, neighbourhood(List.of(march, june, engagedInJanuary, engagedElsewhere),
                Set.of(march)), BERLIN, scopes);
        assertThat(scopes).as("30 days before 1 March reach back into January, where it engaged with the same shop")
                .containsExactlyInAnyOrder("m202603:visit", "m202603:flow", "m202603:shared", "y2026", "first",
                        "m202606:flow", "m202601:engaged");

        scopes.clear();
        JourneyScopes.affectedBy(june, neighbourhood(List.of(march, june), Set.of()), BERLIN, scopes);
        assertThat(scopes).as("neither the first visit nor a new buyer of its year, no engagement before it")
                .containsExactlyInAnyOrder("m202606:visit", "m202606:flow", "m202606:shared");

        JourneyFact againInJune = purchase("b", "R-3", at(2026, 6, 9, 12, 0), "x", 1);
        scopes.clear();
        JourneyScopes.affectedBy(againInJune, neighbourhood(List.of(march, june, againInJune), Set.of()), BERLIN, scopes);
        assertThat(scopes).as("a second purchase at the same shop in a month leaves the month's buyers (shared) alone")
                .containsExactlyInAnyOrder("m202606:visit", "m202606:flow");

        JourneyFact checkIn = fact(JourneyFact.CHECK_IN, "club", "H-1", at(2026, 4, 1, 12, 0));
        scopes.clear();
        JourneyScopes.affectedBy(checkIn, neighbourhood(List.of(march, checkIn, june, engagedElsewhere), Set.of()), BERLIN, scopes);
        assertThat(scopes).as("a check-in changes flows and visits, not buyers or engagements")
                .containsExactlyInAnyOrder("m202604:visit", "m202604:flow", "m202606:flow");

        JourneyFact credit = fact(JourneyFact.EMPLOYER_CREDIT, "portal", "C-1", at(2026, 3, 1, 8, 0));
        JourneyFact later = fact(JourneyFact.EMPLOYER_REDEMPTION, "shop", "S-1", at(2026, 7, 1, 8, 0));
        JourneyFact earlier = fact(JourneyFact.EMPLOYER_REDEMPTION, "shop", "S-0", at(2026, 1, 1, 8, 0));
        scopes.clear();
        JourneyScopes.affectedBy(credit, neighbourhood(List.of(credit, later, earlier), Set.of()), BERLIN, scopes);
        assertThat(scopes).containsExactlyInAnyOrder("m202603:employer", "m202607:employer");
    }

    /** The neighbourhood of a set of live facts, computed directly from them; {@code newBuyers}: purchases that opened their year. */
    private static JourneyScopes.Neighbourhood neighbourhood(List<JourneyFact> live, Set<JourneyFact> newBuyers) {
        Facts facts = new Facts(new ArrayList<>(live));
        return new JourneyScopes.Neighbourhood() {
            @Override public Integer monthOfVisitAfter(JourneyFact visit) {
                JourneyFact next = facts.visitAfter(visit);
                return next == null ? null : Periods.month(next.eventTime, BERLIN);
            }

            @Override public List<Integer> monthsOfRedemptionsAfter(JourneyFact credit) {
                return facts.redemptions.stream().filter(r -> r.eventTime >= credit.eventTime)
                        .map(r -> Periods.month(r.eventTime, BERLIN)).distinct().toList();
            }

            @Override public boolean isFirstVisit(JourneyFact visit) {
                return facts.visits.isEmpty() || JourneyFact.ORDER.compare(visit, facts.visits.get(0)) <= 0;
            }

            @Override public boolean changedYearBuyers(JourneyFact purchase) {
                return newBuyers.contains(purchase);
            }

            @Override public boolean changedMonthBuyers(JourneyFact purchase) {
                int month = Periods.month(purchase.eventTime, BERLIN);
                return facts.purchases.stream().noneMatch(p -> p != purchase && p.participant.equals(purchase.participant)
                        && Periods.month(p.eventTime, BERLIN) == month);
            }

            @Override public List<Integer> monthsOfEngagementsBefore(JourneyFact purchase) {
                return facts.engagements.stream().filter(e -> e.participant.equals(purchase.participant)
                                && e.eventTime < purchase.eventTime
                                && purchase.eventTime - e.eventTime <= JourneyMeasures.ENGAGEMENT_WINDOW_MILLIS)
                        .map(e -> Periods.month(e.eventTime, BERLIN)).distinct().toList();
            }
        };
    }

    // ---- the shortcut for added facts --------------------------------------------------------------------------

    /**
     * For random histories built one fact at a time (mostly in time order, as the live feed's, the rest anywhere):
     * whenever {@link JourneyRows#appended} offers the rows a fact adds to a scope, the scope's rows after the fact
     * are exactly its rows before and those.
     */
    @Test
    void theRowsAnAddedFactBringsAreExactlyWhatItsScopesGain() {
        java.util.Random rnd = new java.util.Random(42);
        String[] shops = {"baeckerei", "buchladen", "cafe", "sportverein"};
        String[] categories = {"lebensmittel.backwaren", "freizeit.buecher", "gastro.cafe"};
        int shortcuts = 0;
        for (int history = 0; history < 40; history++) {
            List<JourneyFact> facts = new ArrayList<>();
            long latest = at(2026, 1, 1, 8, 0);
            for (int i = 0; i < 60; i++) {
                long time = rnd.nextInt(4) == 0 ? at(2026, 1, 1, 8, 0) + (long) rnd.nextInt(120 * 24) * HOUR
                        : (latest += (1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 72)) * HOUR);
                String shop = shops[rnd.nextInt(shops.length)];
                int kind = rnd.nextInt(10);
                JourneyFact f;
                if (kind < 5) f = purchase(shop, "R" + i, time, categories[rnd.nextInt(3)], 100 + rnd.nextInt(4_000));
                else if (kind < 7) f = checkIn(shop, "c" + i, time, categories[rnd.nextInt(3)]);
                else {
                    f = fact(kind < 9 ? JourneyFact.BONUS_EARNED : JourneyFact.BONUS_REDEEMED, shop, "b" + i, time);
                    f.points = 10 + rnd.nextInt(60);
                }
                Facts before = new Facts(facts);
                facts.add(f);
                Facts after = new Facts(facts);
                boolean last = facts.stream().noneMatch(o -> o != f && sameGroup(o, f) && JourneyFact.ORDER.compare(o, f) > 0);
                int month = Periods.month(f.eventTime, BERLIN);
                List<String> scopes = new ArrayList<>();
                for (String family : List.of(Periods.VISIT, Periods.FLOW, Periods.SHARED, Periods.BONUS)) {
                    scopes.add(Periods.monthScope(month, family));
                }
                for (String scope : scopes) {
                    Map<String, LedgerRow> added = JourneyRows.appended(scope, after, f, last, BERLIN, CLAMPS);
                    if (added == null) continue;
                    Set<String> expected = new HashSet<>(JourneyRows.desired(scope, before, BERLIN, CLAMPS).keySet());
                    expected.addAll(added.keySet());
                    assertThat(JourneyRows.desired(scope, after, BERLIN, CLAMPS).keySet())
                            .as("history %d, fact %d %s, scope %s", history, i, f, scope)
                            .containsExactlyInAnyOrderElementsOf(expected);
                    if (!added.isEmpty()) shortcuts++;
                }
                if (f.isPurchase()) {
                    int year = Periods.year(f.eventTime, BERLIN);
                    Set<String> expected = new HashSet<>(JourneyRows.desired(Periods.yearScope(year), before, BERLIN, CLAMPS).keySet());
                    expected.addAll(JourneyRows.yearRows(year, JourneyRows.participantsBought(after.purchases,
                            p -> Periods.year(p.eventTime, BERLIN) == year), BERLIN, f.participant).keySet());
                    assertThat(JourneyRows.desired(Periods.yearScope(year), after, BERLIN, CLAMPS).keySet())
                            .as("history %d, fact %d, year", history, i).containsExactlyInAnyOrderElementsOf(expected);
                }
            }
        }
        assertThat(shortcuts).as("the histories take the shortcut often").isGreaterThan(1_000);
    }

    @Test
    void aFactBeforeTheLastOfItsKindRecomputesVisitsFlowsAndBonusButNotPairs() {
        JourneyFact late = purchase("cafe", "R2", at(2026, 3, 20, 10, 0), "gastro.cafe", 500);
        JourneyFact early = purchase("baeckerei", "R1", at(2026, 3, 2, 10, 0), "lebensmittel.backwaren", 700);
        Facts facts = new Facts(List.of(late, early));
        assertThat(JourneyRows.appended(Periods.monthScope(202603, Periods.VISIT), facts, early, false, BERLIN, CLAMPS)).isNull();
        assertThat(JourneyRows.appended(Periods.monthScope(202603, Periods.FLOW), facts, early, false, BERLIN, CLAMPS)).isNull();
        assertThat(JourneyRows.appended(Periods.monthScope(202603, Periods.SHARED), facts, early, false, BERLIN, CLAMPS))
                .hasSize(2);
        assertThat(JourneyRows.appended(Periods.monthScope(202603, Periods.ENGAGED), facts, early, true, BERLIN, CLAMPS)).isNull();
    }

    private static boolean sameGroup(JourneyFact a, JourneyFact b) {
        return a.isVisit() ? b.isVisit() : a.kind.equals(b.kind);
    }
}
