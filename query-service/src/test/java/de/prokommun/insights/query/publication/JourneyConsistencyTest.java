package de.prokommun.insights.query.publication;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.privacy.SumClamps;
import java.time.YearMonth;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The post-processing of a journey month: non-negative integers, totals that add up, pairs within their customers. */
class JourneyConsistencyTest {

    private static final JourneyDomain DOMAIN = JourneyDomain.of(List.of("a", "b", "c", "d"), List.of("e1", "e2"),
            List.of("Saarn", "Broich", "Styrum"), YearMonth.of(2026, 12), 1, SumClamps.DEFAULT);

    /** Noisy measurements: small truths with large noise, so that negatives and violations are common. */
    private static Map<JourneyGroup, Map<String, Long>> noisy(long seed) {
        Random r = new Random(seed);
        Map<JourneyGroup, Map<String, Long>> m = new EnumMap<>(JourneyGroup.class);
        for (JourneyGroup g : JourneyGroup.values()) {
            Map<String, Long> cells = new LinkedHashMap<>();
            for (String l : g.labels(DOMAIN)) cells.put(l, (long) (r.nextGaussian() * 300) + r.nextInt(200));
            m.put(g, cells);
        }
        return m;
    }

    private static Map<JourneyGroup, Double> variance() {
        Map<JourneyGroup, Double> v = new EnumMap<>(JourneyGroup.class);
        for (JourneyGroup g : JourneyGroup.values()) v.put(g, 90_000.0);
        return v;
    }

    @RepeatedTest(20)
    void everyFigureIsANonNegativeIntegerAndTheSummaryIsTheSumOfItsParts(org.junit.jupiter.api.RepetitionInfo run) {
        Map<String, Map<String, Long>> out = JourneyConsistency.publish(noisy(run.getCurrentRepetition()), variance());
        out.forEach((group, cells) -> cells.forEach((label, v) -> assertThat(v).as(group + " " + label).isNotNegative()));
        Map<String, Long> summary = out.get(JourneyConsistency.SUMMARY);
        assertThat(summary.get("giftSoldCents")).isEqualTo(sum(out.get("giftSoldCents")));
        assertThat(summary.get("giftRedeemedCents")).isEqualTo(sum(out.get("giftRedeemedCents")));
        assertThat(summary.get("employerCreditedCents")).isEqualTo(sum(out.get("employerCredited")));
        // employer vouchers spent, per employer and per place: two tables of one total
        assertThat(summary.get("employerSpentCents")).isEqualTo(sum(out.get("employerSpent")))
                .isEqualTo(sum(out.get("employerSpentWhere")));
        // visits per weekday × hour and per district add up to the same total
        assertThat(sum(out.get("weekdayHour"))).isEqualTo(sum(out.get("placeVisits")));
        assertThat(out.get("weekdayHour")).hasSize(168);
        assertThat(out.get("placeVisits")).containsOnlyKeys("Saarn", "Broich", "Styrum", "other");
    }

    @RepeatedTest(20)
    void sharedCustomersNeverExceedEitherParticipantsCustomersAndFlowsGrowWithTheWindow(
            org.junit.jupiter.api.RepetitionInfo run) {
        Map<String, Map<String, Long>> out = JourneyConsistency.publish(noisy(100 + run.getCurrentRepetition()), variance());
        Map<String, Long> customers = out.get("customers");
        out.get("shared").forEach((pair, v) -> {
            String[] ab = pair.split("→");
            assertThat(v).as(pair).isLessThanOrEqualTo(Math.min(customers.get(ab[0]), customers.get(ab[1])));
        });
        for (String pair : DOMAIN.orderedPairs()) {
            long h1 = out.get("flows:1").get(pair), h24 = out.get("flows:24").get(pair);
            long d7 = out.get("flows:168").get(pair), d30 = out.get("flows:720").get(pair);
            assertThat(h1).isLessThanOrEqualTo(h24);
            assertThat(h24).isLessThanOrEqualTo(d7);
            assertThat(d7).isLessThanOrEqualTo(d30);
        }
    }

    @Test
    void exactConsistentInputComesBackUnchanged() {
        Map<JourneyGroup, Map<String, Long>> m = new EnumMap<>(JourneyGroup.class);
        for (JourneyGroup g : JourneyGroup.values()) {
            Map<String, Long> cells = new LinkedHashMap<>();
            for (String l : g.labels(DOMAIN)) cells.put(l, 0L);
            m.put(g, cells);
        }
        m.get(JourneyGroup.CUSTOMERS).putAll(Map.of("a", 50L, "b", 30L));
        m.get(JourneyGroup.SHARED).put("a→b", 12L);
        m.get(JourneyGroup.FLOWS_1H).put("a→b", 2L);
        m.get(JourneyGroup.FLOWS_24H).put("a→b", 5L);
        m.get(JourneyGroup.FLOWS_7D).put("a→b", 5L);
        m.get(JourneyGroup.FLOWS_30D).put("a→b", 9L);
        m.get(JourneyGroup.WEEKDAY_HOUR).put("1-10", 40L);
        m.get(JourneyGroup.PLACE_VISITS).put("Saarn", 40L);
        m.get(JourneyGroup.GIFT_SOLD_CENTS).putAll(Map.of("a", 5_000L, "other", 2_000L));
        Map<String, Map<String, Long>> out = JourneyConsistency.publish(m, variance());
        assertThat(out.get("customers")).containsEntry("a", 50L).containsEntry("b", 30L);
        assertThat(out.get("shared")).containsEntry("a→b", 12L);
        assertThat(List.of(out.get("flows:1").get("a→b"), out.get("flows:24").get("a→b"), out.get("flows:168").get("a→b"),
                out.get("flows:720").get("a→b"))).containsExactly(2L, 5L, 5L, 9L);
        assertThat(out.get("weekdayHour")).containsEntry("1-10", 40L);
        assertThat(out.get("placeVisits")).containsEntry("Saarn", 40L);
        assertThat(out.get("giftSoldCents")).containsEntry("a", 5_000L).containsEntry("other", 2_000L);
        assertThat(out.get(JourneyConsistency.SUMMARY)).containsEntry("giftSoldCents", 7_000L);
    }

    @Test
    void theSharedBoundUsesTheRoundedCustomersAndANegativeMeasurementBecomesZero() {
        Map<JourneyGroup, Map<String, Long>> m = noisy(7);
        m.get(JourneyGroup.CUSTOMERS).putAll(Map.of("a", 20L, "b", -15L, "c", 500L, "d", 400L));
        m.get(JourneyGroup.SHARED).putAll(Map.of("a→b", 40L, "a→c", 35L, "c→d", 450L, "b→c", -3L));
        Map<String, Long> shared = JourneyConsistency.publish(m, variance()).get("shared");
        assertThat(shared).containsEntry("a→b", 0L).containsEntry("a→c", 20L).containsEntry("c→d", 400L)
                .containsEntry("b→c", 0L);
    }

    @Test
    void aTableOnATotalIsTheLeastSquaresProjectionOntoTheSimplexInIntegers() {
        Map<String, Long> v = new LinkedHashMap<>();
        v.put("a", 500L);
        v.put("b", 100L);
        v.put("c", -100L);
        v.put("d", 50L);
        // τ = 100/3: 466.7, 66.7, 0, 16.7; floors add up to 548, two units go to the largest fractions
        Map<String, Long> fit = JourneyConsistency.onTotal(v, 550);
        assertThat(fit.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(550);
        assertThat(fit.get("a")).isBetween(466L, 467L);
        assertThat(fit.get("b")).isBetween(66L, 67L);
        assertThat(fit.get("c")).isZero();
        assertThat(fit.get("d")).isBetween(16L, 17L);
        assertThat(JourneyConsistency.onTotal(v, 0)).containsValues(0L, 0L, 0L, 0L);
        // a total above the positive cells raises every cell alike (τ < 0)
        assertThat(JourneyConsistency.onTotal(Map.of("x", 10L), 25)).containsEntry("x", 25L);
    }

    @Test
    void aLargeCellAmongManyNoisyEmptyOnesKeepsMostOfItself() {
        Random r = new Random(5);
        double projected = 0;
        double rescaled = 0;
        int trials = 400;
        for (int trial = 0; trial < trials; trial++) {
            Map<String, Long> v = new LinkedHashMap<>();
            v.put("big", 5_000 + Math.round(r.nextGaussian() * 127));
            for (int i = 0; i < 10; i++) v.put("zero" + i, Math.round(r.nextGaussian() * 127));
            long total = Math.max(0, sum(v));
            projected += JourneyConsistency.onTotal(v, total).get("big");
            long positive = v.values().stream().mapToLong(x -> Math.max(0, x)).sum();
            rescaled += v.get("big") * (double) total / positive;
        }
        // the projection takes τ (about 1.5σ here) from the big cell; clamping at 0 and rescaling takes a proportion
        assertThat(projected / trials).isGreaterThan(4_750);
        assertThat(rescaled / trials).as("rescaled, against projected " + projected / trials).isLessThan(projected / trials - 100);
    }

    @Test
    void poolAdjacentViolatorsGivesTheNonDecreasingLeastSquaresFit() {
        assertThat(JourneyConsistency.nonDecreasing(new double[] {1, 2, 3, 4})).containsExactly(1, 2, 3, 4);
        assertThat(JourneyConsistency.nonDecreasing(new double[] {4, 2, 3, 1})).containsExactly(2.5, 2.5, 2.5, 2.5);
        assertThat(JourneyConsistency.nonDecreasing(new double[] {1, 5, 3, 6})).containsExactly(1, 4, 4, 6);
        assertThat(JourneyConsistency.nonDecreasing(new double[] {-10, 8, 2, 2})).containsExactly(-10, 4, 4, 4);
    }

    private static long sum(Map<String, Long> cells) {
        return cells.values().stream().mapToLong(Long::longValue).sum();
    }

    @RepeatedTest(20)
    void thePublishedLinksIntoAPlaceNeverAddUpToMoreThanItsPublishedRedeemedValue(
            org.junit.jupiter.api.RepetitionInfo run) {
        Map<JourneyGroup, Map<String, Long>> m = noisy(300 + run.getCurrentRepetition());
        // the matrix's noise adds up over many links: far more into "b" than "b" redeemed
        DOMAIN.matrixPairs().forEach(pair -> m.get(JourneyGroup.GIFT_MATRIX).put(pair, pair.endsWith("→b") ? 40_000L : 10L));
        m.get(JourneyGroup.GIFT_REDEEMED_CENTS).put("b", 30_000L);
        Map<String, Map<String, Long>> out = JourneyConsistency.publish(m, variance());
        Map<String, Long> redeemed = out.get("giftRedeemedCents");
        Map<String, Long> into = new LinkedHashMap<>();
        out.get("giftMatrix").forEach((link, v) -> into.merge(link.split("→")[1], v, Long::sum));
        into.forEach((place, sum) -> assertThat(sum).as(place).isLessThanOrEqualTo(redeemed.get(place)));
        assertThat(into.get("b")).as("bounded, not wiped out").isPositive();
        long intoB = redeemed.get("b");
        assertThat(out.get("giftMatrix").get("a→b")).as("four equal links share b's value")
                .isEqualTo(intoB / 4);
    }

    @Test
    void linksWithinThePlacesValueAreLeftAsTheyAre() {
        Map<String, Long> links = new LinkedHashMap<>();
        links.put("a→b", 300L);
        links.put("c→b", 100L);
        links.put("a→c", 900L);
        Map<String, Long> bounded = JourneyConsistency.boundedByPlace(links, Map.of("b", 400L, "c", 600L));
        assertThat(bounded).containsEntry("a→b", 300L).containsEntry("c→b", 100L).containsEntry("a→c", 600L);
        assertThat(JourneyConsistency.boundedByPlace(Map.of("a→x", 5L), Map.of())).containsEntry("a→x", 5L);
    }
}
