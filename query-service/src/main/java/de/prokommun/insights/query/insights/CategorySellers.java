package de.prokommun.insights.query.insights;

import de.prokommun.insights.contract.Measures.Names;
import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.privacy.DominanceRule;
import de.prokommun.insights.query.audience.ForbiddenFieldException;
import de.prokommun.insights.query.audience.SellerConfidentiality;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * {@link SellerConfidentiality} from the contributions table: the net sales in cents of each participant in the
 * categories of each period (measure {@code purchase}, retractions netted; a net at or below zero is no sale), the
 * same sums the publication weighs (TruePurchases.sales). A period nobody sold in has nothing to protect. A period
 * the city's {@link DominanceRule} finds sensitive is given only to its only seller (its own figure) and, where
 * the city exempts it, to the operator; two sellers are each refused, since each would read the other's part by
 * subtracting its own. These sums never leave this class; the refusal names the category, the period and the rule,
 * not the sellers or their number. Cells are weighed as the answer releases them ({@link #checkCells}): each category
 * node of journey flows, each row of a segment breakdown, within the segment a question is restricted to; a
 * first-level category as its pool and each of its sub-categories ({@link #checkLevels}).
 */
public final class CategorySellers implements SellerConfidentiality {

    private static final int MAX_GROUPS = 100_000;

    private final ContributionSource contributions;
    private final String table;
    private final Function<String, DominanceRule> rules;

    public CategorySellers(ContributionSource contributions, String contributionsTable, Function<String, DominanceRule> rules) {
        this.contributions = contributions;
        this.table = contributionsTable;
        this.rules = rules;
    }

    @Override
    public void check(Asker asker, String field, Collection<String> categories, boolean yearly, Collection<Integer> periods) {
        checkCells(asker, field, categories, false, yearly, periods, SegmentFilter.everyone(), null, null);
    }

    /**
     * One query groups the net sales by period (, category) (, segment value) and participant; every cell is weighed
     * on its own. The refusal names the cell (category, period, segment), never a seller, their number or a figure.
     */
    @Override
    public void checkCells(Asker asker, String field, Collection<String> categories, boolean eachCategory, boolean yearly,
                           Collection<Integer> periods, SegmentFilter within, String segmentColumn,
                           Collection<String> segmentValues) {
        weigh(asker, field, categories, !eachCategory, eachCategory, yearly, periods, within, segmentColumn, segmentValues);
    }

    /** The pool and each of its categories from one query grouped by category (section 24: every level revealed). */
    @Override
    public void checkLevels(Asker asker, String field, Collection<String> categories, boolean yearly,
                            Collection<Integer> periods, SegmentFilter within, String segmentColumn,
                            Collection<String> segmentValues) {
        weigh(asker, field, categories, true, categories.size() > 1, yearly, periods, within, segmentColumn, segmentValues);
    }

    /** A cell of an answer: its period, its category (null: the pool of the categories asked), its segment value. */
    private record Cell(String period, String category, String segment) {}

    private void weigh(Asker asker, String field, Collection<String> categories, boolean pool, boolean each,
                       boolean yearly, Collection<Integer> periods, SegmentFilter within, String segmentColumn,
                       Collection<String> segmentValues) {
        if (categories.isEmpty() || periods.isEmpty()) return;
        DominanceRule rule = rules.apply(asker.city());
        if (asker.role() == AskerRole.OPERATOR && rule.operatorExempt()) return;
        Granularity granularity = yearly ? Granularity.YEAR : Granularity.MONTH;
        ContributionQuery q = ContributionQuery.sumOf(table, asker.city(), Names.PURCHASE, "amountCents")
                .in("category", categories).periods(granularity, periods).segment(within)
                .groupBy(granularity.column());
        if (each) q.groupBy("category");
        if (segmentColumn != null) q.groupBy(segmentColumn);
        q.groupBy("participant");
        int columns = q.groupColumns();
        // cell → seller → net cents; the pools first, so a refusal names the level asked before a level below it
        Map<Cell, Map<String, Long>> pools = new LinkedHashMap<>();
        Map<Cell, Map<String, Long>> single = new LinkedHashMap<>();
        contributions.sums(q.sql(MAX_GROUPS), columns).forEach((group, cents) -> {
            for (String g : group) if (g == null) return;
            String segment = segmentColumn == null ? null : group.get(columns - 2);
            if (segment != null && segmentValues != null && !segmentValues.contains(segment)) return;
            String seller = group.get(columns - 1);
            if (pool) pools.computeIfAbsent(new Cell(group.get(0), null, segment), c -> new TreeMap<>())
                    .merge(seller, cents, Long::sum);
            if (each) single.computeIfAbsent(new Cell(group.get(0), group.get(1), segment), c -> new TreeMap<>())
                    .merge(seller, cents, Long::sum);
        });
        Map<Cell, Map<String, Long>> cells = new LinkedHashMap<>(pools);
        cells.putAll(single);
        for (Map.Entry<Cell, Map<String, Long>> cell : cells.entrySet()) {
            Map<String, Long> sellers = new TreeMap<>();
            cell.getValue().forEach((seller, cents) -> { if (cents > 0) sellers.put(seller, cents); });
            if (sellers.isEmpty() || !rule.isSensitive(sellers)) continue;
            if (asker.role() == AskerRole.PARTICIPANT && sellers.keySet().equals(java.util.Set.of(asker.id()))) continue;
            Cell key = cell.getKey();
            String what = key.category() != null ? "'" + key.category() + "'" : label(categories);
            String segment = key.segment() == null ? "" : " to residents with " + segmentColumn + " '" + key.segment() + "'";
            String filtered = within.equals(SegmentFilter.everyone()) ? "" : " in the segment asked";
            throw new ForbiddenFieldException(field, "the sales of " + what + segment + filtered + " in "
                    + granularity.label(Integer.parseInt(key.period())) + " come from fewer than "
                    + rule.minParticipants() + " participants, or the largest " + rule.n() + " make up more than "
                    + rule.kPercent().stripTrailingZeros().toPlainString() + " % of them (the city's dominance rule): its"
                    + " figures are a participant's business figures and are given only to its only seller"
                    + (rule.operatorExempt() ? " and the operator" : ""));
        }
    }

    private static String label(Collection<String> categories) {
        List<String> sorted = categories.stream().sorted().toList();
        return sorted.size() == 1 ? "'" + sorted.get(0) + "'" : "the categories " + sorted;
    }
}
