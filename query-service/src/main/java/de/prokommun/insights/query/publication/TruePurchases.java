package de.prokommun.insights.query.publication;

import de.prokommun.insights.contract.Measures;
import de.prokommun.insights.query.audience.SqlLiteral;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * The exact figures of a {@link PurchaseDomain}, counted by Pinot: sums of the distinct-count deltas of the
 * contributions table ({@code buyer_month}, {@code buyer_year} per category, {@code customer_month} per
 * participant; each person's rows of one key add up to 1 while it is open, in the segment it was opened with), one
 * GROUP BY per dimension, and the still-active buyers from the profiles' purchase tags ({@code category:<id>:<year>}
 * and a purchase within {@link #STILL_ACTIVE_DAYS} days), as the insights' ad-hoc "still active" counts them.
 * Every figure of the domain is returned, zeros included. Values outside the vocabulary go to "other" (age band,
 * district, persona without any) or UNKNOWN (gender, household type); a persona outside the vocabulary is not
 * counted (as in {@link TrueCube}).
 */
final class TruePurchases {

    /** "Still active": a live purchase within this many days before today (the insights' definition). */
    static final int STILL_ACTIVE_DAYS = 90;
    private static final int MAX_GROUPS = 1_000_000;

    private final CubeSource source;
    private final String contributions;
    private final String profiles;

    TruePurchases(CubeSource source, String contributions, String profiles) {
        for (String t : List.of(contributions, profiles)) {
            if (!t.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new IllegalArgumentException("bad table name " + t);
        }
        this.source = source;
        this.contributions = contributions;
        this.profiles = profiles;
    }

    /** @param todayEpochDay today in the city's zone, for "still active" */
    Map<PurchaseFigureKey, SegmentedFigure> count(String city, PurchaseDomain domain, int todayEpochDay) {
        Map<PurchaseFigureKey, Builder> figures = new LinkedHashMap<>();
        for (String c : domain.categories()) {
            for (int m : domain.months()) figures.put(PurchaseFigureKey.buyers(c, PurchaseDomain.monthLabel(m)), new Builder(domain));
            for (int y : domain.years()) figures.put(PurchaseFigureKey.buyers(c, PurchaseDomain.yearLabel(y)), new Builder(domain));
        }
        for (String p : domain.participants()) {
            for (int m : domain.months()) figures.put(PurchaseFigureKey.customers(p, PurchaseDomain.monthLabel(m)), new Builder(domain));
        }
        Map<PurchaseFigureKey, Long> stillActive = new LinkedHashMap<>();
        for (String c : domain.categories()) {
            for (int y : domain.years()) stillActive.put(PurchaseFigureKey.stillActive(c, PurchaseDomain.yearLabel(y)), 0L);
        }
        if (!domain.categories().isEmpty()) {
            measure(city, domain, figures, Measures.BUYER_MONTH.name(), PurchaseDomain.BUYERS, "category", domain.categories(),
                    "month", domain.months(), PurchaseDomain::monthLabel);
            measure(city, domain, figures, Measures.BUYER_YEAR.name(), PurchaseDomain.BUYERS, "category", domain.categories(),
                    "year", domain.years(), PurchaseDomain::yearLabel);
            countStillActive(city, domain, todayEpochDay, stillActive);
        }
        if (!domain.participants().isEmpty()) {
            measure(city, domain, figures, Measures.CUSTOMER_MONTH.name(), PurchaseDomain.CUSTOMERS, "participant",
                    domain.participants(), "month", domain.months(), PurchaseDomain::monthLabel);
        }
        Map<PurchaseFigureKey, SegmentedFigure> out = new LinkedHashMap<>();
        figures.forEach((k, b) -> out.put(k, b.build()));
        stillActive.forEach((k, n) -> out.put(k, SegmentedFigure.totalOnly(n)));
        return out;
    }

    private void measure(String city, PurchaseDomain domain, Map<PurchaseFigureKey, Builder> figures, String measure,
                         String figure, String subjectColumn, List<String> subjects, String periodColumn,
                         List<Integer> periods, IntFunction<String> label) {
        String where = " FROM " + contributions + " WHERE city = " + SqlLiteral.quote(city) + " AND measure = "
                + SqlLiteral.quote(measure) + " AND " + subjectColumn + " IN " + SqlLiteral.list(subjects) + " AND "
                + periodColumn + " IN (" + periods.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
        String keys = subjectColumn + ", " + periodColumn;
        source.countsPerGroup("SELECT " + keys + ", SUM(count)" + where + " GROUP BY " + keys + " LIMIT " + MAX_GROUPS, 2)
                .forEach((g, n) -> builder(figures, figure, g, label).ifPresent(b -> b.total += n));
        for (Map.Entry<String, List<String>> d : domain.dimensions().entrySet()) {
            String dimension = d.getKey();
            String fallback = d.getValue().contains(CubeDomain.OTHER) ? CubeDomain.OTHER : CubeDomain.UNKNOWN;
            source.countsPerGroup("SELECT " + keys + ", " + dimension + ", SUM(count)" + where + " GROUP BY " + keys
                    + ", " + dimension + " LIMIT " + MAX_GROUPS, 3).forEach((g, n) -> builder(figures, figure, g, label)
                    .ifPresent(b -> b.dimensions.get(dimension).merge(known(d.getValue(), g.get(2), fallback), n, Long::sum)));
        }
        source.countsPerGroup("SELECT " + keys + ", personas, SUM(count)" + where + " GROUP BY " + keys
                + ", personas LIMIT " + MAX_GROUPS, 3).forEach((g, n) -> builder(figures, figure, g, label).ifPresent(b -> {
            String persona = TrueCube.NO_VALUE.equals(g.get(2)) ? CubeDomain.OTHER : g.get(2);
            if (domain.personas().contains(persona)) b.personas.merge(persona, n, Long::sum);
        }));
    }

    /**
     * The business behind each category figure: per (category, period) of the domain and per cell of it (the
     * total is cell {@link SalesCell#TOTAL}; then dimension and label, persona cells under "persona") the sales in
     * cents of each participant (measure {@code purchase}, retractions netted; a net below zero counts as none).
     * For the dominance rule only: these sums never leave the publication package.
     */
    Map<PurchaseFigureKey, Map<SalesCell, Map<String, Long>>> sales(String city, PurchaseDomain domain) {
        Map<PurchaseFigureKey, Map<SalesCell, Map<String, Long>>> out = new LinkedHashMap<>();
        if (domain.categories().isEmpty()) return out;
        sales(city, domain, "month", domain.months(), PurchaseDomain::monthLabel, out);
        sales(city, domain, "year", domain.years(), PurchaseDomain::yearLabel, out);
        return out;
    }

    private void sales(String city, PurchaseDomain domain, String periodColumn, List<Integer> periods,
                       IntFunction<String> label, Map<PurchaseFigureKey, Map<SalesCell, Map<String, Long>>> out) {
        String where = " FROM " + contributions + " WHERE city = " + SqlLiteral.quote(city) + " AND measure = " + SqlLiteral.quote(Measures.PURCHASE.name())
                + " AND category IN " + SqlLiteral.list(domain.categories()) + " AND " + periodColumn + " IN ("
                + periods.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
        String keys = "category, " + periodColumn + ", participant";
        List<String> cells = new java.util.ArrayList<>();
        cells.add(null);
        cells.addAll(domain.dimensions().keySet());
        cells.add("personas");
        for (String dimension : cells) {
            String columns = dimension == null ? keys : keys + ", " + dimension;
            source.countsPerGroup("SELECT " + columns + ", SUM(amountCents)" + where + " GROUP BY " + columns + " LIMIT "
                    + MAX_GROUPS, dimension == null ? 3 : 4).forEach((g, cents) -> {
                if (g.get(2) == null || cents <= 0) return;
                int period;
                try {
                    period = Integer.parseInt(g.get(1));
                } catch (NumberFormatException e) {
                    return;
                }
                SalesCell cell = dimension == null ? SalesCell.TOTAL : salesCell(domain, dimension, g.get(3));
                if (cell == null) return;
                out.computeIfAbsent(PurchaseFigureKey.buyers(g.get(0), label.apply(period)), k -> new LinkedHashMap<>())
                        .computeIfAbsent(cell, c -> new LinkedHashMap<>()).merge(g.get(2), cents, Long::sum);
            });
        }
    }

    private static SalesCell salesCell(PurchaseDomain domain, String dimension, String value) {
        if (dimension.equals("personas")) {
            String persona = TrueCube.NO_VALUE.equals(value) ? CubeDomain.OTHER : value;
            return domain.personas().contains(persona) ? new SalesCell("persona", persona) : null;
        }
        List<String> labels = domain.dimensions().get(dimension);
        return new SalesCell(dimension, known(labels, value, labels.contains(CubeDomain.OTHER) ? CubeDomain.OTHER
                : CubeDomain.UNKNOWN));
    }

    /** A cell of a figure whose sellers are weighed: the total, or a label of a dimension (or a persona). */
    record SalesCell(String dimension, String label) {
        static final SalesCell TOTAL = new SalesCell("", "");
    }

    private void countStillActive(String city, PurchaseDomain domain, int today, Map<PurchaseFigureKey, Long> out) {
        Map<String, PurchaseFigureKey> byTag = new LinkedHashMap<>();
        out.keySet().forEach(k -> byTag.put("category:" + k.subject() + ":" + k.period(), k));
        // A multi-value column groups a row under every one of its values, so tags outside the window come back too.
        source.countsPerGroup("SELECT purchaseTags, COUNT(*) FROM " + profiles + " WHERE city = " + SqlLiteral.quote(city)
                + " AND deleted = false AND lastPurchaseDay >= " + (today - STILL_ACTIVE_DAYS) + " AND purchaseTags IN "
                + SqlLiteral.list(byTag.keySet()) + " GROUP BY purchaseTags LIMIT " + MAX_GROUPS, 1).forEach((g, n) -> {
            PurchaseFigureKey key = byTag.get(g.get(0));
            if (key != null) out.merge(key, n, Long::sum);
        });
    }

    private static java.util.Optional<Builder> builder(Map<PurchaseFigureKey, Builder> figures, String figure,
                                                       List<String> group, IntFunction<String> label) {
        int period;
        try {
            period = Integer.parseInt(group.get(1));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.ofNullable(figures.get(new PurchaseFigureKey(figure, group.get(0), label.apply(period))));
    }

    private static String known(List<String> labels, String value, String fallback) {
        return value != null && labels.contains(value) ? value : fallback;
    }

    /** One figure's counts while they are gathered; every label starts at zero. */
    private static final class Builder {
        long total;
        final Map<String, Map<String, Long>> dimensions = new LinkedHashMap<>();
        final Map<String, Long> personas = new LinkedHashMap<>();

        Builder(PurchaseDomain domain) {
            domain.dimensions().forEach((d, labels) -> {
                Map<String, Long> values = new LinkedHashMap<>();
                labels.forEach(l -> values.put(l, 0L));
                dimensions.put(d, values);
            });
            domain.personas().forEach(p -> personas.put(p, 0L));
        }

        SegmentedFigure build() {
            return new SegmentedFigure(total, dimensions, personas);
        }
    }
}
