package de.prokommun.insights.query.audience;

import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.BudgetStatus;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The city's published statistics as seen by the audience service: an answer made by summing published cells
 * (post-processing, free, the same for every asker), or empty when no publication can answer the question and it
 * must be released on its own (ad hoc).
 */
public interface PublishedFigures {

    /** No publications at all: every question is ad hoc. */
    PublishedFigures NONE = (asker, city, request, question, budget) -> Optional.empty();

    /**
     * @param request  already normalised ({@link FilterNormalisation})
     * @param question the canonical form of the question, shown in the answer
     * @param budget   the asker's budget, for the answer's budget field (asked only when answering)
     */
    Optional<AudienceAnswer> answer(Asker asker, CityVocabulary city, AudienceRequest request, String question,
                                    Supplier<BudgetStatus> budget);
}
