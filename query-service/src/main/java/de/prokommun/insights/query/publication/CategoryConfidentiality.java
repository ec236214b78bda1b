package de.prokommun.insights.query.publication;

import de.prokommun.insights.privacy.DominanceRule;
import de.prokommun.insights.query.audience.CategoryTaxonomy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps the business figures of a category's sellers from their competitors (the city's {@link DominanceRule}):
 * a category's buyers of a period are not published at that level when the category had fewer than
 * {@code minParticipants} sellers in it (participants with sales in it in that period), or when the total or any
 * cell of it (a label of a marginal, a persona) is dominated ({@code n} sellers above {@code kPercent} % of its
 * sales). Such a category and its still-active buyers are withheld for everybody (the seller itself still asks
 * about its figures ad hoc) and rolled up: its published figures are added to those of the other withheld
 * sub-categories of the same first-level category, period by period, and that pool is published under the
 * first-level id — if the pool's own sales pass the rule, else it is withheld too. Only published (noisy,
 * consistent) figures are added up, so the roll-up is post-processing; a pooled figure counts a person once per
 * pooled sub-category they bought in.
 */
final class CategoryConfidentiality {

    /** What the rule leaves of a release: the figures everybody may read, and which sub-categories each pool holds. */
    record Outcome(Map<PurchaseFigureKey, SegmentedFigure> figures, Map<PurchaseFigureKey, List<String>> pooled,
                   Set<PurchaseFigureKey> withheld) {}

    private final DominanceRule rule;
    private final CategoryTaxonomy taxonomy;

    CategoryConfidentiality(DominanceRule rule, CategoryTaxonomy taxonomy) {
        this.rule = rule;
        this.taxonomy = taxonomy;
    }

    Outcome apply(Map<PurchaseFigureKey, SegmentedFigure> figures,
                  Map<PurchaseFigureKey, Map<TruePurchases.SalesCell, Map<String, Long>>> sales) {
        Map<PurchaseFigureKey, SegmentedFigure> shown = new LinkedHashMap<>(figures);
        Map<PurchaseFigureKey, List<String>> pooled = new LinkedHashMap<>();
        Set<PurchaseFigureKey> withheld = new java.util.LinkedHashSet<>();
        for (Map.Entry<String, List<String>> parent : taxonomy.childrenByParent().entrySet()) {
            Map<String, List<String>> sensitiveByPeriod = new LinkedHashMap<>();
            for (PurchaseFigureKey key : figures.keySet()) {
                if (!key.measure().equals(PurchaseDomain.BUYERS) || !parent.getValue().contains(key.subject())) continue;
                if (sensitive(sales.getOrDefault(key, Map.of()))) {
                    sensitiveByPeriod.computeIfAbsent(key.period(), p -> new ArrayList<>()).add(key.subject());
                }
            }
            sensitiveByPeriod.forEach((period, children) -> {
                List<SegmentedFigure> parts = new ArrayList<>();
                Map<TruePurchases.SalesCell, Map<String, Long>> poolSales = new HashMap<>();
                for (String child : children) {
                    PurchaseFigureKey key = PurchaseFigureKey.buyers(child, period);
                    parts.add(shown.remove(key));
                    withheld.add(key);
                    PurchaseFigureKey active = PurchaseFigureKey.stillActive(child, period);
                    if (shown.remove(active) != null) withheld.add(active);
                    sales.getOrDefault(key, Map.of()).forEach((cell, bySeller) -> bySeller.forEach((seller, cents) ->
                            poolSales.computeIfAbsent(cell, c -> new HashMap<>()).merge(seller, cents, Long::sum)));
                }
                PurchaseFigureKey pool = PurchaseFigureKey.buyers(parent.getKey(), period);
                if (sensitive(poolSales)) {
                    withheld.add(pool);
                } else {
                    shown.put(pool, sum(parts));
                    pooled.put(pool, List.copyOf(new TreeSet<>(children)));
                }
            });
        }
        return new Outcome(shown, pooled, withheld);
    }

    /** A figure with sales is sensitive when its total or any cell with sales fails the rule; none, nothing to hide. */
    private boolean sensitive(Map<TruePurchases.SalesCell, Map<String, Long>> cells) {
        Map<String, Long> total = cells.get(TruePurchases.SalesCell.TOTAL);
        if (total == null || total.isEmpty()) return false;
        for (Map<String, Long> bySeller : cells.values()) {
            if (!bySeller.isEmpty() && rule.isSensitive(bySeller)) return true;
        }
        return false;
    }

    private static SegmentedFigure sum(List<SegmentedFigure> parts) {
        long total = 0;
        Map<String, Map<String, Long>> dimensions = new LinkedHashMap<>();
        Map<String, Long> personas = new LinkedHashMap<>();
        for (SegmentedFigure f : parts) {
            total = Math.addExact(total, f.total());
            f.dimensions().forEach((d, values) -> values.forEach((l, v) ->
                    dimensions.computeIfAbsent(d, x -> new LinkedHashMap<>()).merge(l, v, Math::addExact)));
            f.personas().forEach((p, v) -> personas.merge(p, v, Math::addExact));
        }
        return new SegmentedFigure(total, dimensions, personas);
    }
}
