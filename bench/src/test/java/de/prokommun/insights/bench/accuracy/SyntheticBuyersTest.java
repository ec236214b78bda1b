package de.prokommun.insights.bench.accuracy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.query.publication.BuyersByAgeBand;
import de.prokommun.insights.query.publication.PurchaseDomain;
import de.prokommun.insights.query.publication.PurchaseReleaseCost;
import de.prokommun.insights.query.publication.PurchaseFigureKey;
import de.prokommun.insights.query.publication.SegmentedFigure;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The synthetic buyers of bench/run accuracy: every figure of the domain, each segment a partition of its total,
 * plausible (groceries bought far more than club items, families buy toys more, the programme grows), reproducible;
 * and the buyer accuracy measured on them counts only cells of ≥ 200 and is better with the age-band slice.
 */
class SyntheticBuyersTest {

    private static final List<String> BANDS = List.of("0-12", "13-17", "18-29", "30-49", "50-64", "65+", "other");

    private static PurchaseDomain domain() {
        Map<String, List<String>> dimensions = new LinkedHashMap<>();
        dimensions.put("ageBand", BANDS);
        dimensions.put("gender", List.of("FEMALE", "MALE", "UNKNOWN"));
        dimensions.put("district", List.of("Saarn", "Styrum", "other"));
        dimensions.put("householdType", List.of("SINGLE", "FAMILY", "UNKNOWN"));
        return new PurchaseDomain(List.of("lebensmittel.backwaren", "vereine.fest", "freizeit.spielwaren"),
                List.of("baeckerei-schmidt"), List.of(202611, 202612), List.of(2023, 2024, 2025, 2026), dimensions,
                List.of("family", "senior", "other"));
    }

    private static List<ProfileTable.Profile> profiles(int n) {
        SplittableRandom rnd = new SplittableRandom(7);
        List<ProfileTable.Profile> out = new ArrayList<>();
        int[] ages = {8, 15, 24, 40, 57, 72};
        for (int i = 0; i < n; i++) {
            int b = rnd.nextInt(ages.length);
            boolean family = rnd.nextInt(4) == 0;
            List<String> personas = new ArrayList<>();
            if (family) personas.add("family");
            if (ages[b] >= 65) personas.add("senior");
            out.add(new ProfileTable.Profile(ages[b], BANDS.get(b), rnd.nextBoolean() ? "FEMALE" : "MALE",
                    rnd.nextBoolean() ? "Saarn" : "Altstadt", family ? "FAMILY" : "SINGLE", personas, List.of(), false, null));
        }
        return out;
    }

    @Test
    void everyFigureIsThereAndEachSegmentAddsUpToItsTotal() {
        List<ProfileTable.Profile> profiles = profiles(20_000);
        Map<PurchaseFigureKey, SegmentedFigure> figures = SyntheticBuyers.draw(profiles, domain(), 1).yearFigures();
        assertThat(figures).hasSize(3 * 4);
        for (SegmentedFigure f : figures.values()) {
            assertThat(f.total()).isBetween(0L, 20_000L);
            f.dimensions().values().forEach(cells ->
                    assertThat(cells.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(f.total()));
        }
        // Altstadt is not a district of the domain: "other".
        assertThat(figures.get(PurchaseFigureKey.buyers("vereine.fest", "2026")).value("district", "other")).isPositive();
        assertThat(SyntheticBuyers.draw(profiles, domain(), 1).yearFigures()).isEqualTo(figures);
    }

    @Test
    void theBuyersArePlausible() {
        Map<PurchaseFigureKey, SegmentedFigure> f = SyntheticBuyers.draw(profiles(20_000), domain(), 1).yearFigures();
        long bread = f.get(PurchaseFigureKey.buyers("lebensmittel.backwaren", "2025")).total();
        long clubs = f.get(PurchaseFigureKey.buyers("vereine.fest", "2025")).total();
        assertThat(bread).isGreaterThan(3 * clubs);
        assertThat(f.get(PurchaseFigureKey.buyers("lebensmittel.backwaren", "2023")).total()).isLessThan(bread);
        SegmentedFigure toys = f.get(PurchaseFigureKey.buyers("freizeit.spielwaren", "2025"));
        // A quarter of the residents are families; they buy toys four times as readily.
        assertThat(toys.personas().get("family")).isGreaterThan(toys.total() / 3);
    }

    @Test
    void theAccuracyCountsCellsOfAtLeast200AndTheSliceHelps() {
        Map<PurchaseFigureKey, SegmentedFigure> truth = SyntheticBuyers.draw(profiles(60_000), domain(), 1).yearFigures();
        long cells = truth.values().stream().flatMap(t -> t.dimensions().get("ageBand").values().stream())
                .filter(v -> v >= 200).count();
        byte[] key = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        BuyerAccuracy.Result with = BuyerAccuracy.measure(truth, domain(), 1, 0.02, 0.5, key, "t");
        BuyerAccuracy.Result without = BuyerAccuracy.measure(truth, domain(), 1, 0.02, 0, key, "t");
        assertThat(with.cells()).isEqualTo((int) cells).isPositive();
        // Δ² 12 against 172 here: σ 24.5 against 65.6.
        assertThat(with.sigmaSlice()).isLessThan(without.sigmaMain() / 2);
        assertThat(with.p95Percent()).isLessThan(without.p95Percent());
        long[] sizes = BuyerAccuracy.sizes(truth);
        assertThat(sizes[0] + sizes[1] + sizes[2] + sizes[3]).isEqualTo(cells);
    }

    @Test
    void aBoundKeepsTheTruthAndCountsAtMostThatManyCategoriesPerPersonAndYear() {
        List<ProfileTable.Profile> profiles = profiles(20_000);
        SyntheticBuyers unbounded = SyntheticBuyers.draw(profiles, domain(), 1);
        SyntheticBuyers bounded = SyntheticBuyers.draw(profiles, domain(), 1, 1);
        // The bound draws from its own stream: the truth is the same with or without it.
        assertThat(bounded.yearFigures()).isEqualTo(unbounded.yearFigures());
        assertThat(unbounded.boundedYearFigures()).isEqualTo(unbounded.yearFigures());
        assertThat(unbounded.shareOverBound()).isZero();
        assertThat(bounded.shareOverBound()).isBetween(0.01, 1.0);
        long[] perYear = new long[4];
        long[] perYearUnbounded = new long[4];
        int j = 0;
        for (String year : List.of("2023", "2024", "2025", "2026")) {
            for (String c : domain().categories()) {
                SegmentedFigure b = bounded.boundedYearFigures().get(PurchaseFigureKey.buyers(c, year));
                SegmentedFigure t = bounded.yearFigures().get(PurchaseFigureKey.buyers(c, year));
                assertThat(b.total()).isLessThanOrEqualTo(t.total());
                b.dimensions().values().forEach(cells ->
                        assertThat(cells.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(b.total()));
                perYear[j] += b.total();
                perYearUnbounded[j] += t.total();
            }
            j++;
        }
        for (int y = 0; y < 4; y++) {
            // One category per person and year: the bounded rows of a year are the persons who bought at all.
            assertThat(perYear[y]).isLessThanOrEqualTo(20_000).isLessThan(perYearUnbounded[y]);
        }
        assertThatThrownBy(() -> SyntheticBuyers.draw(profiles, domain(), 1, -1)).hasMessageContaining("bound");
    }

    @Test
    void theBoundedCostCountsTheBoundInsteadOfEveryCategoryForTheYears() {
        // C = 3, P = 1, M = 2, Y = 4, S = 1 + 4 + 2 = 7. Bound 2: slice Δ² = 2·4 = 8, figures 7·(3·2 + 2·4 + 1·2) + 8 = 120.
        PurchaseReleaseCost cost = BuyerAccuracy.boundedCost(domain(), 2, 1, 0.02, 0.5);
        assertThat(cost.slice().histograms()).isEqualTo(8);
        assertThat(cost.main().histograms()).isEqualTo(120);
        // A bound of at least C bounds nothing: the domain's own sensitivities.
        PurchaseReleaseCost none = BuyerAccuracy.boundedCost(domain(), 50, 1, 0.02, 0.5);
        assertThat(none.slice().histograms()).isEqualTo(BuyersByAgeBand.sensitivitySquared(domain()));
        assertThat((long) none.main().histograms()).isEqualTo(domain().sensitivitySquared());
        assertThat(cost.rho()).isLessThan(0.02);
        assertThatThrownBy(() -> BuyerAccuracy.boundedCost(domain(), 0, 1, 0.02, 0.5)).hasMessageContaining("bound");
        assertThatThrownBy(() -> BuyerAccuracy.boundedCost(domain(), 2, 1, 0.02, 0)).hasMessageContaining("ageBandShare");
    }

    @Test
    void aBoundedCountMeasuredAgainstTheTruthShowsItsBias() {
        List<ProfileTable.Profile> profiles = profiles(60_000);
        SyntheticBuyers b = SyntheticBuyers.draw(profiles, domain(), 1, 1);
        byte[] key = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        PurchaseReleaseCost cost = BuyerAccuracy.boundedCost(domain(), 1, 1, 1e6, 0.5); // practically no noise
        BuyerAccuracy.Result against = BuyerAccuracy.measure(b.boundedYearFigures(), b.yearFigures(), cost, key, "t");
        BuyerAccuracy.Result itself = BuyerAccuracy.measure(b.boundedYearFigures(), b.boundedYearFigures(), cost, key, "t");
        // Compared with the truth, the cut rows are an error; compared with what was counted, there is none.
        assertThat(against.medianPercent()).isGreaterThan(1);
        assertThat(itself.p95Percent()).isLessThan(1);
    }
}
