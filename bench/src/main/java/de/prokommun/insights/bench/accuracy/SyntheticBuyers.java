package de.prokommun.insights.bench.accuracy;

import de.prokommun.insights.query.publication.CubeDomain;
import de.prokommun.insights.query.publication.PurchaseDomain;
import de.prokommun.insights.query.publication.PurchaseFigureKey;
import de.prokommun.insights.query.publication.SegmentedFigure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Who bought which category in which year, for the synthetic residents of {@code bench/run accuracy}: the truth of
 * the purchase statistics' yearly buyer figures ({@code buyer_year}: one distinct row per person, category and year,
 * in the person's segment), counted in memory.
 *
 * <p>The model, chosen to be plausible for a city card programme rather than fitted to data: a person buys in a
 * category in a year with probability {@code 1 − exp(−base(top) · taste(age, household, top) · leaf · engagement ·
 * uptake(year))}. The base rates per first-level category (groceries and drugstore often, clubs and services
 * rarely), the taste multipliers by age and household and the leaf weights follow the simulator's preferences in
 * spirit (families buy toys and children's clothes, seniors optics and health, the young gastronomy and fashion);
 * the engagement of a person is light, medium or heavy use of the card (0.3, 1, 2.5 with shares 40/40/20 %); the
 * programme grows over the years (uptake 0.55, 0.7, 0.85, 1 of the current year's level; the current year counts
 * 11 of 12 months, since the census day is the first of December). Everything seeded: the same truth each run.
 */
final class SyntheticBuyers {

    private static final Map<String, Double> BASE = Map.of("lebensmittel", 0.55, "drogerie", 0.40, "mode", 0.22,
            "wohnen", 0.12, "freizeit", 0.16, "gastronomie", 0.30, "dienstleistungen", 0.09, "kultur", 0.10,
            "vereine", 0.05);

    private final Map<PurchaseFigureKey, SegmentedFigure> figures;
    private final Map<PurchaseFigureKey, SegmentedFigure> bounded;
    private final int bound;
    private final long personYears;
    private final long personYearsOverBound;

    private SyntheticBuyers(Map<PurchaseFigureKey, SegmentedFigure> figures, Map<PurchaseFigureKey, SegmentedFigure> bounded,
                            int bound, long personYears, long personYearsOverBound) {
        this.figures = figures;
        this.bounded = bounded;
        this.bound = bound;
        this.personYears = personYears;
        this.personYearsOverBound = personYearsOverBound;
    }

    /** The exact buyers per category and year of the domain, by segment, zeros included. */
    Map<PurchaseFigureKey, SegmentedFigure> yearFigures() {
        return figures;
    }

    /**
     * The same buyers as a pipeline would count them that keeps at most {@link #bound()} categories per person and
     * year (the first ones of the year; the order of a person's categories in a year is drawn at random): the
     * truth of the proposed per-person bound, always at most {@link #yearFigures()}. Without a bound the same map.
     */
    Map<PurchaseFigureKey, SegmentedFigure> boundedYearFigures() {
        return bounded;
    }

    /** The bound on categories per person and year of {@link #boundedYearFigures()}; 0: none. */
    int bound() {
        return bound;
    }

    /** The share of (person, year) pairs with purchases in more categories than the bound (what the bound cuts). */
    double shareOverBound() {
        return personYears == 0 ? 0 : (double) personYearsOverBound / personYears;
    }

    static SyntheticBuyers draw(List<ProfileTable.Profile> profiles, PurchaseDomain domain, long seed) {
        return draw(profiles, domain, seed, 0);
    }

    /**
     * @param bound categories counted per person and year for {@link #boundedYearFigures()} (0: no bound); the
     *              unbounded truth is the same as without a bound (the bound draws from its own random stream)
     */
    static SyntheticBuyers draw(List<ProfileTable.Profile> profiles, PurchaseDomain domain, long seed, int bound) {
        if (bound < 0) throw new IllegalArgumentException("bound: must be at least 0 (0 = none), got " + bound);
        List<String> categories = domain.categories();
        List<Integer> years = domain.years();
        int c = categories.size(), y = years.size();
        double[] leaf = new double[c];
        SplittableRandom leafRandom = new SplittableRandom(seed ^ 0x5eedL);
        // Leaf weights within a first-level category: some sub-categories are bought far more than others.
        for (int i = 0; i < c; i++) leaf[i] = 0.25 + 1.5 * leafRandom.nextDouble();
        double[] uptake = new double[y];
        for (int j = 0; j < y; j++) {
            int back = y - 1 - j;
            uptake[j] = (back == 0 ? 11.0 / 12 : 1) * Math.max(0.25, 1 - 0.15 * back);
        }
        Counter[] counters = new Counter[c * y];
        Counter[] boundedCounters = new Counter[c * y];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new Counter(domain);
            boundedCounters[i] = new Counter(domain);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        // Its own stream, so that the unbounded truth does not depend on the bound.
        SplittableRandom order = new SplittableRandom(seed ^ 0xb0dL);
        long personYears = 0, overBound = 0;
        int[][] bought = new int[y][c];
        int[] boughtCount = new int[y];
        for (ProfileTable.Profile p : profiles) {
            double u = rnd.nextDouble();
            double engagement = u < 0.4 ? 0.3 : u < 0.8 ? 1 : 2.5;
            java.util.Arrays.fill(boughtCount, 0);
            for (int i = 0; i < c; i++) {
                String category = categories.get(i);
                String top = category.contains(".") ? category.substring(0, category.indexOf('.')) : category;
                double rate = BASE.getOrDefault(top, 0.1) * taste(p, category, top) * leaf[i] * engagement;
                for (int j = 0; j < y; j++) {
                    if (rnd.nextDouble() < 1 - Math.exp(-rate * uptake[j])) {
                        counters[i * y + j].add(p);
                        bought[j][boughtCount[j]++] = i;
                    }
                }
            }
            for (int j = 0; j < y; j++) {
                int n = boughtCount[j];
                if (n == 0) continue;
                personYears++;
                int kept = bound == 0 ? n : Math.min(bound, n);
                if (kept < n) {
                    overBound++;
                    // The first `kept` of a random order: a partial Fisher-Yates shuffle.
                    for (int a = 0; a < kept; a++) {
                        int b = a + order.nextInt(n - a);
                        int t = bought[j][a];
                        bought[j][a] = bought[j][b];
                        bought[j][b] = t;
                    }
                }
                for (int a = 0; a < kept; a++) boundedCounters[bought[j][a] * y + j].add(p);
            }
        }
        return new SyntheticBuyers(figures(categories, years, counters), figures(categories, years, boundedCounters),
                bound, personYears, overBound);
    }

    private static Map<PurchaseFigureKey, SegmentedFigure> figures(List<String> categories, List<Integer> years,
                                                                Counter[] counters) {
        int y = years.size();
        Map<PurchaseFigureKey, SegmentedFigure> figures = new LinkedHashMap<>();
        for (int i = 0; i < categories.size(); i++) {
            for (int j = 0; j < y; j++) {
                figures.put(PurchaseFigureKey.buyers(categories.get(i), PurchaseDomain.yearLabel(years.get(j))),
                        counters[i * y + j].figure());
            }
        }
        return figures;
    }

    /** Age and household taste for a category (1 = the city's average). */
    private static double taste(ProfileTable.Profile p, String category, String top) {
        int age = p.age();
        String household = p.householdType() == null ? "" : p.householdType();
        double t = 1;
        if (age >= 0 && age < 13) t *= "freizeit".equals(top) ? 0.8 : 0.25; // children buy little themselves
        else if (age < 18) t *= switch (top) { case "mode", "freizeit", "gastronomie", "kultur" -> 1.4; default -> 0.5; };
        else if (age < 30) t *= switch (top) { case "gastronomie", "mode" -> 1.5; case "wohnen" -> 0.6; default -> 1; };
        else if (age >= 65) t *= switch (top) { case "mode", "freizeit" -> 0.6; case "dienstleistungen", "drogerie" -> 1.3; default -> 1; };
        if ("FAMILY".equals(household) || "SINGLE_PARENT".equals(household)) {
            if (category.equals("drogerie.baby") || category.equals("mode.kinder") || category.equals("freizeit.spielwaren")) t *= 4;
            if ("lebensmittel".equals(top)) t *= 1.3;
        }
        if (age >= 65 && (category.equals("dienstleistungen.optik-hoerakustik") || category.equals("drogerie.gesundheit"))) t *= 2.5;
        return t;
    }

    /** One figure's counts by segment, as the pipeline's distinct rows add up. */
    private static final class Counter {
        private final PurchaseDomain domain;
        private long total;
        private final Map<String, Map<String, Long>> dimensions = new LinkedHashMap<>();
        private final Map<String, Long> personas = new LinkedHashMap<>();

        Counter(PurchaseDomain domain) {
            this.domain = domain;
            domain.dimensions().forEach((d, labels) -> {
                Map<String, Long> zero = new LinkedHashMap<>();
                labels.forEach(l -> zero.put(l, 0L));
                dimensions.put(d, zero);
            });
            domain.personas().forEach(l -> personas.put(l, 0L));
        }

        void add(ProfileTable.Profile p) {
            total++;
            bump("ageBand", p.ageBand());
            bump("gender", p.gender());
            bump("district", p.district());
            bump("householdType", p.householdType());
            List<String> held = new ArrayList<>();
            for (String persona : p.personas()) if (personas.containsKey(persona)) held.add(persona);
            if (held.isEmpty()) held.add(CubeDomain.OTHER);
            for (String persona : held) personas.merge(persona, 1L, Long::sum);
        }

        private void bump(String dimension, String value) {
            Map<String, Long> cells = dimensions.get(dimension);
            if (cells == null) return;
            String label = value != null && cells.containsKey(value) ? value
                    : cells.containsKey(CubeDomain.OTHER) ? CubeDomain.OTHER
                    : cells.containsKey(CubeDomain.UNKNOWN) ? CubeDomain.UNKNOWN : null;
            if (label == null) throw new IllegalStateException(dimension + " has no label for " + value);
            cells.merge(label, 1L, Long::sum);
        }

        SegmentedFigure figure() {
            return new SegmentedFigure(total, dimensions, personas);
        }
    }
}
