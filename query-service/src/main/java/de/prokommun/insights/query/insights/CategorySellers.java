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
 * not the sellers or their number.
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
        if (categories.isEmpty() || periods.isEmpty()) return;
        DominanceRule rule = rules.apply(asker.city());
        if (asker.role() == AskerRole.OPERATOR && rule.operatorExempt()) return;
        Granularity granularity = yearly ? Granularity.YEAR : Granularity.MONTH;
        ContributionQuery q = ContributionQuery.sumOf(table, asker.city(), Measures.PURCHASE, "amountCents")
                .in("category", categories).periods(granularity, periods)
                .groupBy(granularity.column()).groupBy("participant");
        Map<String, Map<String, Long>> salesByPeriod = new TreeMap<>();
        contributions.sums(q.sql(MAX_GROUPS), 2).forEach((group, cents) -> {
            if (group.get(0) == null || group.get(1) == null) return;
            salesByPeriod.computeIfAbsent(group.get(0), p -> new TreeMap<>()).merge(group.get(1), cents, Long::sum);
        });
        for (Map.Entry<String, Map<String, Long>> period : salesByPeriod.entrySet()) {
            Map<String, Long> sellers = new TreeMap<>();
            period.getValue().forEach((seller, cents) -> { if (cents > 0) sellers.put(seller, cents); });
            if (sellers.isEmpty() || !rule.isSensitive(sellers)) continue;
            if (asker.role() == AskerRole.PARTICIPANT && sellers.keySet().equals(java.util.Set.of(asker.id()))) continue;
            throw new ForbiddenFieldException(field, "the sales of " + label(categories) + " in "
                    + granularity.label(Integer.parseInt(period.getKey())) + " come from fewer than "
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
