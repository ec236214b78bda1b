package de.prokommun.insights.query.publication;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.privacy.city.CityBudgetPolicy;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The error of published answers at Musterstadt's default cap, on a synthetic city of 200,000 residents: the slice
 * of everybody is published ten times with independent keys and typical audiences are summed from its consistent
 * cells. Without the hierarchy a district (315 cells) would carry noise of σ·√315 ≈ 820; with it, about σ.
 */
class PublishedAccuracyTest {

    private static final double SHARE = new CityBudgetPolicy(new BigDecimal("4"), new BigDecimal("1e-9"),
            new BigDecimal("0.25"), 60).publicationRho();

    @Test
    void wideAudiencesReadTheAccuracyOfHighNodes() {
        CubeDomain domain = CubeDomain.of(Musterstadt.vocabulary());
        Map<CellKey, Long> truth = syntheticCity(domain, 200_000);
        PublicationCost cost = new PublicationCost(28 * SliceHierarchy.LEVELS, 4, SHARE);
        Map<String, Predicate<CellKey>> audiences = new LinkedHashMap<>();
        audiences.put("city", c -> true);
        audiences.put("district Saarn", c -> c.district().equals("Saarn"));
        audiences.put("women 18-64", c -> Set.of("18-24", "25-34", "35-49", "50-64").contains(c.ageBand())
                && c.gender().equals("FEMALE"));
        audiences.put("Saarn 25-49", c -> c.district().equals("Saarn") && Set.of("25-34", "35-49").contains(c.ageBand()));
        audiences.put("Saarn women 35-49", c -> c.district().equals("Saarn") && c.ageBand().equals("35-49")
                && c.gender().equals("FEMALE"));
        audiences.put("an empty cell", c -> c.equals(emptyCell(truth)));
        Map<String, double[]> squared = new LinkedHashMap<>();
        int runs = 10;
        for (int run = 0; run < runs; run++) {
            byte[] key = ("accuracy-key-" + run + "-0123456789abcdef0123456789").getBytes();
            CellNoise noise = new CellNoise(key, "musterstadt/2026-12/1of4", cost.sigmaSquaredRational());
            Map<CellKey, Long> published = new SliceHierarchy(domain, truth, noise.slice("all"),
                    cost.sigmaSquared().doubleValue()).consistentCells();
            for (Map.Entry<String, Predicate<CellKey>> a : audiences.entrySet()) {
                long exact = sum(truth, a.getValue());
                long answer = sum(published, a.getValue());
                squared.computeIfAbsent(a.getKey(), k -> new double[2])[0] += Math.pow(answer - exact, 2) / runs;
                squared.get(a.getKey())[1] = exact;
            }
        }
        double sigma = Math.sqrt(cost.sigmaSquared().doubleValue());
        squared.forEach((name, v) -> System.out.printf("ACCURACY %-28s true %7.0f  rms error %6.1f  (%.2f %%)  σ=%.1f%n",
                name, v[1], Math.sqrt(v[0]), 100 * Math.sqrt(v[0]) / v[1], sigma));
        assertThat(Math.sqrt(squared.get("city")[0])).isLessThan(2 * sigma);
        assertThat(Math.sqrt(squared.get("district Saarn")[0])).isLessThan(3 * sigma);
        // A district of ~20,000: within about 1 %, where summing independent cells would be off by ~4 %.
        assertThat(Math.sqrt(squared.get("district Saarn")[0]) / squared.get("district Saarn")[1]).isLessThan(0.01);
        // Across districts the error adds up again (one node per district, band and gender): still within 3 %.
        assertThat(Math.sqrt(squared.get("women 18-64")[0]) / squared.get("women 18-64")[1]).isLessThan(0.03);
    }

    private static CellKey emptyCell(Map<CellKey, Long> truth) {
        return truth.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey).sorted(
                java.util.Comparator.comparing(CellKey::toString)).findFirst().orElseThrow();
    }

    private static long sum(Map<CellKey, Long> cells, Predicate<CellKey> selected) {
        return cells.entrySet().stream().filter(e -> selected.test(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }

    /** Residents spread unevenly (some cells empty), as a real city is. */
    private static Map<CellKey, Long> syntheticCity(CubeDomain domain, int residents) {
        Random rnd = new Random(13);
        Map<CellKey, Double> weight = new HashMap<>();
        double total = 0;
        for (CellKey c : domain.cells()) {
            double w = c.ageBand().equals("other") || c.district().equals("other") ? 0.05 : Math.pow(rnd.nextDouble(), 3);
            if (rnd.nextInt(5) == 0) w = 0;
            weight.put(c, w);
            total += w;
        }
        Map<CellKey, Long> cells = new HashMap<>();
        for (CellKey c : domain.cells()) cells.put(c, Math.round(residents * weight.get(c) / total));
        return cells;
    }

}
