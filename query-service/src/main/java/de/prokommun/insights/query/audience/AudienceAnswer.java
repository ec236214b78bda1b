package de.prokommun.insights.query.audience;

import de.prokommun.insights.privacy.Release;
import de.prokommun.insights.privacy.ReleasedCell;
import java.util.List;

/**
 * What may be shown for one audience question: the canonical question, the data version, and only values
 * released by the privacy layer — the audience's count and, for a breakdown, the releases of its cells — and
 * where they come from (a publication or an ad-hoc release).
 */
public record AudienceAnswer(String question, String dataVersion, Release count, List<Release> breakdown,
                             AnswerSource source) {

    public AudienceAnswer {
        breakdown = List.copyOf(breakdown);
        if (source == null) source = AnswerSource.adHoc();
    }

    /** An ad-hoc answer (released for this question). */
    public AudienceAnswer(String question, String dataVersion, Release count, List<Release> breakdown) {
        this(question, dataVersion, count, breakdown, AnswerSource.adHoc());
    }

    public ReleasedCell countCell() {
        return count.cells().get(0);
    }

    public List<ReleasedCell> cells() {
        return breakdown.stream().flatMap(r -> r.cells().stream()).toList();
    }

    /** The last release carries the asker's most recent budget. */
    public Release latest() {
        return breakdown.isEmpty() ? count : breakdown.get(breakdown.size() - 1);
    }

    public double epsilonSpent() {
        return count.epsilonSpent() + breakdown.stream().mapToDouble(Release::epsilonSpent).sum();
    }

    /** ρ (zCDP) this answer took from the city-wide cap: 0 for a publication or a repeated question. */
    public double rhoSpent() {
        return count.rhoSpent() + breakdown.stream().mapToDouble(Release::rhoSpent).sum();
    }

    public boolean repeated() {
        return count.repeated() && breakdown.stream().allMatch(Release::repeated);
    }
}
