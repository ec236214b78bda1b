package de.prokommun.insights.query.publication;

import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.BudgetStatus;
import de.prokommun.insights.privacy.PrivacyPolicy;
import de.prokommun.insights.privacy.Release;
import de.prokommun.insights.privacy.ReleasedCell;
import de.prokommun.insights.privacy.RoleRules;
import de.prokommun.insights.query.audience.AnswerSource;
import de.prokommun.insights.query.audience.AudienceAnswer;
import de.prokommun.insights.query.audience.AudienceRequest;
import de.prokommun.insights.query.audience.Breakdown;
import de.prokommun.insights.query.audience.CityVocabulary;
import de.prokommun.insights.query.audience.PublishedFigures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The latest publication of each city, in memory, and the audience answers made from it: sums of published
 * integer cells (the least-squares estimates rounded without clamping, {@link SignedCellRounding}), free and
 * identical for every asker (post-processing of one paid release). Every figure is a sum of the same integers, so a
 * breakdown's parts add up to its count and a part equals the same audience asked alone. A shown figure is the sum
 * clamped at zero; below the role's minimum cell size it is shown as suppressed ("weniger als k"), as ad-hoc
 * answers are. No complementary suppression: every published sum can be asked, so a hidden cell could be
 * recomputed from others anyway; the protection is the noise, paid once.
 */
public final class PublishedStatistics implements PublishedFigures {

    private final Map<String, Publication> latest = new ConcurrentHashMap<>();
    private final PrivacyPolicy policy;

    public PublishedStatistics(PrivacyPolicy policy) {
        this.policy = policy;
    }

    public Optional<Publication> latest(String city) {
        return Optional.ofNullable(latest.get(city));
    }

    void hold(Publication publication) {
        latest.put(publication.city(), publication);
    }

    @Override
    public Optional<AudienceAnswer> answer(Asker asker, CityVocabulary city, AudienceRequest request, String question,
                                           Supplier<BudgetStatus> budget) {
        Publication publication = latest.get(city.city());
        if (publication == null) return Optional.empty();
        Optional<PublishedSelection> found = PublishedSelection.of(city, request.filter());
        if (found.isEmpty() || !publication.hasSlice(found.get().slice())) return Optional.empty();
        PublishedSelection selection = found.get();
        RoleRules rules = policy.rules(asker.city(), asker.role());
        List<ReleasedCell> breakdown = new ArrayList<>();
        if (request.breakdown().isPresent()) {
            Breakdown b = request.breakdown().get();
            if (b == Breakdown.PERSONA) {
                // Per persona from its slice (or its cells of everybody): only without a persona or interest in the filter.
                if (!selection.slice().equals(CubeDomain.ALL)) return Optional.empty();
                for (String persona : city.personas()) {
                    CubeDomain.PersonaCells cells = CubeDomain.personaCells(city, persona);
                    if (!publication.hasSlice(cells.slice())) return Optional.empty();
                    breakdown.add(shown(persona, publication.sum(cells.slice(), selection.cells().and(cells.cells())), rules));
                }
                breakdown.add(shown(CubeDomain.OTHER,
                        publication.sum(CubeDomain.personaSlice(CubeDomain.OTHER), selection.cells()), rules));
            } else {
                Map<String, Long> byLabel = publication.sumsBy(selection.slice(), selection.cells(), dimension(b));
                for (String label : city.labels(b)) breakdown.add(shown(label, byLabel.getOrDefault(label, 0L), rules));
                if (b.hasOpenDomain()) {
                    breakdown.add(shown(CubeDomain.OTHER, byLabel.getOrDefault(CubeDomain.OTHER, 0L), rules));
                }
            }
        }
        BudgetStatus status = budget.get();
        Release count = new Release(List.of(shown("", publication.sum(selection.slice(), selection.cells()), rules)),
                0.0, true, status);
        List<Release> cells = breakdown.isEmpty() ? List.of() : List.of(new Release(breakdown, 0.0, true, status));
        return Optional.of(new AudienceAnswer(question, publication.id(), count, cells,
                AnswerSource.publication(publication.id(), publication.publishedAt().toString(),
                        publication.dataAsOf().toString())));
    }

    private static Function<CellKey, String> dimension(Breakdown b) {
        return switch (b) {
            case AGE_BAND -> CellKey::ageBand;
            case GENDER -> CellKey::gender;
            case DISTRICT -> CellKey::district;
            case HOUSEHOLD_TYPE -> CellKey::householdType;
            case PERSONA -> throw new IllegalArgumentException("personas are slices, not a cell dimension");
        };
    }

    /**
     * A published figure (of any publication of the city) as shown to this asker: at least zero, suppressed below
     * the role's minimum cell size, like every sum of published cells.
     */
    public ReleasedCell shown(Asker asker, String label, long value) {
        return shown(label, value, policy.rules(asker.city(), asker.role()));
    }

    /** Published figures as one release: post-processing of a paid publication, so nothing is spent. */
    public Release published(List<ReleasedCell> cells, BudgetStatus budget) {
        return new Release(cells, 0.0, true, budget);
    }

    /** A sum of published cells as shown: at least zero, suppressed below the minimum cell size. */
    static ReleasedCell shown(String label, long sum, RoleRules rules) {
        long value = Math.max(0, sum);
        return value < rules.minCellSize()
                ? new ReleasedCell(label, null, true, rules.display().fewerThan(rules.minCellSize()))
                : new ReleasedCell(label, value, false, rules.display().show(value));
    }
}
