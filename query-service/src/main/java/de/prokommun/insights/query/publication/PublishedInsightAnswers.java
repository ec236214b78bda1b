package de.prokommun.insights.query.publication;

import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.BudgetStatus;
import de.prokommun.insights.privacy.ReleasedCell;
import de.prokommun.insights.query.audience.AnswerSource;
import de.prokommun.insights.query.audience.Breakdown;
import de.prokommun.insights.query.audience.CityVocabulary;
import de.prokommun.insights.query.insights.Derived;
import de.prokommun.insights.query.insights.Granularity;
import de.prokommun.insights.query.insights.InsightAnswer;
import de.prokommun.insights.query.insights.InsightsRequests;
import de.prokommun.insights.query.insights.PublishedInsights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Insights answers read from the latest publications: product history (buyers per month or year, by segment, and
 * the still-active buyers per year) and affinity (buyers per segment against the published population, with
 * lift) — only published figures, shown as published figures are (at least 0, suppressed below the minimum cell
 * size), so the answer is free and the same for every asker. A question is answered only when every figure it
 * needs is published: a period outside the window, a category withheld by the dominance rule or a missing
 * publication leave it to the ad-hoc path. The tables have the shape of the ad-hoc answers; the affinity's
 * purchases and spend per segment are not published (their clamps would multiply the noise of every figure) and
 * are left out, with a note.
 */
public final class PublishedInsightAnswers implements PublishedInsights {

    private final PublishedPurchases purchases;
    private final PublishedStatistics audience;

    public PublishedInsightAnswers(PublishedPurchases purchases, PublishedStatistics audience) {
        this.purchases = purchases;
        this.audience = audience;
    }

    @Override
    public Optional<InsightAnswer> history(Asker asker, CityVocabulary city, InsightsRequests.History r,
                                           Supplier<BudgetStatus> budget) {
        Optional<PurchasePublication> held = purchases.latest(city.city());
        if (held.isEmpty()) return Optional.empty();
        PurchasePublication p = held.get();
        Granularity g = r.granularity();
        List<String> periods = g.periods(r.from(), r.to()).stream().map(g::label).toList();
        SortedSet<Integer> years = new TreeSet<>();
        g.periods(r.from(), r.to()).forEach(x -> years.add(g == Granularity.YEAR ? x : x / 100));
        Map<String, SegmentedFigure> buyers = new LinkedHashMap<>();
        for (String period : periods) {
            SegmentedFigure f = p.figures().get(PurchaseFigureKey.buyers(r.category(), period));
            if (f == null) return Optional.empty();
            buyers.put(period, f);
        }
        Map<String, SegmentedFigure> active = new LinkedHashMap<>();
        for (int year : years) {
            SegmentedFigure f = p.figures().get(PurchaseFigureKey.stillActive(r.category(), String.valueOf(year)));
            if (f == null) return Optional.empty();
            active.put(String.valueOf(year), f);
        }
        PublishedTables a = new PublishedTables(audience, asker);
        buyers.forEach((period, f) -> a.put("periods", period, "buyers", f.total()));
        if (r.segmentBy() != null) {
            List<String> labels = segmentLabels(city, r.segmentBy(), r.personas());
            buyers.forEach((period, f) -> {
                for (String label : labels) {
                    Long v = f.value(r.segmentBy().apiName(), label);
                    a.put("bySegment", period, label, v == null ? 0 : v);
                }
            });
        }
        active.forEach((year, f) -> a.put("stillActive", year, "stillActive", f.total()));
        if (g == Granularity.YEAR) {
            active.keySet().forEach(year -> a.derive("stillActive", year, "shareOfBuyers",
                    Derived.share(a.cell("stillActive", year, "stillActive"), a.cell("periods", year, "buyers"))));
        }
        List<String> read = new ArrayList<>();
        periods.forEach(period -> read.add(figureName(PurchaseFigureKey.buyers(r.category(), period))));
        years.forEach(y -> read.add(figureName(PurchaseFigureKey.stillActive(r.category(), String.valueOf(y)))));
        return Optional.of(new InsightAnswer("insights.product-history", p.id(), a.tables(), read,
                List.of(audience.published(a.cells(), budget.get())), List.of(
                        "from the city's published statistics " + p.id() + " (free, the same for everybody)",
                        "buyers: distinct residents who bought " + r.category() + " in the period, with noise drawn"
                                + " once for the publication; segments add up to the total",
                        "bySegment: in the segment a buyer had when the period's first purchase was recorded",
                        "stillActive: buyers of " + r.category() + " in that year whose last purchase (any category)"
                                + " was at most " + TruePurchases.STILL_ACTIVE_DAYS + " days before the publication",
                        "shareOfBuyers = stillActive / buyers of the year, from published figures"),
                source(p)));
    }

    @Override
    public Optional<InsightAnswer> affinity(Asker asker, CityVocabulary city, InsightsRequests.Affinity r,
                                            Supplier<BudgetStatus> budget) {
        Optional<PurchasePublication> held = purchases.latest(city.city());
        Optional<Publication> cube = audience.latest(city.city());
        if (held.isEmpty() || cube.isEmpty()) return Optional.empty();
        PurchasePublication p = held.get();
        Publication population = cube.get();
        String period = r.granularity().label(r.period());
        SegmentedFigure buyers = p.figures().get(PurchaseFigureKey.buyers(r.category(), period));
        if (buyers == null) return Optional.empty();
        List<String> labels = segmentLabels(city, r.segmentBy(), r.personas());
        Map<String, Long> residents = new LinkedHashMap<>();
        for (String label : labels) {
            Optional<Long> n = populationOf(population, r.segmentBy(), label);
            if (n.isEmpty()) return Optional.empty();
            residents.put(label, n.get());
        }
        PublishedTables a = new PublishedTables(audience, asker);
        for (String label : labels) {
            Long v = buyers.value(r.segmentBy().apiName(), label);
            a.put("segments", label, "buyers", v == null ? 0 : v);
            a.put("segments", label, "population", residents.get(label));
        }
        a.put("city", "all", "buyers", buyers.total());
        a.put("city", "all", "population", population.sum(CubeDomain.ALL, c -> true));
        for (String label : labels) {
            a.derive("segments", label, "lift", Derived.lift(a.cell("segments", label, "buyers"),
                    a.cell("segments", label, "population"), a.cell("city", "all", "buyers"),
                    a.cell("city", "all", "population")));
        }
        // The ad-hoc answer lists the segments first, then the city.
        List<InsightAnswer.Table> tables = a.tables();
        return Optional.of(new InsightAnswer("insights.affinity", p.id(), tables,
                List.of(figureName(PurchaseFigureKey.buyers(r.category(), period)), "published population " + population.id()),
                List.of(audience.published(a.cells(), budget.get())), List.of(
                        "from the city's published statistics " + p.id() + " and " + population.id()
                                + " (free, the same for everybody)",
                        "buyers: distinct residents who bought " + r.category() + " in " + period
                                + ", counted in the segment they had when their first purchase of the period was recorded",
                        "population: residents profiled at the time of the publication, per segment",
                        "purchases and spend per segment are not published; ask insights/trend for them (ad hoc)",
                        "lift = (segment buyers / segment population) / (all buyers / population), computed from the"
                                + " published figures; null when an input is suppressed or zero"),
                source(p)));
    }

    private static Optional<Long> populationOf(Publication population, Breakdown b, String label) {
        if (b == Breakdown.PERSONA) {
            String slice = CubeDomain.personaSlice(label);
            return population.hasSlice(slice) ? Optional.of(population.sum(slice, c -> true)) : Optional.empty();
        }
        Function<CellKey, String> dimension = switch (b) {
            case AGE_BAND -> CellKey::ageBand;
            case GENDER -> CellKey::gender;
            case DISTRICT -> CellKey::district;
            case HOUSEHOLD_TYPE -> CellKey::householdType;
            case PERSONA -> throw new IllegalStateException("personas are slices");
        };
        return Optional.of(population.sum(CubeDomain.ALL, c -> label.equals(dimension.apply(c))));
    }

    /** The segment rows of the ad-hoc answers: the dimension's labels, "other" for open ones, chosen personas. */
    private static List<String> segmentLabels(CityVocabulary city, Breakdown b, SortedSet<String> personas) {
        List<String> labels = new ArrayList<>(city.labels(b));
        if (b.hasOpenDomain()) labels.add(CubeDomain.OTHER);
        if (b == Breakdown.PERSONA && !personas.isEmpty()) labels.removeIf(l -> !personas.contains(l));
        return labels;
    }

    private static String figureName(PurchaseFigureKey key) {
        return "published " + key.measure() + " " + key.subject() + " " + key.period();
    }

    private static AnswerSource source(PurchasePublication p) {
        return AnswerSource.publication(p.id(), p.publishedAt().toString(), p.dataAsOf().toString());
    }
}
