package de.prokommun.insights.bench.accuracy;

import de.prokommun.insights.query.audience.AudienceFilter;
import de.prokommun.insights.query.audience.CityVocabulary;
import de.prokommun.insights.query.audience.FilterNormalisation;
import de.prokommun.insights.query.publication.Publication;
import de.prokommun.insights.query.publication.PublishedSelection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A diagnostic beside the served answers: the same publication's questions summed from its integer cells (the
 * least-squares estimates rounded cell by cell to non-negative integers that add up to the slice's total) instead
 * of from the real-valued estimates rounded once per answer. Rounding thousands of near-empty cells clamps them at
 * zero and moves mass into them; this shows how large that bias is, and why answers round only the answer.
 */
final class IntegerCellAnswers {

    private IntegerCellAnswers() {}

    static List<Long> answer(Publication publication, CityVocabulary city, List<AudienceFilter> workload) {
        List<Long> answers = new ArrayList<>(workload.size());
        for (AudienceFilter f : workload) {
            Optional<PublishedSelection> s = PublishedSelection.of(city, FilterNormalisation.normalise(f, city));
            if (s.isEmpty() || !publication.hasSlice(s.get().slice())) {
                answers.add(null);
                continue;
            }
            answers.add(Math.max(0, publication.sum(s.get().slice(), s.get().cells())));
        }
        return answers;
    }
}
