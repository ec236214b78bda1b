package de.prokommun.insights.query.insights;

import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.DisclosureControl;
import de.prokommun.insights.privacy.PlannedRelease;
import de.prokommun.insights.privacy.PrivacyPolicy;
import de.prokommun.insights.privacy.Question;
import de.prokommun.insights.privacy.Release;
import de.prokommun.insights.privacy.ReleasedCell;
import de.prokommun.insights.privacy.RoleRules;
import de.prokommun.insights.privacy.TrueCell;
import de.prokommun.insights.query.audience.InvalidRequestException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The questions one request needs, gathered first (so the cost is known before anything is charged) and then
 * released through {@link DisclosureControl}, each released cell placed in a table at (row, figure). Lives
 * only inside the services that read true figures ({@link InsightsService}, the journey service); the true
 * cells never leave it.
 */
public final class ReleasePlan {

    /**
     * Where a released cell goes: row null = the cell's label, figure null = the cell's label; {@code places}, when
     * set, gives each cell its own (row, figure).
     */
    private record Pending(Question question, List<TrueCell> cells, long clampPerPerson, String table, String row,
                           String figure, List<Place> places) {
        Pending(Question question, List<TrueCell> cells, long clampPerPerson, String table, String row, String figure) {
            this(question, cells, clampPerPerson, table, row, figure, null);
        }
    }

    /** A cell's place in its table. */
    public record Place(String row, String figure) {}

    private final List<Pending> pending = new ArrayList<>();
    private final Map<String, Map<String, InsightRowBuilder>> tables = new LinkedHashMap<>();

    /** A count (sensitivity 1 per person; cells disjoint). */
    public void counts(Question question, List<TrueCell> cells, String table, String row, String figure) {
        add(new Pending(question, cells, 0, table, row, figure));
    }

    /**
     * A count whose disjoint cells go to different rows and figures of one table (e.g. two groups × segments as one
     * question): {@code places} in the order of {@code cells}.
     */
    public void counts(Question question, List<TrueCell> cells, String table, List<Place> places) {
        if (places.size() != cells.size()) throw new IllegalArgumentException("one place per cell");
        add(new Pending(question, cells, 0, table, null, null, List.copyOf(places)));
    }

    /** A sum whose per-person contribution over all its cells is at most {@code clampPerPerson}. */
    public void sums(Question question, List<TrueCell> cells, long clampPerPerson, String table, String row, String figure) {
        if (clampPerPerson <= 0) throw new IllegalArgumentException("clamp must be positive");
        add(new Pending(question, cells, clampPerPerson, table, row, figure));
    }

    private void add(Pending p) {
        for (TrueCell c : p.cells()) {
            if (c.count() < 0) {
                throw new de.prokommun.insights.query.audience.CountsUnavailableException("the sum of " + p.question()
                        .canonicalForm() + " is negative: the contribution table is inconsistent", null);
            }
        }
        pending.add(p);
    }

    public int questions() {
        return pending.size();
    }

    /** Declares a table (and the order of its rows) before any cell arrives. */
    public void table(String name, List<String> rows) {
        Map<String, InsightRowBuilder> t = tables.computeIfAbsent(name, n -> new LinkedHashMap<>());
        for (String r : rows) t.computeIfAbsent(r, InsightRowBuilder::new);
    }

    /**
     * Releases every pending question as one answer: all of them, or none when a budget (the account's ε, its
     * part of the city's ad-hoc share, the share) cannot pay every new one (429, nothing charged).
     */
    public List<Release> release(DisclosureControl disclosure, Asker asker, String dataVersion) {
        List<PlannedRelease> planned = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            planned.add(p.clampPerPerson() == 0
                    ? PlannedRelease.counts(p.question(), p.cells())
                    : PlannedRelease.sums(p.question(), p.cells(), p.clampPerPerson()));
        }
        List<Release> releases = disclosure.releaseAll(asker, dataVersion, planned);
        for (int i = 0; i < pending.size(); i++) {
            Pending p = pending.get(i);
            List<ReleasedCell> cells = releases.get(i).cells();
            for (int j = 0; j < cells.size(); j++) {
                ReleasedCell cell = cells.get(j);
                Place place = p.places() == null ? null : placeOf(p, cell.label());
                String row = place != null ? place.row() : p.row() != null ? p.row() : cell.label();
                String figure = place != null ? place.figure() : p.figure() != null ? p.figure() : cell.label();
                tables.computeIfAbsent(p.table(), n -> new LinkedHashMap<>())
                        .computeIfAbsent(row, InsightRowBuilder::new).figures.put(figure, cell);
            }
        }
        return releases;
    }

    /** The place of the planned cell with this label (released cells keep their labels). */
    private static Place placeOf(Pending p, String label) {
        for (int k = 0; k < p.cells().size(); k++) {
            if (p.cells().get(k).label().equals(label)) return p.places().get(k);
        }
        throw new IllegalStateException("released cell " + label + " was not planned");
    }

    public List<String> canonicalQuestions() {
        return pending.stream().map(p -> p.question().canonicalForm()).distinct().toList();
    }

    public ReleasedCell cell(String table, String row, String figure) {
        InsightRowBuilder r = tables.getOrDefault(table, Map.of()).get(row);
        return r == null ? null : r.figures.get(figure);
    }

    public List<String> rows(String table) {
        return new ArrayList<>(tables.getOrDefault(table, Map.of()).keySet());
    }

    /** Leaves a row out of the answer (post-processing of released cells, e.g. a consistency rule; costs nothing). */
    public void remove(String table, String row) {
        Map<String, InsightRowBuilder> t = tables.get(table);
        if (t != null) t.remove(row);
    }

    /**
     * Replaces a released cell by one post-processed from released cells only (e.g. scaled down to agree with a
     * released total; costs nothing). The cell must exist.
     */
    public void replace(String table, String row, String figure, ReleasedCell cell) {
        InsightRowBuilder r = tables.getOrDefault(table, Map.of()).get(row);
        if (r == null || !r.figures.containsKey(figure)) {
            throw new IllegalStateException("no released cell " + table + "/" + row + "/" + figure + " to replace");
        }
        r.figures.put(figure, cell);
    }

    public void derive(String table, String row, String name, Double value) {
        tables.computeIfAbsent(table, n -> new LinkedHashMap<>()).computeIfAbsent(row, InsightRowBuilder::new)
                .derived.put(name, value);
    }

    /** A text value of a row that is not a figure (e.g. a flow's source and target node). */
    public void describe(String table, String row, String name, String value) {
        tables.computeIfAbsent(table, n -> new LinkedHashMap<>()).computeIfAbsent(row, InsightRowBuilder::new)
                .attributes.put(name, value);
    }

    /**
     * A request needing more new questions than the asker's day budget could ever pay is refused before anything
     * is charged (400, naming the field that drives the cost). One that merely exceeds what is left (today, or of
     * the account's part of the city's ad-hoc share) is refused by {@link #release} as a whole (429), before
     * anything is charged.
     */
    public void affordable(PrivacyPolicy policy, Asker asker, String field, String advice) {
        RoleRules rules = policy.rules(asker.city(), asker.role());
        BigDecimal cost = rules.epsilonPerQuestion().multiply(BigDecimal.valueOf(questions()));
        if (cost.compareTo(rules.dayBudget()) > 0) {
            throw new InvalidRequestException(field, "this question needs " + questions()
                    + " separately released figures (ε " + rules.epsilonPerQuestion().stripTrailingZeros().toPlainString()
                    + " each, " + cost.stripTrailingZeros().toPlainString() + " in total) but a "
                    + asker.role().name().toLowerCase() + "'s day budget is "
                    + rules.dayBudget().stripTrailingZeros().toPlainString() + "; " + advice);
        }
    }

    /** The tables in declaration order; {@code order} may re-sort one table's rows (e.g. by lift). */
    public List<InsightAnswer.Table> tables(Map<String, java.util.Comparator<InsightAnswer.Row>> order) {
        List<InsightAnswer.Table> out = new ArrayList<>();
        tables.forEach((name, rows) -> {
            List<InsightAnswer.Row> list = new ArrayList<>();
            rows.values().forEach(b -> list.add(new InsightAnswer.Row(b.label, b.figures, b.derived, b.attributes)));
            if (order.containsKey(name)) list.sort(order.get(name));
            out.add(new InsightAnswer.Table(name, list));
        });
        return out;
    }

    private static final class InsightRowBuilder {
        final String label;
        final Map<String, ReleasedCell> figures = new LinkedHashMap<>();
        final Map<String, Double> derived = new LinkedHashMap<>();
        final Map<String, String> attributes = new LinkedHashMap<>();

        InsightRowBuilder(String label) {
            this.label = label;
        }
    }
}
