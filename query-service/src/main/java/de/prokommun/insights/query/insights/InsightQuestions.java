package de.prokommun.insights.query.insights;

import de.prokommun.insights.privacy.CanonicalQuestion;
import de.prokommun.insights.privacy.Question;
import de.prokommun.insights.query.audience.Breakdown;

/**
 * The canonical questions of the insights figures. One figure of one period is one question wherever it is
 * asked (affinity, history, trend, assortment check), so asking it again in the same data version is free and
 * gets the same answer. The period is written as "2025" or "2025-03", so years and months never collide.
 */
final class InsightQuestions {
    private InsightQuestions() {}

    static final String BUYERS = "insights.buyers";
    static final String PURCHASES = "insights.purchases";
    static final String SPEND = "insights.spend";
    static final String SEASONALITY = "insights.seasonality";
    static final String UNMAPPED = "product-groups.unmapped";
    static final String CUSTOMERS = "insights.customers";

    /** A figure of a category and period, within a segment, optionally broken down (cell: one persona cell). */
    static Question figure(String kind, String category, String period, SegmentFilter segment, Breakdown breakdown,
                           String cell) {
        CanonicalQuestion q = segment.describe(CanonicalQuestion.of(kind).param("category", category).param("period", period));
        if (breakdown != null) q.param("breakdown", breakdown.apiName());
        if (cell != null) q.param("cell", cell);
        return q.build();
    }

    /** A participant's distinct customers of a month, optionally broken down (cell: one persona cell). */
    static Question customers(String participant, String month, Breakdown breakdown, String cell) {
        CanonicalQuestion q = CanonicalQuestion.of(CUSTOMERS).param("participant", participant).param("period", month);
        if (breakdown != null) q.param("breakdown", breakdown.apiName());
        if (cell != null) q.param("cell", cell);
        return q.build();
    }

    static Question seasonality(String category, int fromYear, int toYear) {
        return CanonicalQuestion.of(SEASONALITY).param("category", category).param("measure", "purchases")
                .range("years", fromYear, toYear).build();
    }

    static Question unmapped(String participant) {
        return CanonicalQuestion.of(UNMAPPED).param("participant", participant).build();
    }
}
