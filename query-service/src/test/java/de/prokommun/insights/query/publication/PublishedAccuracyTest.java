package de.prokommun.insights.query.publication;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.privacy.city.CityBudgetPolicy;
import de.prokommun.insights.privacy.noise.ExactSampler;
import de.prokommun.insights.privacy.noise.KeyedStream;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The error of published answers at Musterstadt's default cap (28 slices, 4 publications a month), on a synthetic
 * slice of everybody with 200,000 residents: measured as the service measures it (exact discrete Gaussian noise on
 * every marginal of the standard plan), fitted by least squares, rounded to signed integer cells and summed, with ten
 * independent keys. City-wide questions off the old hierarchy's path (a gender, a household type) read their own
 * measured marginal instead of summing 90–360 noisy nodes.
 */
class PublishedAccuracyTest {

    private static final double SHARE = new CityBudgetPolicy(new BigDecimal("4"), new BigDecimal("1e-9"),
            new BigDecimal("0.25"), 60).publicationRho();

    @Test
    void cityWideAndNarrowAudiencesReadTheMarginalsTheyRestrict() {
        CubeDomain domain = CubeDomain.of(Musterstadt.vocabulary());
        Map<CellKey, Long> truth = syntheticCity(domain, 200_000);
        MeasurementPlan plan = MeasurementPlan.standard();
        MeasurementCost cost = new MeasurementCost(plan, domain.slices(), 4, SHARE);
        Map<String, Predicate<CellKey>> audiences = new LinkedHashMap<>();
        audiences.put("city", c -> true);
        audiences.put("all women", c -> c.gender().equals("FEMALE"));
        audiences.put("single parents city-wide", c -> c.householdType().equals("SINGLE_PARENT"));
        audiences.put("district Saarn", c -> c.district().equals("Saarn"));
        audiences.put("women 18-64", c -> Set.of("18-24", "25-34", "35-49", "50-64").contains(c.ageBand())
                && c.gender().equals("FEMALE"));
        audiences.put("Saarn women 35-49", c -> c.district().equals("Saarn") && c.ageBand().equals("35-49")
                && c.gender().equals("FEMALE"));
        Map<String, double[]> squared = new LinkedHashMap<>();
        int runs = 10;
        Map<Marginal, BigDecimal> sigmaSquared = new LinkedHashMap<>();
        plan.of(CubeDomain.ALL).keySet().forEach(m -> sigmaSquared.put(m, cost.sigmaSquared(CubeDomain.ALL, m)));
        for (int run = 0; run < runs; run++) {
            byte[] key = ("accuracy-key-" + run + "-0123456789abcdef0123456789").getBytes();
            ExactSampler noise = new ExactSampler(KeyedStream.derive(key, "publication", "musterstadt/2026-12/1of4", "all"));
            Map<CellKey, Long> published = SignedCellRounding.round(new SliceMarginals(domain, truth, sigmaSquared, noise).estimates());
            for (Map.Entry<String, Predicate<CellKey>> a : audiences.entrySet()) {
                long exact = truth.entrySet().stream().filter(e -> a.getValue().test(e.getKey())).mapToLong(Map.Entry::getValue).sum();
                long answer = Math.max(0, published.entrySet().stream().filter(e -> a.getValue().test(e.getKey()))
                        .mapToLong(Map.Entry::getValue).sum());
                squared.computeIfAbsent(a.getKey(), k -> new double[2])[0] += Math.pow(answer - exact, 2) / runs;
                squared.get(a.getKey())[1] = exact;
            }
        }
        double sigmaSingle = Math.sqrt(cost.sigmaSquared(CubeDomain.ALL, Marginal.of(1)).doubleValue());
        squared.forEach((name, v) -> System.out.printf("ACCURACY %-26s true %7.0f  rms error %6.1f  (%.2f %%)  σ(single)=%.1f%n",
                name, v[1], Math.sqrt(v[0]), 100 * Math.sqrt(v[0]) / v[1], sigmaSingle));
        // A city-wide single dimension reads its own measurement and the sums of every finer one: within σ.
        for (String name : java.util.List.of("city", "all women", "single parents city-wide", "district Saarn")) {
            assertThat(Math.sqrt(squared.get(name)[0])).as(name).isLessThan(1.5 * sigmaSingle);
        }
        // ~100,000 women, ~20,000 in Saarn: well within 1 %; a pair of ranges within 3 %.
        assertThat(Math.sqrt(squared.get("district Saarn")[0]) / squared.get("district Saarn")[1]).isLessThan(0.01);
        assertThat(Math.sqrt(squared.get("women 18-64")[0]) / squared.get("women 18-64")[1]).isLessThan(0.03);
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
