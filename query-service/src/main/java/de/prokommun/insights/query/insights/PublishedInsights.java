package de.prokommun.insights.query.insights;

import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.BudgetStatus;
import de.prokommun.insights.query.audience.CityVocabulary;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The city's published statistics as seen by the insights service: an answer made from published figures only
 * (post-processing: free, the same for every asker, from memory), or empty when the publication cannot answer the
 * question (a period outside its window, a category withheld by the dominance rule, no publication yet) and it must
 * be released on its own (ad hoc).
 */
public interface PublishedInsights {

    /** No publications at all: every question is ad hoc. */
    PublishedInsights NONE = new PublishedInsights() {};

    /** @param budget the asker's budget, for the answer's privacy summary (asked only when answering) */
    default Optional<InsightAnswer> history(Asker asker, CityVocabulary city, InsightsRequests.History request,
                                            Supplier<BudgetStatus> budget) {
        return Optional.empty();
    }

    /**
     * The assortment check without its seasonality (purchases are not published), when every other figure is
     * published.
     */
    default Optional<InsightAnswer> assortment(Asker asker, CityVocabulary city, InsightsRequests.Assortment request,
                                               Supplier<BudgetStatus> budget) {
        return Optional.empty();
    }

    /**
     * A participant's own customers of the last complete month in the publication, by segment. Only for that
     * participant and the operator: the caller has checked the scope, and the implementation checks it again.
     */
    default Optional<InsightAnswer> customers(Asker asker, CityVocabulary city, InsightsRequests.Customers request,
                                              Supplier<BudgetStatus> budget) {
        return Optional.empty();
    }

    default Optional<InsightAnswer> affinity(Asker asker, CityVocabulary city, InsightsRequests.Affinity request,
                                             Supplier<BudgetStatus> budget) {
        return Optional.empty();
    }
}
