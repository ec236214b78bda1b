package de.prokommun.insights.query.publication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.privacy.PrivacyPolicy;
import de.prokommun.insights.privacy.city.CityBudget;
import de.prokommun.insights.privacy.city.CityBudgetStatus;
import de.prokommun.insights.privacy.noise.ExactSampler;
import de.prokommun.insights.privacy.noise.KeyedStream;
import de.prokommun.insights.privacy.noise.Rational;
import de.prokommun.insights.query.QueryConfig;
import de.prokommun.insights.query.audience.CityCatalog;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The buyers slice category × age band × year: its sensitivity and its part of the purchases' ρ, the charge as the
 * sum of both parts, its measurement (the truth beneath the slice's own draws), the published figure consistent
 * (the age bands add up to the total), and the published age bands of a year measurably closer to the truth than
 * without the slice at the same ρ.
 */
class BuyersByAgeBandTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final String BREAD = "lebensmittel.backwaren";
    private final PrivacyPolicy policy = Musterstadt.policy();
    private final CityBudget budget = CityBudget.inMemory();

    @TempDir
    Path dir;

    private static PurchaseDomain domain() {
        return PurchaseDomain.of(Musterstadt.vocabulary(), List.of("baeckerei-schmidt", "optik-meyer"),
                YearMonth.of(2026, 12), 2, 4);
    }

    @Test
    void theSliceCostsCategoriesTimesYearsAndBothPartsFitThePurchasesShare() {
        PurchaseDomain domain = domain();
        assertThat(BuyersByAgeBand.sensitivitySquared(domain)).isEqualTo(50L * 4);
        double share = 0.05;
        for (int perMonth : List.of(1, 4)) {
            PurchaseReleaseCost cost = PurchaseReleaseCost.of(domain, perMonth, share, 0.5);
            double sliceSigma2 = cost.sliceSigmaSquared().doubleValue();
            assertThat(sliceSigma2).isCloseTo(perMonth * 200 / (2 * share * 0.5), Offset.offset(sliceSigma2 * 1e-5));
            double mainSigma2 = cost.main().sigmaSquared().doubleValue();
            assertThat(mainSigma2).isCloseTo(perMonth * domain.sensitivitySquared() / (2 * share * 0.5),
                    Offset.offset(mainSigma2 * 1e-5));
            double rho = domain.sensitivitySquared() / (2 * mainSigma2) + 200 / (2 * sliceSigma2);
            assertThat(cost.rho()).isGreaterThanOrEqualTo(rho).isCloseTo(rho, Offset.offset(1e-12));
            assertThat(perMonth * cost.rho()).isLessThan(share);
        }
        assertThat(PurchaseReleaseCost.of(domain, 1, share, 0).hasSlice()).isFalse();
        assertThat(PurchaseReleaseCost.of(domain, 1, share, 0).rho())
                .isEqualTo(PublicationCost.ofPurchases(domain, 1, share).rho());
        assertThatThrownBy(() -> PurchaseReleaseCost.of(domain, 1, share, 1))
                .hasMessageContaining("query.publication.purchases.age-band-share");
    }

    @Test
    void theSliceIsMeasuredOnItsOwnPaidWithTheReleaseAndThePublishedBandsAddUp() {
        PublishedPurchases purchases = new PublishedPurchases();
        PurchaseStatisticsTest.FixedCounts counts = new PurchaseStatisticsTest.FixedCounts();
        PurchaseStatistics statistics = new PurchaseStatistics(counts, "contributions", "profiles", purchases,
                new PurchaseStore(dir), city -> List.of("baeckerei-schmidt", "optik-meyer"), 2, 4, 0.5,
                city -> policy.city(city).dominance(), 0.5);
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T08:00:00Z"), ZoneOffset.UTC);
        StatisticsOffice office = new StatisticsOffice(new CityCatalog(Musterstadt.CITIES), counts, "profiles",
                new PublishedStatistics(policy), new PublicationStore(dir), new CityBudgetLedger(budget, policy),
                new PublicationSchedule(4), KEY, clock, statistics);
        Publication cube = office.publishIfDue("musterstadt").orElseThrow();
        PurchasePublication p = purchases.latest("musterstadt").orElseThrow();

        // The charge is both parts, recomputed from the σ² the file names.
        double main = Double.parseDouble(p.sigmaSquared());
        double slice = Double.parseDouble(p.ageBandSigmaSquared());
        PurchaseDomain domain = domain();
        double rho = domain.sensitivitySquared() / (2 * main) + BuyersByAgeBand.sensitivitySquared(domain) / (2 * slice);
        assertThat(p.rho()).isCloseTo(rho, Offset.offset(1e-12));
        assertThat(status().publicationSpentRho()).isCloseTo(cube.rho() + p.rho(), Offset.offset(1e-15));
        assertThat(slice).isLessThan(main / 10);

        // The slice's measurement: the truth beneath its own draws, one per age band.
        PurchaseFigureKey bread = PurchaseFigureKey.buyers(BREAD, "2026");
        SegmentedFigure measured = p.measured().get(BuyersByAgeBand.auditKey(bread));
        ExactSampler sampler = new ExactSampler(KeyedStream.derive(KEY, "publication", p.id(),
                BuyersByAgeBand.auditKey(bread).stream()));
        Rational variance = Rational.of(new BigDecimal(p.ageBandSigmaSquared()));
        Map<String, Long> exact = new LinkedHashMap<>();
        measured.dimensions().get("ageBand").forEach((b, v) -> exact.put(b, v - sampler.discreteGaussian(variance)));
        assertThat(exact).containsEntry("35-49", 200L).containsEntry("50-64", 100L).containsEntry("65-79", 0L);
        assertThat(exact.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(300);
        // Every year and category has its slice measurement; months and customers have none.
        assertThat(p.measured().keySet().stream().filter(k -> k.measure().equals(BuyersByAgeBand.MEASURE))).hasSize(50 * 4);
        assertThat(p.measured()).doesNotContainKey(new PurchaseFigureKey(BuyersByAgeBand.MEASURE, BREAD, "2026-12"));
        // Audit only: never a published figure.
        assertThat(p.figures().keySet()).noneMatch(k -> k.measure().equals(BuyersByAgeBand.MEASURE));

        SegmentedFigure published = p.figures().get(bread);
        assertThat(published.dimensions().get("ageBand").values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(published.total());
        for (SegmentedFigure f : p.figures().values()) {
            f.dimensions().values().forEach(values -> {
                assertThat(values.values()).allSatisfy(v -> assertThat(v).isNotNegative());
                assertThat(values.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(f.total());
            });
        }
        // Kept and read back with its σ².
        assertThat(PurchaseStore.fromJson(PurchaseStore.toJson(p))).isEqualTo(p);
    }

    /**
     * The default age-band share was chosen from {@code bench/run accuracy} (docs/BENCHMARKS.md, 5 December 2026,
     * afternoon): the goal "category buyers by age band per year, p95 ≤ 10 %" was met from σ ≈ 50 per band on, missed
     * at 52. This pins that the service's defaults still give the slice that noise at Musterstadt's cap, and what the
     * other purchase figures pay for it.
     */
    @Test
    void atTheServiceDefaultsTheSliceHasTheNoiseThatMetTheGoal() {
        PurchaseDomain domain = PurchaseDomain.of(Musterstadt.vocabulary(), List.of(), YearMonth.of(2026, 12),
                QueryConfig.PURCHASE_PUBLICATION_MONTHS.defaultValue(), QueryConfig.PURCHASE_PUBLICATION_YEARS.defaultValue());
        assertThat(BuyersByAgeBand.sensitivitySquared(domain)).isEqualTo(50 * 4);
        double share = policy.city("musterstadt").cityBudget().publicationRho()
                * (1 - QueryConfig.JOURNEY_PUBLICATION_SHARE.defaultValue())
                * QueryConfig.PURCHASE_PUBLICATION_SHARE.defaultValue();
        PurchaseReleaseCost cost = PurchaseReleaseCost.of(domain, QueryConfig.PUBLICATIONS_PER_MONTH.defaultValue(), share,
                QueryConfig.PURCHASE_PUBLICATION_AGE_BAND_SHARE.defaultValue());
        assertThat(Math.sqrt(cost.sliceSigmaSquared().doubleValue())).isLessThanOrEqualTo(50.5);
        // The price: every node of the segmented figures gets the rest, (1 − 0.75) of the purchases' ρ.
        PurchaseReleaseCost before = PurchaseReleaseCost.of(domain, 1, share, 0.5);
        assertThat(cost.main().sigmaSquared().doubleValue() / before.main().sigmaSquared().doubleValue())
                .isCloseTo(2.0, Offset.offset(1e-4));
        assertThat(cost.rho()).isLessThan(share);
    }

    @Test
    void thePublishedAgeBandsOfAYearAreCloserToTheTruthWithTheSliceAtTheSameRho() {
        PurchaseDomain domain = domain();
        double share = policy.city("musterstadt").cityBudget().publicationRho() * 0.4;
        PurchaseReleaseCost with = PurchaseReleaseCost.of(domain, 1, share, 0.5);
        PurchaseReleaseCost without = PurchaseReleaseCost.of(domain, 1, share, 0);
        Map<String, Long> bands = new LinkedHashMap<>();
        List<String> labels = domain.dimensions().get("ageBand");
        for (int i = 0; i < labels.size(); i++) bands.put(labels.get(i), 400L + 300L * i);
        long total = bands.values().stream().mapToLong(Long::longValue).sum();
        SegmentedFigure truth = new SegmentedFigure(total, Map.of("ageBand", bands), Map.of());
        PurchaseFigureKey key = PurchaseFigureKey.buyers(BREAD, "2026");
        double sumWith = 0, sumWithout = 0;
        int n = 0;
        for (int run = 0; run < 60; run++) {
            byte[] k = ("key-" + run + "-0123456789abcdef0123456789").getBytes(StandardCharsets.US_ASCII);
            Map<PurchaseFigureKey, SegmentedFigure> a = PurchaseStatistics.release(Map.of(key, truth), with, k, "r").figures();
            Map<PurchaseFigureKey, SegmentedFigure> b = PurchaseStatistics.release(Map.of(key, truth), without, k, "r").figures();
            for (String band : labels) {
                double e1 = a.get(key).dimensions().get("ageBand").get(band) - bands.get(band);
                double e2 = b.get(key).dimensions().get("ageBand").get(band) - bands.get(band);
                sumWith += e1 * e1;
                sumWithout += e2 * e2;
                n++;
            }
        }
        double rmsWith = Math.sqrt(sumWith / n), rmsWithout = Math.sqrt(sumWithout / n);
        double expected = Math.sqrt(BuyersByAgeBand.combinedVariance(with.main().sigmaSquared().doubleValue(),
                with.sliceSigmaSquared().doubleValue()));
        // Least squares against the total only shrinks the error; the slice's σ bounds it from above (with room
        // for sampling error of 600 draws).
        assertThat(rmsWith).isLessThan(1.15 * expected);
        // At Musterstadt's domain about 3.8 times less error (σ ≈ 60 instead of ≈ 231 per band at this ρ).
        assertThat(rmsWith).isLessThan(rmsWithout / 3);
    }

    private CityBudgetStatus status() {
        return budget.status("musterstadt", YearMonth.of(2026, 12), null, policy.city("musterstadt").cityBudget());
    }
}
