package de.prokommun.insights.query.journey;

import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.BudgetStatus;
import de.prokommun.insights.query.insights.InsightAnswer;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The city's published journey and voucher figures as seen by the journey service: an answer made from published
 * figures only (post-processing: free, the same for every asker with the same scope, from memory), or empty when
 * the publication cannot answer the question (a segment, a year, a month outside its window, a node outside the
 * catalogue, a participant filter on when-where, category flows, engagement, no publication yet) and it must be
 * released on its own (ad hoc). Requests arrive already scoped ({@link JourneyScope}): a participant's focus limits
 * the rows exactly as for the ad-hoc answers.
 */
public interface PublishedJourneys {

    /** No publication at all: every question is ad hoc. */
    PublishedJourneys NONE = new PublishedJourneys() {};

    default Optional<InsightAnswer> crossShopping(Asker asker, JourneyRequests.CrossShopping r, Supplier<BudgetStatus> budget) {
        return Optional.empty();
    }

    default Optional<InsightAnswer> flows(Asker asker, JourneyRequests.Flows r, Supplier<BudgetStatus> budget) {
        return Optional.empty();
    }

    default Optional<InsightAnswer> firstVisits(Asker asker, JourneyRequests.FirstVisits r, Supplier<BudgetStatus> budget) {
        return Optional.empty();
    }

    default Optional<InsightAnswer> whenWhere(Asker asker, JourneyRequests.WhenWhere r, Supplier<BudgetStatus> budget) {
        return Optional.empty();
    }

    default Optional<InsightAnswer> vouchers(Asker asker, JourneyRequests.Vouchers r, Supplier<BudgetStatus> budget) {
        return Optional.empty();
    }
}
