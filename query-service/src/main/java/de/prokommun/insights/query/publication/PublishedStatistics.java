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
 * The latest publication of each city, in memory, and the audience answers made from it: sums of the published
 * least-squares estimates, rounded once per answer ({@link AnswerRounding}; a breakdown's parts add up to its
 * count), free and identical for every asker (post-processing of one paid release). A shown figure is at least
 * zero; below the role's minimum cell size it is shown as suppressed ("weniger als k"), as ad-hoc
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
        double total = publication.estimate(selection.slice(), selection.cells());
        long shownCount = AnswerRounding.total(total);
        List<ReleasedCell> breakdown = new ArrayList<>();
        if (request.breakdown().isPresent()) {
            Breakdown b = request.breakdown().get();
            if (b == Breakdown.PERSONA) {
                // Per persona from the persona slices: only without a persona or interest in the filter. A person
                // may hold several personas, so the parts need not add up to the total: each is rounded alone.
                if (!selection.slice().equals(CubeDomain.ALL)) return Optional.empty();
                List<String> labels = new ArrayList<>(city.personas());
                labels.add(CubeDomain.OTHER);
                for (String persona : labels) {
                    String slice = CubeDomain.personaSlice(persona);
                    if (!publication.hasSlice(slice)) return Optional.empty();
                    breakdown.add(shown(persona, AnswerRounding.total(publication.estimate(slice, selection.cells())), rules));
                }
            } else {
                Function<CellKey, String> dimension = dimension(b);
                List<String> labels = new ArrayList<>(city.labels(b));
                if (b.hasOpenDomain()) labels.add(CubeDomain.OTHER);
                List<Double> parts = new ArrayList<>(labels.size());
                for (String label : labels) {
                    parts.add(publication.estimate(selection.slice(), selection.cells().and(c -> label.equals(dimension.apply(c)))));
                }
                // The parts partition the audience: rounded together so that they add up to the count shown.
                long[] rounded = AnswerRounding.withParts(total, parts);
                shownCount = rounded[0];
                for (int i = 0; i < labels.size(); i++) breakdown.add(shown(labels.get(i), rounded[i + 1], rules));
            }
        }
        BudgetStatus status = budget.get();
        Release count = new Release(List.of(shown("", shownCount, rules)),
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

    /** A rounded published figure as shown: at least zero, suppressed below the minimum cell size. */
    static ReleasedCell shown(String label, long sum, RoleRules rules) {
        long value = Math.max(0, sum);
        return value < rules.minCellSize()
                ? new ReleasedCell(label, null, true, rules.display().fewerThan(rules.minCellSize()))
                : new ReleasedCell(label, value, false, rules.display().show(value));
    }
}
