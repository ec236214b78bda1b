package de.prokommun.insights.flink.voucher;

import static de.prokommun.insights.flink.Fixtures.anonymous;
import static de.prokommun.insights.flink.Fixtures.at;
import static de.prokommun.insights.flink.Fixtures.registration;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.ConsentChanged;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.ErasureRequested;
import de.prokommun.insights.events.GiftVoucherRedeemed;
import de.prokommun.insights.events.GiftVoucherSold;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.flink.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The voucher path of the profile job in operator harnesses (ProfileBuilder → VoucherFacts → VoucherJudge →
 * VoucherCuts → VoucherCirculation): the sums of the emitted rows equal a direct computation from the live events
 * after sales, redemptions by other persons, erasure of the buyer or of a redeemer and withdrawn consent; erasure
 * leaves no voucher state of the person behind; an over-redemption uses up nothing of its redeemer's month.
 */
class VoucherPipelineTest {
    private static final String ANNA = "pseudonym-anna";
    private static final String BERT = "pseudonym-bert";
    private static final String CARLA = "pseudonym-carla";
    private static final Map<String, DirectVoucherRows.Person> PERSONS = Map.of(
            ANNA, new DirectVoucherRows.Person("35-49", "Saarn", "SINGLE"),
            BERT, new DirectVoucherRows.Person("35-49", "Saarn", "COUPLE"),
            CARLA, new DirectVoucherRows.Person("65-79", "Saarn", "SINGLE"));

    private final long cap = Fixtures.cities().city(Fixtures.CITY).orElseThrow().clamps().voucherCents();
    private final List<AnonymousEvent> sent = new ArrayList<>();
    private VoucherPipeline pipeline;

    @BeforeEach
    void open() throws Exception {
        pipeline = new VoucherPipeline();
        send(anonymous(ANNA, "a-reg", at(2026, 3, 1), registration(1990, HouseholdType.SINGLE, true)));
        send(anonymous(BERT, "b-reg", at(2026, 3, 1), registration(1980, HouseholdType.COUPLE, true)));
        send(anonymous(CARLA, "c-reg", at(2026, 3, 1), registration(1950, HouseholdType.SINGLE, true)));
    }

    @AfterEach
    void close() throws Exception {
        pipeline.close();
    }

    private List<ContributionDelta> send(AnonymousEvent e) throws Exception {
        sent.add(e);
        return pipeline.send(e);
    }

    private static AnonymousEvent sold(String who, String id, String seller, long time, String voucher, long cents) {
        AnonymousEvent e = anonymous(who, id, time, new GiftVoucherSold(voucher, cents));
        e.setParticipant(seller);
        return e;
    }

    private static AnonymousEvent redeemed(String who, String id, String shop, long time, String voucher, long cents) {
        AnonymousEvent e = anonymous(who, id, time, new GiftVoucherRedeemed(voucher, cents, null));
        e.setParticipant(shop);
        return e;
    }

    /** anna buys two vouchers in March (the second is cut to the month's cap), bert and carla redeem them. */
    private void circulate() throws Exception {
        send(sold(ANNA, "a-s1", "buchhandlung", at(2026, 3, 2), "V1", 15_000));
        send(sold(ANNA, "a-s2", "gutscheinportal", at(2026, 3, 3), "V2", 10_000));
        send(redeemed(BERT, "b-r1", "cafe", at(2026, 3, 10), "V1", 6_000));
        send(redeemed(CARLA, "c-r1", "kino", at(2026, 4, 2), "V1", 9_000));
        send(redeemed(CARLA, "c-r2", "cafe", at(2026, 3, 15), "V2", 10_000));
        send(redeemed(BERT, "b-r2", "cafe", at(2026, 3, 11), "V9", 2_000));
    }

    private Map<String, List<Long>> figures() {
        return VoucherSums.figures(pipeline.deltas());
    }

    private Map<String, List<Long>> direct() {
        return VoucherSums.figures(DirectVoucherRows.of(sent, PERSONS, Fixtures.BERLIN, cap));
    }

    @Test
    void salesAndRedemptionsByOtherPersonsSumToTheDirectComputation() throws Exception {
        circulate();
        assertThat(figures()).isEqualTo(direct());
        String v2 = VoucherSums.figureKey(pipeline.deltas().stream()
                .filter(d -> d.getMeasure().equals("gift_voucher_redeemed") && "gutscheinportal".equals(d.getCounterpart()))
                .findFirst().orElseThrow());
        assertThat(figures().get(v2)).as("carla redeemed anna's V2 at the cafe, 12 days after the sale")
                .containsExactly(1L, 10_000L, 12L);
        assertThat(figures().entrySet()).as("anna's second voucher of March is cut to what is left of the cap")
                .anyMatch(e -> e.getKey().contains("|gift_voucher_sold|") && e.getKey().contains("gutscheinportal")
                        && e.getValue().get(1) == cap - 15_000);
        assertThat(figures().entrySet()).as("V9 was never sold by a profiled person")
                .anyMatch(e -> e.getKey().contains("|gift_voucher_redeemed|") && e.getKey().contains("|cafe|null|")
                        && e.getValue().equals(List.of(1L, 2_000L, 0L)));
        assertThat(pipeline.facts()).allSatisfy(f -> assertThat(f.toString() + f.segment.ageBand + f.factId)
                .doesNotContain("pseudonym"));
        assertThat(pipeline.deltas()).allSatisfy(d -> assertThat(d.toString()).doesNotContain("pseudonym"));
    }

    @Test
    void theBuyersErasureRemovesTheSalesAndTheRedemptionsLoseTheirSeller() throws Exception {
        circulate();
        send(anonymous(ANNA, "a-x", at(2026, 4, 5), new ErasureRequested(null)));
        assertThat(figures()).isEqualTo(direct());
        assertThat(figures().keySet()).noneMatch(k -> k.contains("buchhandlung") || k.contains("gutscheinportal"));
        assertThat(figures().entrySet()).filteredOn(e -> e.getKey().contains("|gift_voucher_redeemed|"))
                .as("bert's two and carla's two redemptions stay").extracting(e -> e.getValue().get(0))
                .containsExactlyInAnyOrder(1L, 1L, 1L, 1L);
        assertThat(pipeline.personsWithVoucherFacts()).containsExactlyInAnyOrder(BERT, CARLA);
        assertThat(pipeline.liveFactsOf("V1")).extracting(f -> f.role).containsOnly(VoucherRole.REDEEMED).hasSize(2);
        assertThat(pipeline.liveFactsOf("V2")).extracting(f -> f.factId).containsExactly("cafe\u001fc-r2");
    }

    @Test
    void aRedeemersErasureRemovesOnlyTheirRedemptions() throws Exception {
        circulate();
        send(anonymous(BERT, "b-x", at(2026, 4, 5), new ErasureRequested(null)));
        assertThat(figures()).isEqualTo(direct());
        assertThat(pipeline.personsWithVoucherFacts()).containsExactlyInAnyOrder(ANNA, CARLA);
        assertThat(pipeline.liveFactsOf("V1")).extracting(f -> f.factId)
                .containsExactlyInAnyOrder("buchhandlung\u001fa-s1", "kino\u001fc-r1");
        assertThat(pipeline.liveFactsOf("V9")).as("the voucher only bert had touched: no state left").isEmpty();
    }

    @Test
    void withdrawnConsentCountsLikeAnErasure() throws Exception {
        circulate();
        send(anonymous(CARLA, "c-w", at(2026, 4, 5), ConsentChanged.newBuilder().setAnalytics(false).build()));
        assertThat(figures()).isEqualTo(direct());
        assertThat(pipeline.personsWithVoucherFacts()).containsExactlyInAnyOrder(ANNA, BERT);
        assertThat(figures().keySet()).noneMatch(k -> k.contains("|kino|"));
    }

    @Test
    void anEarlierSaleArrivingLateTakesItsShareOfTheCapFromTheLaterOne() throws Exception {
        send(sold(ANNA, "a-s5", "buchhandlung", at(2026, 5, 20), "V5", 15_000));
        List<ContributionDelta> late = send(sold(ANNA, "a-s6", "kiosk", at(2026, 5, 5), "V6", 10_000));
        assertThat(late).extracting(ContributionDelta::getParticipant, ContributionDelta::getAmountCents)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("kiosk", 10_000L),
                        org.assertj.core.groups.Tuple.tuple("buchhandlung", -15_000L),
                        org.assertj.core.groups.Tuple.tuple("buchhandlung", cap - 10_000));
        assertThat(figures()).isEqualTo(direct());
    }

    @Test
    void thePersonsFactsMayReachTheVoucherInAnyInterleaving() throws Exception {
        pipeline.sendHoldingFacts(remember(sold(ANNA, "a-s1", "buchhandlung", at(2026, 3, 2), "V1", 15_000)));
        send(redeemed(BERT, "b-r1", "cafe", at(2026, 3, 10), "V1", 6_000));
        send(redeemed(CARLA, "c-r1", "kino", at(2026, 4, 2), "V1", 9_000));
        assertThat(figures().keySet()).noneMatch(k -> k.contains("buchhandlung"));
        pipeline.release();
        assertThat(figures()).isEqualTo(direct());
        assertThat(figures().keySet()).filteredOn(k -> k.contains("|gift_voucher_redeemed|"))
                .allMatch(k -> k.contains("|buchhandlung|"));
    }

    @Test
    void aRepeatedEventCountsOnce() throws Exception {
        circulate();
        send(redeemed(BERT, "b-r1", "cafe", at(2026, 3, 10), "V1", 6_000));
        assertThat(figures()).isEqualTo(direct());
    }

    @Test
    void whenEveryoneIsErasedNoRowNoStateAndNoTimerRemains() throws Exception {
        circulate();
        send(anonymous(BERT, "b-x", at(2026, 4, 5), new ErasureRequested(null)));
        send(anonymous(ANNA, "a-x", at(2026, 4, 5), new ErasureRequested(null)));
        send(anonymous(CARLA, "c-x", at(2026, 4, 6), new ErasureRequested(null)));
        assertThat(figures()).isEmpty();
        assertThat(VoucherSums.sums(pipeline.deltas(), VoucherSums::fullKey)).as("every row negated with its segment")
                .isEmpty();
        assertThat(pipeline.personsWithVoucherFacts()).isEmpty();
        assertThat(pipeline.profileStateEntries()).isZero();
        assertThat(pipeline.voucherStateEntries()).isZero();
        assertThat(pipeline.profiles.numEventTimeTimers() + pipeline.profiles.numProcessingTimeTimers()).isZero();
        assertThat(pipeline.personsWithVoucherCuts()).isEmpty();
        assertThat(pipeline.voucherTimers()).isZero();
    }

    @Test
    void aVoucherIsRedeemedAtMostForItsValueAsSoldEvenWhenTheSaleIsCutByTheBuyersMonth() throws Exception {
        // anna's V2 is cut to what is left of March's cap; carla's 10,000 and bert's 0 fit its 10,000 as sold, a
        // further 500 by bert does not: dead-lettered once, never counted; carla's erasure makes room for it
        send(sold(ANNA, "a-s1", "buchhandlung", at(2026, 3, 2), "V1", 15_000));
        send(sold(ANNA, "a-s2", "gutscheinportal", at(2026, 3, 3), "V2", 10_000));
        send(redeemed(CARLA, "c-r2", "cafe", at(2026, 3, 15), "V2", 10_000));
        send(redeemed(BERT, "b-r3", "kiosk", at(2026, 3, 20), "V2", 500));
        assertThat(figures()).isEqualTo(direct());
        assertThat(figures().keySet()).noneMatch(k -> k.contains("|kiosk|"));
        assertThat(overRedemptions()).singleElement().satisfies(d -> {
            assertThat(d.getStage()).isEqualTo(VoucherCirculation.STAGE);
            assertThat(d.getEventId()).isEqualTo("b-r3");
            assertThat(d.getReason()).contains("data.amountCents").contains("'kiosk'").contains("for 10000 cents")
                    .doesNotContain("pseudonym");
        });
        assertThat(figures().entrySet()).as("carla's redemption counts in full, linked, though the sale counts less")
                .anyMatch(e -> e.getKey().contains("|cafe|gutscheinportal|") && e.getValue().get(1) == 10_000L);

        send(anonymous(CARLA, "c-x", at(2026, 4, 5), new ErasureRequested(null)));
        assertThat(figures()).isEqualTo(direct());
        assertThat(figures().keySet()).anyMatch(k -> k.contains("|kiosk|gutscheinportal|"));
        assertThat(overRedemptions()).hasSize(1);
    }

    /**
     * Issue 15: a participant redeems anna's voucher in bert's name for far more than it was sold for. The judge
     * dead-letters it before bert's month is cut, so bert's own redemption later that month counts in full — in every
     * order in which the four facts reach the operators; erasing everyone leaves no state in any voucher operator.
     */
    @Test
    void aForgedOverRedemptionInAResidentsNameUsesUpNothingOfTheirMonthInEveryOrder() throws Exception {
        List<AnonymousEvent> facts = List.of(
                sold(ANNA, "a-s1", "buchhandlung", at(2026, 3, 2), "V1", 5_000),
                sold(CARLA, "c-s2", "gutscheinportal", at(2026, 3, 3), "V2", cap),
                redeemed(BERT, "forged", "getraenke", at(2026, 3, 5), "V1", 10 * cap),
                redeemed(BERT, "b-r2", "cafe", at(2026, 3, 20), "V2", cap));
        int orders = 0;
        for (List<AnonymousEvent> order : permutations(facts)) {
            pipeline.close();
            pipeline = new VoucherPipeline();
            sent.clear();
            send(anonymous(ANNA, "a-reg", at(2026, 3, 1), registration(1990, HouseholdType.SINGLE, true)));
            send(anonymous(BERT, "b-reg", at(2026, 3, 1), registration(1980, HouseholdType.COUPLE, true)));
            send(anonymous(CARLA, "c-reg", at(2026, 3, 1), registration(1950, HouseholdType.SINGLE, true)));
            for (AnonymousEvent e : order) send(e);
            String as = order.stream().map(AnonymousEvent::getEventId).toList().toString();
            assertThat(figures()).as(as).isEqualTo(direct());
            assertThat(figures().entrySet()).as(as + ": bert's own redemption counts in full")
                    .anyMatch(e -> e.getKey().contains("|cafe|gutscheinportal|") && e.getValue().get(1) == cap);
            assertThat(figures().keySet()).as(as).noneMatch(k -> k.contains("|getraenke|"));
            assertThat(overRedemptions()).as(as).singleElement()
                    .satisfies(d -> assertThat(d.getEventId()).isEqualTo("forged"));

            send(anonymous(ANNA, "a-x", at(2026, 4, 5), new ErasureRequested(null)));
            send(anonymous(BERT, "b-x", at(2026, 4, 5), new ErasureRequested(null)));
            send(anonymous(CARLA, "c-x", at(2026, 4, 5), new ErasureRequested(null)));
            assertThat(VoucherSums.sums(pipeline.deltas(), VoucherSums::fullKey)).as(as).isEmpty();
            assertThat(pipeline.personsWithVoucherFacts()).as(as).isEmpty();
            assertThat(pipeline.personsWithVoucherCuts()).as(as).isEmpty();
            assertThat(pipeline.voucherStateEntries()).as(as + ": judge, cuts and circulation hold nothing").isZero();
            assertThat(pipeline.voucherTimers()).isZero();
            orders++;
        }
        assertThat(orders).isEqualTo(24);
    }

    @Test
    void aRedemptionThatStopsFittingGivesItsMonthBackAndOneThatFitsAgainTakesItAgain() throws Exception {
        // bert redeems 8,000 of anna's 10,000 on the 20th and 2,000 of V9 on the 25th; carla's 5,000 of the 10th,
        // arriving late, takes the place: bert's 8,000 stops fitting and his V9 redemption gets the whole month;
        // carla's erasure makes room again and bert's 8,000 counts again, first in his month
        send(sold(ANNA, "a-s1", "buchhandlung", at(2026, 3, 2), "V1", 10_000));
        send(redeemed(BERT, "b-r1", "cafe", at(2026, 3, 20), "V1", 8_000));
        send(redeemed(BERT, "b-r9", "kiosk", at(2026, 3, 25), "V9", cap));
        assertThat(figures()).isEqualTo(direct());
        assertThat(amountAt("kiosk")).isEqualTo(cap - 8_000);
        send(redeemed(CARLA, "c-r1", "kino", at(2026, 3, 10), "V1", 5_000));
        assertThat(figures()).isEqualTo(direct());
        assertThat(amountAt("cafe")).isZero();
        assertThat(amountAt("kiosk")).as("bert's month no longer holds the 8,000").isEqualTo(cap);
        send(anonymous(CARLA, "c-x", at(2026, 4, 5), new ErasureRequested(null)));
        assertThat(figures()).isEqualTo(direct());
        assertThat(amountAt("cafe")).isEqualTo(8_000);
        assertThat(amountAt("kiosk")).isEqualTo(cap - 8_000);
        assertThat(overRedemptions()).singleElement().satisfies(d -> assertThat(d.getEventId()).isEqualTo("b-r1"));
    }

    /** The counted amount of the redemptions at a shop (0 without a row). */
    private long amountAt(String shop) {
        return figures().entrySet().stream().filter(e -> e.getKey().contains("|gift_voucher_redeemed|")
                && e.getKey().contains("|" + shop + "|")).mapToLong(e -> e.getValue().get(1)).sum();
    }

    private static <T> List<List<T>> permutations(List<T> items) {
        if (items.isEmpty()) return List.of(List.of());
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<T> rest = new ArrayList<>(items);
            T first = rest.remove(i);
            for (List<T> tail : permutations(rest)) {
                List<T> p = new ArrayList<>();
                p.add(first);
                p.addAll(tail);
                out.add(p);
            }
        }
        return out;
    }

    /** The dead letters of the judge and of the circulation (its backstop). */
    private List<de.prokommun.insights.events.DeadLetter> overRedemptions() {
        List<de.prokommun.insights.events.DeadLetter> dead = new ArrayList<>();
        for (var harness : List.of(pipeline.judge, pipeline.vouchers)) {
            var output = harness.getSideOutput(de.prokommun.insights.flink.events.DeadLetters.TAG);
            if (output != null) output.forEach(r -> dead.add(r.getValue()));
        }
        return dead;
    }

    private AnonymousEvent remember(AnonymousEvent e) {
        sent.add(e);
        return e;
    }
}
