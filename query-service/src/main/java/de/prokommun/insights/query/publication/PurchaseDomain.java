package de.prokommun.insights.query.publication;

import de.prokommun.insights.query.audience.CityVocabulary;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a city's purchase statistics publish, fixed before anything is counted (labels never come from the
 * data, so a published table cannot tell that some value had a single buyer): per second-level category the
 * distinct buyers of each month and year of the window, per participant its distinct customers of each month of
 * the window, and per category and year the buyers still active now. Each buyer and customer figure is published
 * by segment: its total, one marginal per dimension (age band and district with "other", gender and household
 * type) and one cell per persona (and persona "other": no persona).
 *
 * <p>The window is the current month and the {@code months - 1} before it, the current year and the
 * {@code years - 1} before it. Every publication releases the whole window again (a snapshot: later retractions,
 * erasures and imported history show in the next one), so its cost does not depend on what was published before.
 *
 * @param dimensions the segment dimensions in publication order (ageBand, gender, district, householdType) and
 *                   their labels
 * @param personas   the city's personas and "other" last
 */
public record PurchaseDomain(List<String> categories, List<String> participants, List<Integer> months,
                             List<Integer> years, Map<String, List<String>> dimensions, List<String> personas) {

    public static final String BUYERS = "buyers";
    public static final String CUSTOMERS = "customers";
    public static final String STILL_ACTIVE = "stillActive";

    public PurchaseDomain {
        categories = List.copyOf(categories);
        participants = List.copyOf(participants);
        months = List.copyOf(months);
        years = List.copyOf(years);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        dimensions.forEach((d, labels) -> copy.put(d, List.copyOf(labels)));
        dimensions = java.util.Collections.unmodifiableMap(copy);
        personas = List.copyOf(personas);
    }

    /**
     * The domain of a city at a moment: its second-level categories in taxonomy order, the participants given
     * (sorted), {@code months} months and {@code years} years back from {@code current}, inclusive.
     */
    public static PurchaseDomain of(CityVocabulary city, List<String> participants, YearMonth current, int months,
                                    int years) {
        if (months < 1) throw new IllegalArgumentException("query.publication.purchases.months must be at least 1: " + months);
        if (years < 1) throw new IllegalArgumentException("query.publication.purchases.years must be at least 1: " + years);
        List<String> categories = new ArrayList<>();
        city.categories().childrenByParent().values().forEach(categories::addAll);
        List<Integer> monthList = new ArrayList<>();
        for (int i = months - 1; i >= 0; i--) {
            YearMonth m = current.minusMonths(i);
            monthList.add(m.getYear() * 100 + m.getMonthValue());
        }
        List<Integer> yearList = new ArrayList<>();
        for (int y = current.getYear() - years + 1; y <= current.getYear(); y++) yearList.add(y);
        CubeDomain cube = CubeDomain.of(city);
        Map<String, List<String>> dimensions = new LinkedHashMap<>();
        dimensions.put("ageBand", cube.ageBands());
        dimensions.put("gender", cube.genders());
        dimensions.put("district", cube.districts());
        dimensions.put("householdType", cube.householdTypes());
        List<String> personas = new ArrayList<>(city.personas());
        personas.remove(CubeDomain.OTHER);
        personas.add(CubeDomain.OTHER);
        return new PurchaseDomain(categories, participants.stream().sorted().distinct().toList(), monthList, yearList,
                dimensions, personas);
    }

    public boolean isEmpty() {
        return categories.isEmpty() && participants.isEmpty();
    }

    /**
     * The squared L2 sensitivity of one segmented figure: a person's distinct row of a (subject, period) sits in
     * the total, in one cell of each dimension's marginal, and in the cell of each of its personas (all of them at
     * most; or in "other" alone). Nothing bounds the personas a person holds, so all are counted.
     */
    public int sensitivityPerFigure() {
        return 1 + dimensions.size() + Math.max(personas.size() - 1, 1);
    }

    /**
     * The squared L2 sensitivity of a whole publication of this domain, over one person's data: the person may be
     * a buyer of every category in every month and year of the window (the pipeline keeps one distinct row per
     * person, category and period, but does not bound the categories of a person), a customer of every
     * participant in every month, and still active for every category and year (total only):
     * <pre>Δ² = S · (C · (M + Y) + P · M) + C · Y</pre>
     * with S = {@link #sensitivityPerFigure()}, C categories, P participants, M months, Y years.
     */
    public long sensitivitySquared() {
        long c = categories.size(), p = participants.size(), m = months.size(), y = years.size();
        return sensitivityPerFigure() * (c * (m + y) + p * m) + c * y;
    }

    /** "2025-03" for a month (yyyyMM), "2025" for a year: the period label of published figures and of questions. */
    public static String monthLabel(int yyyymm) {
        return String.format("%04d-%02d", yyyymm / 100, yyyymm % 100);
    }

    public static String yearLabel(int year) {
        return Integer.toString(year);
    }
}
