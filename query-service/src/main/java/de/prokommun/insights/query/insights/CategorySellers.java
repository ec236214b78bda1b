package de.prokommun.insights.query.insights;

import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.privacy.DominanceRule;
import de.prokommun.insights.query.audience.ForbiddenFieldException;
import de.prokommun.insights.query.audience.SellerConfidentiality;
import java.util.Collection;
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
 * node of journey flows, each row of a segment breakdown, within the segment a question is restricted to.
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
        if (categories.isEmpty() || periods.isEmpty()) return;
        DominanceRule rule = rules.apply(asker.city());
        if (asker.role() == AskerRole.OPERATOR && rule.operatorExempt()) return;
        Granularity granularity = yearly ? Granularity.YEAR : Granularity.MONTH;
        ContributionQuery q = ContributionQuery.sumOf(table, asker.city(), Measures.PURCHASE, "amountCents")
                .in("category", categories).periods(granularity, periods).segment(within)
                .groupBy(granularity.column());
        if (eachCategory) q.groupBy("category");
        if (segmentColumn != null) q.groupBy(segmentColumn);
        q.groupBy("participant");
        int columns = q.groupColumns();
        // cell (period, category?, segment value?) → seller → net cents
        Map<List<String>, Map<String, Long>> salesByCell = new java.util.LinkedHashMap<>();
        contributions.sums(q.sql(MAX_GROUPS), columns).forEach((group, cents) -> {
            for (String g : group) if (g == null) return;
            List<String> cell = List.copyOf(group.subList(0, columns - 1));
            if (segmentColumn != null && segmentValues != null && !segmentValues.contains(cell.get(cell.size() - 1))) return;
            salesByCell.computeIfAbsent(cell, c -> new TreeMap<>()).merge(group.get(columns - 1), cents, Long::sum);
        });
        for (Map.Entry<List<String>, Map<String, Long>> cell : salesByCell.entrySet()) {
            Map<String, Long> sellers = new TreeMap<>();
            cell.getValue().forEach((seller, cents) -> { if (cents > 0) sellers.put(seller, cents); });
            if (sellers.isEmpty() || !rule.isSensitive(sellers)) continue;
            if (asker.role() == AskerRole.PARTICIPANT && sellers.keySet().equals(java.util.Set.of(asker.id()))) continue;
            List<String> key = cell.getKey();
            String what = eachCategory ? "'" + key.get(1) + "'" : label(categories);
            String segment = segmentColumn == null ? "" : " to residents with " + segmentColumn + " '" + key.get(key.size() - 1) + "'";
            String filtered = within.equals(SegmentFilter.everyone()) ? "" : " in the segment asked";
            throw new ForbiddenFieldException(field, "the sales of " + what + segment + filtered + " in "
                    + granularity.label(Integer.parseInt(key.get(0))) + " come from fewer than "
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
