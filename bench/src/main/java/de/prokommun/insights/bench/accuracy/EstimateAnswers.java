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
 * A diagnostic beside the served answers: the same publication's questions summed from its real-valued
 * least-squares estimates and rounded once per answer, instead of summed from the integer cells the service serves
 * (the estimates rounded cell by cell, signed, so that every figure is a sum of the same integers). Shows what the
 * integer table costs in accuracy: only the rounding of each cell (±0.5, unbiased).
 */
final class EstimateAnswers {

    private EstimateAnswers() {}

    static List<Long> answer(Publication publication, CityVocabulary city, List<AudienceFilter> workload) {
        List<Long> answers = new ArrayList<>(workload.size());
        for (AudienceFilter f : workload) {
            Optional<PublishedSelection> s = PublishedSelection.of(city, FilterNormalisation.normalise(f, city));
            if (s.isEmpty() || !publication.hasSlice(s.get().slice())) {
                answers.add(null);
                continue;
            }
            answers.add(Math.max(0, Math.round(publication.estimate(s.get().slice(), s.get().cells()))));
        }
        return answers;
    }
}
