package de.prokommun.insights.query.publication;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.privacy.PrivacyPolicy;
import de.prokommun.insights.privacy.city.CityBudget;
import de.prokommun.insights.privacy.city.CityBudgetStatus;
import de.prokommun.insights.privacy.noise.ExactSampler;
import de.prokommun.insights.privacy.noise.KeyedStream;
import de.prokommun.insights.privacy.noise.Rational;
import de.prokommun.insights.query.audience.CityCatalog;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The purchase statistics over fixed true sums: published in the same run as the audience cube, once per period,
 * paid apart from it and both within the publication share; every figure is the truth beneath noise drawn once
 * per node (drawn again here with the key), made consistent (non-negative integers, marginals adding up to the
 * total); a restart serves the stored release without paying.
 */
class PurchaseStatisticsTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
    private static final String BREAD = "lebensmittel.backwaren";
    private static final String OPTICS = "dienstleistungen.optik-hoerakustik";

    @TempDir
    Path dir;

    private static final class MovableClock extends Clock {
        Instant now;
        MovableClock(String at) { now = Instant.parse(at); }
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    /**
     * Pinot as the publication asks it: 120 profiles in one cell (audience cube); bread bought by 300 people in
     * 2026 (200 aged 35-49, 100 aged 50-64; 150 family, 150 without persona), 40 of them in December; 80 customers
     * of the bakery in December; 250 of the 2026 buyers still active.
     */
    static final class FixedCounts implements CubeSource {
        final List<String> asked = new ArrayList<>();

        @Override
        public Map<List<String>, Long> countsPerGroup(String sql, int groupColumns) {
            asked.add(sql);
            Map<List<String>, Long> rows = new LinkedHashMap<>();
            if (sql.contains("purchaseTags")) {
                rows.put(List.of("category:" + BREAD + ":2026"), 250L);
                rows.put(List.of("customer:baeckerei-schmidt"), 99L); // another value of the same rows: not a figure
                return rows;
            }
            if (sql.contains("measure = 'purchase'")) {
                // Bread: three bakeries with equal sales; glasses: one optician; three single-seller fashion
                // categories, one shop each, equal sales.
                sales(rows, sql, BREAD, Map.of("baeckerei-schmidt", 5000L, "baeckerei-kamps", 5000L, "edeka-mueller", 4000L));
                sales(rows, sql, OPTICS, Map.of("optik-meyer", 90000L));
                sales(rows, sql, "mode.damen", Map.of("boutique-a", 7000L));
                sales(rows, sql, "mode.herren", Map.of("boutique-b", 7000L));
                sales(rows, sql, "mode.kinder", Map.of("boutique-c", 7000L));
                return rows;
            }
            if (sql.contains("measure = 'buyer_year'")) {
                segmented(rows, sql, List.of(BREAD, "2026"), Map.of("35-49", 200L, "50-64", 100L), 300);
                segmented(rows, sql, List.of(OPTICS, "2026"), Map.of("65-79", 60L), 60);
                for (String c : List.of("mode.damen", "mode.herren", "mode.kinder")) {
                    segmented(rows, sql, List.of(c, "2026"), Map.of("25-34", 100L), 100);
                }
            } else if (sql.contains("measure = 'buyer_month'")) {
                segmented(rows, sql, List.of(BREAD, "202612"), Map.of("35-49", 40L), 40);
            } else if (sql.contains("measure = 'customer_month'")) {
                segmented(rows, sql, List.of("baeckerei-schmidt", "202612"), Map.of("25-34", 80L), 80);
            } else {
                List<String> cell = List.of("35-49", "FEMALE", "Saarn", "FAMILY");
                if (groupColumns == 4) rows.put(cell, 120L);
                else if (sql.contains("personas")) rows.put(plus(cell, "family"), 120L);
                else rows.put(plus(cell, "sport"), 120L);
            }
            return rows;
        }

        /** Sales in 2026 per seller, all in one age band, gender, district, household type and persona. */
        private static void sales(Map<List<String>, Long> rows, String sql, String category, Map<String, Long> bySeller) {
            if (!sql.contains("year IN")) return;
            String select = sql.substring(0, sql.indexOf(" FROM"));
            String value = select.contains("ageBand") ? "35-49" : select.contains("gender") ? "FEMALE"
                    : select.contains("district") ? "Saarn" : select.contains("householdType") ? "FAMILY"
                    : select.contains("personas") ? "family" : null;
            bySeller.forEach((seller, cents) -> {
                List<String> key = List.of(category, "2026", seller);
                rows.put(value == null ? key : plus(key, value), cents);
            });
        }

        private static void segmented(Map<List<String>, Long> rows, String sql, List<String> key, Map<String, Long> bands,
                                      long total) {
            String select = sql.substring(0, sql.indexOf(" FROM"));
            if (select.contains("ageBand")) bands.forEach((b, n) -> rows.put(plus(key, b), n));
            else if (select.contains("gender")) rows.put(plus(key, "FEMALE"), total);
            else if (select.contains("district")) rows.put(plus(key, "Atlantis"), total); // outside: "other"
            else if (select.contains("householdType")) rows.put(plus(key, "FAMILY"), total);
            else if (select.contains("personas")) {
                rows.put(plus(key, "family"), total / 2);
                rows.put(plus(key, "null"), total - total / 2);
            } else rows.put(key, total);
        }

        private static List<String> plus(List<String> cell, String value) {
            List<String> all = new ArrayList<>(cell);
            all.add(value);
            return all;
        }
    }

    private final PrivacyPolicy policy = Musterstadt.policy();
    private final CityBudget budget = CityBudget.inMemory();
    private final FixedCounts counts = new FixedCounts();
    private final MovableClock clock = new MovableClock("2026-12-01T08:00:00Z");

    private StatisticsOffice office(PublishedStatistics audience, PublishedPurchases purchases) {
        PurchaseStatistics statistics = new PurchaseStatistics(counts, "contributions", "profiles", purchases,
                new PurchaseStore(dir), city -> List.of("baeckerei-schmidt", "optik-meyer"), 2, 4, 0.5,
                city -> policy.city(city).dominance());
        return new StatisticsOffice(new CityCatalog(Musterstadt.CITIES), counts, "profiles", audience,
                new PublicationStore(dir), new CityBudgetLedger(budget, policy), new PublicationSchedule(4), KEY, clock,
                statistics);
    }

    private CityBudgetStatus status() {
        return budget.status("musterstadt", YearMonth.of(2026, 12), null, policy.city("musterstadt").cityBudget());
    }

    @Test
    void publishedWithTheAudienceCubeOncePerPeriodBothPaidWithinTheShare() {
        PublishedStatistics audience = new PublishedStatistics(policy);
        PublishedPurchases purchases = new PublishedPurchases();
        StatisticsOffice office = office(audience, purchases);
        Publication cube = office.publishIfDue("musterstadt").orElseThrow();
        PurchasePublication first = purchases.latest("musterstadt").orElseThrow();
        assertThat(first.id()).isEqualTo("musterstadt/2026-12/1of4/purchases");
        assertThat(status().publicationSpentRho()).isCloseTo(cube.rho() + first.rho(), org.assertj.core.data.Offset.offset(1e-15));
        int queries = counts.asked.size();
        clock.now = Instant.parse("2026-12-07T20:00:00Z");
        office.publishIfDue("musterstadt");
        assertThat(purchases.latest("musterstadt")).contains(first);
        assertThat(counts.asked).hasSize(queries);

        for (String at : List.of("2026-12-09T00:30:00Z", "2026-12-20T12:00:00Z", "2026-12-31T22:00:00Z")) {
            clock.now = Instant.parse(at);
            office.publishIfDue("musterstadt");
        }
        assertThat(purchases.latest("musterstadt").orElseThrow().id()).isEqualTo("musterstadt/2026-12/4of4/purchases");
        // Four audience cubes on half the share and four purchase releases on the other half: the whole share,
        // never more.
        assertThat(status().publicationSpentRho()).isLessThanOrEqualTo(status().publicationCapRho())
                .isGreaterThan(0.999 * status().publicationCapRho());
    }

    @Test
    void everyFigureIsTheTruthBeneathItsNoiseMadeConsistent() {
        PublishedPurchases purchases = new PublishedPurchases();
        office(new PublishedStatistics(policy), purchases).publishIfDue("musterstadt");
        PurchasePublication p = purchases.latest("musterstadt").orElseThrow();
        PurchaseDomain domain = PurchaseDomain.of(Musterstadt.vocabulary(), List.of("baeckerei-schmidt", "optik-meyer"),
                YearMonth.of(2026, 12), 2, 4);
        // Every figure of the domain, zeros included: 50 categories × (2 months + 4 years) buyers, 2 participants ×
        // 2 months customers, 50 × 4 still active.
        // (less the withheld single-seller categories of 2026 and their still-active figures, plus the fashion pool).
        assertThat(p.figures()).hasSize(50 * 6 + 2 * 2 + 50 * 4 - 4 * 2 + 1);
        assertThat(p.figures()).containsKey(PurchaseFigureKey.buyers("mode.damen", "2023"));
        double sigma = Math.sqrt(Double.parseDouble(p.sigmaSquared()));
        double expected = Math.sqrt(4.0 * domain.sensitivitySquared()
                / (2 * 0.5 * policy.city("musterstadt").cityBudget().publicationRho()));
        assertThat(sigma).isBetween(expected, expected * 1.0001);
        assertThat(p.rho()).isCloseTo(domain.sensitivitySquared() / (2 * sigma * sigma), org.assertj.core.data.Offset.offset(1e-9));

        Map<String, Long> bands = new LinkedHashMap<>();
        Musterstadt.vocabulary().ageBands().forEach(b -> bands.put(b, 0L));
        bands.put("other", 0L);
        bands.put("35-49", 200L);
        bands.put("50-64", 100L);
        SegmentedFigure truth = truth(p.measured().get(PurchaseFigureKey.buyers(BREAD, "2026")),
                p.id(), PurchaseFigureKey.buyers(BREAD, "2026"), p.sigmaSquared());
        assertThat(truth.total()).isEqualTo(300);
        assertThat(truth.dimensions().get("ageBand")).isEqualTo(bands);
        assertThat(truth.dimensions().get("district")).containsEntry("other", 300L).containsEntry("Saarn", 0L);
        assertThat(truth.personas()).containsEntry("family", 150L).containsEntry("other", 150L).containsEntry("senior", 0L);
        assertThat(truth(p.measured().get(PurchaseFigureKey.customers("baeckerei-schmidt", "2026-12")), p.id(),
                PurchaseFigureKey.customers("baeckerei-schmidt", "2026-12"), p.sigmaSquared()).total()).isEqualTo(80);
        assertThat(truth(p.measured().get(PurchaseFigureKey.stillActive(BREAD, "2026")), p.id(),
                PurchaseFigureKey.stillActive(BREAD, "2026"), p.sigmaSquared()).total()).isEqualTo(250);
        assertThat(truth(p.measured().get(PurchaseFigureKey.buyers("mode.damen", "2023")), p.id(),
                PurchaseFigureKey.buyers("mode.damen", "2023"), p.sigmaSquared()).total()).isZero();

        for (SegmentedFigure f : p.figures().values()) {
            assertThat(f.total()).isNotNegative();
            f.dimensions().values().forEach(values -> {
                assertThat(values.values()).allSatisfy(v -> assertThat(v).isNotNegative());
                assertThat(values.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(f.total());
            });
            assertThat(f.personas().values()).allSatisfy(v -> assertThat(v).isBetween(0L, f.total()));
        }
        assertThat(Math.abs(p.figures().get(PurchaseFigureKey.buyers(BREAD, "2026")).total() - 300)).isLessThan((long) (6 * sigma));
    }

    @Test
    void aRestartServesTheStoredReleaseWithoutPayingOrCountingAgain() {
        office(new PublishedStatistics(policy), new PublishedPurchases()).publishIfDue("musterstadt");
        double spent = status().publicationSpentRho();
        int queries = counts.asked.size();
        PublishedPurchases afterRestart = new PublishedPurchases();
        StatisticsOffice restarted = office(new PublishedStatistics(policy), afterRestart);
        restarted.reload("musterstadt");
        PurchasePublication held = afterRestart.latest("musterstadt").orElseThrow();
        restarted.publishIfDue("musterstadt");
        assertThat(afterRestart.latest("musterstadt")).containsSame(held);
        assertThat(counts.asked).hasSize(queries);
        assertThat(status().publicationSpentRho()).isEqualTo(spent);
        assertThat(PurchaseStore.fromJson(PurchaseStore.toJson(held))).isEqualTo(held);
    }

    @Test
    void aCompetitorCannotReadASingleSellersFiguresThroughThePublication() {
        PublishedPurchases purchases = new PublishedPurchases();
        office(new PublishedStatistics(policy), purchases).publishIfDue("musterstadt");
        PurchasePublication p = purchases.latest("musterstadt").orElseThrow();
        // The optician is the only seller of glasses in 2026: neither its buyers nor its still-active buyers are
        // published, and the pool of its first-level category would hold only it, so there is none either.
        assertThat(p.figures()).doesNotContainKeys(PurchaseFigureKey.buyers(OPTICS, "2026"),
                PurchaseFigureKey.stillActive(OPTICS, "2026"), PurchaseFigureKey.buyers("dienstleistungen", "2026"));
        // Months without sales have nobody to protect; other years are published as usual.
        assertThat(p.figures()).containsKeys(PurchaseFigureKey.buyers(OPTICS, "2025"), PurchaseFigureKey.buyers(OPTICS, "2026-12"));
        // Three fashion shops, each the only seller of its sub-category: each withheld, the three pooled under
        // "mode" (three sellers, none dominating), the pool the sum of their published figures.
        for (String c : List.of("mode.damen", "mode.herren", "mode.kinder")) {
            assertThat(p.figures()).doesNotContainKey(PurchaseFigureKey.buyers(c, "2026"));
        }
        PurchaseFigureKey pool = PurchaseFigureKey.buyers("mode", "2026");
        assertThat(p.pooled()).containsEntry(pool, List.of("mode.damen", "mode.herren", "mode.kinder"));
        SegmentedFigure mode = p.figures().get(pool);
        double sigma = Math.sqrt(Double.parseDouble(p.sigmaSquared()));
        assertThat(Math.abs(mode.total() - 300)).isLessThan((long) (6 * sigma * Math.sqrt(3)));
        mode.dimensions().values().forEach(values ->
                assertThat(values.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(mode.total()));
        // Bread has three sellers, none above 85 %: published as it is.
        assertThat(p.figures()).containsKey(PurchaseFigureKey.buyers(BREAD, "2026"));
        assertThat(p.pooled()).doesNotContainKey(PurchaseFigureKey.buyers("lebensmittel", "2026"));
        // The stored copy keeps the same: nothing withheld comes back after a restart.
        assertThat(PurchaseStore.fromJson(PurchaseStore.toJson(p)).figures()).isEqualTo(p.figures());
        assertThat(PurchaseStore.fromJson(PurchaseStore.toJson(p)).pooled()).isEqualTo(p.pooled());
    }

    /** The measured figure minus its noise drawn again from the key, in the order it was drawn. */
    static SegmentedFigure truth(SegmentedFigure measured, String releaseId, PurchaseFigureKey key, String sigmaSquared) {
        ExactSampler sampler = new ExactSampler(KeyedStream.derive(KEY, "publication", releaseId, key.stream()));
        Rational variance = Rational.of(new BigDecimal(sigmaSquared));
        long total = measured.total() - sampler.discreteGaussian(variance);
        Map<String, Map<String, Long>> dimensions = new LinkedHashMap<>();
        measured.dimensions().forEach((d, values) -> {
            Map<String, Long> exact = new LinkedHashMap<>();
            values.forEach((l, v) -> exact.put(l, v - sampler.discreteGaussian(variance)));
            dimensions.put(d, exact);
        });
        Map<String, Long> personas = new LinkedHashMap<>();
        measured.personas().forEach((l, v) -> personas.put(l, v - sampler.discreteGaussian(variance)));
        return new SegmentedFigure(total, dimensions, personas);
    }
}
