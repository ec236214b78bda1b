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
import de.prokommun.insights.query.audience.AskerScope;
import java.util.ArrayList;
import java.util.Comparator;
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
            Optional<Long> n = populationOf(city, population, r.segmentBy(), label);
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

    /**
     * The assortment check from published figures: interested residents (still-active buyers per year), the trend
     * (buyers per year), buyers per persona of the year before the publication's against the published population
     * (lift), and with {@code customerOf} the participant's own customers of the last complete month per persona.
     * Only when every one of those figures is published; seasonality (purchases per calendar month) is not
     * published and is left out, with a note.
     */
    @Override
    public Optional<InsightAnswer> assortment(Asker asker, CityVocabulary city, InsightsRequests.Assortment r,
                                              Supplier<BudgetStatus> budget) {
        AskerScope.checkCustomerOf(asker, r.customerOf(), "customerOf");
        Optional<PurchasePublication> held = purchases.latest(city.city());
        Optional<Publication> cube = audience.latest(city.city());
        if (held.isEmpty() || cube.isEmpty()) return Optional.empty();
        PurchasePublication p = held.get();
        Publication population = cube.get();
        int toYear = p.month().getYear();
        int fromYear = toYear - r.years() + 1;
        String personaYear = String.valueOf(toYear - 1);
        List<String> personaRows = city.personas().stream()
                .filter(x -> r.personas().isEmpty() || r.personas().contains(x)).toList();
        List<String> read = new ArrayList<>();
        Map<String, SegmentedFigure> interested = new LinkedHashMap<>();
        Map<String, SegmentedFigure> trend = new LinkedHashMap<>();
        for (int y = fromYear; y <= toYear; y++) {
            String year = String.valueOf(y);
            SegmentedFigure active = p.figures().get(PurchaseFigureKey.stillActive(r.category(), year));
            SegmentedFigure buyers = p.figures().get(PurchaseFigureKey.buyers(r.category(), year));
            if (active == null || buyers == null) return Optional.empty();
            interested.put(year, active);
            trend.put(year, buyers);
            read.add(figureName(PurchaseFigureKey.stillActive(r.category(), year)));
            read.add(figureName(PurchaseFigureKey.buyers(r.category(), year)));
        }
        SegmentedFigure personaBuyers = p.figures().get(PurchaseFigureKey.buyers(r.category(), personaYear));
        if (personaBuyers == null) return Optional.empty();
        if (r.years() == 1) { // otherwise the year before is one of the trend's years, already listed
            read.add(figureName(PurchaseFigureKey.buyers(r.category(), personaYear)));
        }
        Map<String, Long> residents = new LinkedHashMap<>();
        for (String persona : personaRows) {
            Optional<Long> n = populationOf(city, population, Breakdown.PERSONA, persona);
            if (n.isEmpty()) return Optional.empty();
            residents.put(persona, n.get());
        }
        Optional<CustomersOfMonth> mine = Optional.empty();
        if (r.customerOf() != null) {
            mine = customersOfLastMonth(p, r.customerOf());
            if (mine.isEmpty()) return Optional.empty();
            read.add(figureName(PurchaseFigureKey.customers(r.customerOf(), mine.get().month())));
        }
        read.add("published population " + population.id());

        PublishedTables a = new PublishedTables(audience, asker);
        interested.forEach((year, f) -> a.put("interested", year, "stillActive", f.total()));
        trend.forEach((year, f) -> a.put("trend", year, "buyers", f.total()));
        for (String persona : personaRows) {
            Long v = personaBuyers.personas().get(persona);
            a.put("personas", persona, "buyers", v == null ? 0 : v);
            a.put("personas", persona, "population", residents.get(persona));
        }
        a.put("city", "all", "buyers", personaBuyers.total());
        a.put("city", "all", "population", population.sum(CubeDomain.ALL, c -> true));
        if (mine.isPresent()) {
            SegmentedFigure f = mine.get().figure();
            for (String persona : personaRows) {
                Long v = f.personas().get(persona);
                a.put("customers", persona, "customers", v == null ? 0 : v);
            }
            a.put("city", "all", "customers", f.total());
        }
        for (String persona : personaRows) {
            a.derive("personas", persona, "lift", Derived.lift(a.cell("personas", persona, "buyers"),
                    a.cell("personas", persona, "population"), a.cell("city", "all", "buyers"),
                    a.cell("city", "all", "population")));
            if (mine.isPresent()) {
                Double share = Derived.share(a.cell("customers", persona, "customers"), a.cell("city", "all", "customers"));
                Double cityShare = Derived.share(a.cell("personas", persona, "population"), a.cell("city", "all", "population"));
                a.derive("customers", persona, "share", share);
                a.derive("customers", persona, "cityShare", cityShare);
                a.derive("customers", persona, "index", Derived.index(share, cityShare));
            }
        }
        Comparator<InsightAnswer.Row> byLift = Comparator.comparing((InsightAnswer.Row row) -> row.derived().get("lift"),
                Comparator.nullsLast(Comparator.reverseOrder()));
        List<InsightAnswer.Table> tables = new ArrayList<>();
        for (InsightAnswer.Table t : a.tables()) {
            tables.add(t.name().equals("personas")
                    ? new InsightAnswer.Table(t.name(), t.rows().stream().sorted(byLift).toList()) : t);
        }
        List<String> notes = new ArrayList<>(List.of(
                "from the city's published statistics " + p.id() + " and " + population.id()
                        + " (free, the same for everybody)",
                "interested: residents who bought " + r.category() + " in that year and whose last purchase (any"
                        + " category) was at most " + TruePurchases.STILL_ACTIVE_DAYS + " days before the publication",
                "trend: distinct buyers per year",
                "seasonality (purchases per calendar month) is not published and is left out; ask insights/trend for"
                        + " monthly figures (ad hoc)",
                "personas: buyers in " + personaYear + " per persona and lift against the published population,"
                        + " sorted by lift"));
        mine.ifPresent(m -> notes.add("customers: distinct residents who bought at " + r.customerOf() + " in "
                + m.month() + m.completeness() + ", per persona (published, shown only to " + r.customerOf()
                + " and the operator); share = customers with the persona / all customers, cityShare = residents"
                + " with the persona / all residents, index = share / cityShare"));
        return Optional.of(new InsightAnswer("insights.assortment-check", p.id(), tables, read,
                List.of(audience.published(a.cells(), budget.get())), notes, source(p)));
    }

    /**
     * "Meine Kundschaft": the participant's distinct customers of the last complete month of the publication's
     * window, by segment. Customers per participant are that participant's business figures: only the participant
     * itself and the operator read them (checked here again, whatever the caller did).
     */
    @Override
    public Optional<InsightAnswer> customers(Asker asker, CityVocabulary city, InsightsRequests.Customers r,
                                             Supplier<BudgetStatus> budget) {
        AskerScope.checkCustomerOf(asker, r.participant(), "participant");
        if (r.participant() == null) return Optional.empty();
        Optional<PurchasePublication> held = purchases.latest(city.city());
        if (held.isEmpty()) return Optional.empty();
        Optional<CustomersOfMonth> found = customersOfLastMonth(held.get(), r.participant());
        if (found.isEmpty()) return Optional.empty();
        PurchasePublication p = held.get();
        CustomersOfMonth m = found.get();
        PublishedTables a = new PublishedTables(audience, asker);
        a.put("total", m.month(), "customers", m.figure().total());
        List<String> labels = segmentLabels(city, r.segmentBy(), new TreeSet<>());
        for (String label : labels) {
            Long v = m.figure().value(r.segmentBy().apiName(), label);
            a.put("segments", label, "customers", v == null ? 0 : v);
        }
        for (String label : labels) {
            a.derive("segments", label, "share", Derived.share(a.cell("segments", label, "customers"),
                    a.cell("total", m.month(), "customers")));
        }
        return Optional.of(new InsightAnswer("insights.customers", p.id(), a.tables(),
                List.of(figureName(PurchaseFigureKey.customers(r.participant(), m.month()))),
                List.of(audience.published(a.cells(), budget.get())), List.of(
                        "from the city's published statistics " + p.id() + " (free; shown only to " + r.participant()
                                + " and the operator)",
                        "customers: distinct residents who bought at " + r.participant() + " in " + m.month()
                                + m.completeness() + ", in the segment they had at their first purchase of the month;"
                                + " with noise drawn once for the publication",
                        "share = customers of the segment / all customers of the month, from published figures"),
                source(p)));
    }

    /** One participant's published customers of one month, and whether that month was complete when published. */
    record CustomersOfMonth(String month, boolean complete, SegmentedFigure figure) {
        String completeness() {
            return complete ? "" : " (the month so far: until the publication's data time)";
        }
    }

    /**
     * The month before the publication's own month when it is published (complete), else the publication's own
     * month (the days until the publication); empty when neither is published for the participant.
     */
    static Optional<CustomersOfMonth> customersOfLastMonth(PurchasePublication p, String participant) {
        String previous = PurchaseDomain.monthLabel(toPeriod(p.month().minusMonths(1)));
        SegmentedFigure f = p.figures().get(PurchaseFigureKey.customers(participant, previous));
        if (f != null) return Optional.of(new CustomersOfMonth(previous, true, f));
        String current = PurchaseDomain.monthLabel(toPeriod(p.month()));
        f = p.figures().get(PurchaseFigureKey.customers(participant, current));
        return f == null ? Optional.empty() : Optional.of(new CustomersOfMonth(current, false, f));
    }

    private static int toPeriod(java.time.YearMonth m) {
        return m.getYear() * 100 + m.getMonthValue();
    }

    private static Optional<Long> populationOf(CityVocabulary city, Publication population, Breakdown b, String label) {
        if (b == Breakdown.PERSONA) {
            CubeDomain.PersonaCells persona = CubeDomain.personaCells(city, label);
            return population.hasSlice(persona.slice())
                    ? Optional.of(population.sum(persona.slice(), persona.cells())) : Optional.empty();
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
