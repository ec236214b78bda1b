package de.prokommun.insights.query.audience;

import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.BudgetStatus;
import de.prokommun.insights.privacy.DisclosureControl;
import de.prokommun.insights.privacy.PlannedRelease;
import de.prokommun.insights.privacy.Release;
import de.prokommun.insights.privacy.TrueCell;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers audience questions: validates them against the asker's city, computes the true counts and
 * hands them to {@link DisclosureControl} at once. Only {@link Release}s leave this class; the true counts
 * never do. A breakdown is released as the audience's count (the same question as without breakdown, so
 * both show the same number) plus the cells: one question for disjoint cells, one per cell for personas; all of
 * them as one answer, paid in full or refused before anything is charged.
 */
public final class AudienceService {

    /** The cell collecting group values outside the city's vocabulary (no district, no persona, ...). */
    public static final String OTHER_LABEL = "other";
    /** Room for group values outside the vocabulary, so the GROUP BY limit never truncates a cell. */
    private static final int MAX_UNKNOWN_GROUPS = 1000;

    private final CityCatalog cities;
    private final TrueCountSource counts;
    private final DisclosureControl disclosure;
    private final DataVersion dataVersion;
    private final String table;
    private final int maxValuesPerDimension;
    private final PublishedFigures published;
    private final SellerConfidentiality sellers;

    public AudienceService(CityCatalog cities, TrueCountSource counts, DisclosureControl disclosure,
                           DataVersion dataVersion, String table, int maxValuesPerDimension) {
        this(cities, counts, disclosure, dataVersion, table, maxValuesPerDimension, PublishedFigures.NONE);
    }

    public AudienceService(CityCatalog cities, TrueCountSource counts, DisclosureControl disclosure,
                           DataVersion dataVersion, String table, int maxValuesPerDimension,
                           PublishedFigures published) {
        this(cities, counts, disclosure, dataVersion, table, maxValuesPerDimension, published, SellerConfidentiality.NONE);
    }

    /**
     * As above; a filter on a bought category is first weighed by {@code sellers} (business confidentiality: the
     * buyers of a category one seller dominates are that seller's business figure, 403 for its competitors) in
     * every cell the answer reveals ({@link BoughtCategoryCells}).
     */
    public AudienceService(CityCatalog cities, TrueCountSource counts, DisclosureControl disclosure,
                           DataVersion dataVersion, String table, int maxValuesPerDimension,
                           PublishedFigures published, SellerConfidentiality sellers) {
        this.published = published;
        this.sellers = sellers;
        this.cities = cities;
        this.counts = counts;
        this.disclosure = disclosure;
        this.dataVersion = dataVersion;
        this.table = table;
        this.maxValuesPerDimension = maxValuesPerDimension;
    }

    /** The vocabulary of the asker's city; a city without configuration cannot be asked about. */
    public CityVocabulary vocabulary(Asker asker) {
        return cities.city(asker.city()).orElseThrow(() -> new CityNotConfiguredException(asker.city()));
    }

    /** Throws {@link ForbiddenFieldException} when a participant asks about another participant's customers. */
    public AudienceRequest parse(Asker asker, String body) {
        CityVocabulary city = vocabulary(asker);
        AudienceRequest request = FilterNormalisation.normalise(
                new AudienceRequestParser(city, maxValuesPerDimension).parse(body), city);
        AskerScope.check(asker, request.filter());
        return request;
    }

    /**
     * From the latest publication when it can answer (free, the same for everybody), otherwise as an ad-hoc
     * release; throws {@link de.prokommun.insights.privacy.BudgetExhaustedException} when the budget cannot pay.
     */
    public AudienceAnswer answer(Asker asker, AudienceRequest request) {
        CityVocabulary city = vocabulary(asker);
        request = FilterNormalisation.normalise(request, city);
        String question = new AudienceQuery(table, asker.city(), request.filter(), request.breakdown(),
                city.categories(), null).question().canonicalForm();
        Optional<AudienceAnswer> fromPublication = published.answer(asker, city, request, question,
                () -> disclosure.budget(asker));
        if (fromPublication.isPresent()) return fromPublication.get();
        String version = dataVersion.current(city.timeZone());
        int today = dataVersion.today(city.timeZone());
        // every cell the answer reveals about a bought category: its total, the segment asked, each breakdown row
        BoughtCategoryCells.check(sellers, asker, city, request.filter(), request.breakdown(),
                java.time.LocalDate.ofEpochDay(today).getYear());
        AudienceQuery plain = new AudienceQuery(table, asker.city(), request.filter(), Optional.empty(),
                city.categories(), today);
        List<PlannedRelease> planned = new ArrayList<>();
        planned.add(PlannedRelease.counts(plain.question(), List.of(new TrueCell("", counts.count(plain.countSql())))));
        if (request.breakdown().isEmpty()) {
            return new AudienceAnswer(plain.question().canonicalForm(), version,
                    disclosure.releaseAll(asker, version, planned).get(0), List.of());
        }
        Breakdown breakdown = request.breakdown().get();
        AudienceQuery grouped = new AudienceQuery(table, asker.city(), request.filter(), request.breakdown(),
                city.categories(), today);
        List<String> labels = city.labels(breakdown);
        List<TrueCell> cells = cells(labels, breakdown,
                counts.countsPerValue(grouped.breakdownSql(labels.size() + MAX_UNKNOWN_GROUPS)));
        if (breakdown.cellsDisjoint()) {
            planned.add(PlannedRelease.counts(grouped.question(), cells));
        } else {
            // One person may sit in several cells, so the cells do not share one question's epsilon: each
            // cell is its own question (sequential composition), charged and noised on its own.
            for (TrueCell cell : cells) planned.add(PlannedRelease.counts(grouped.cellQuestion(cell.label()), List.of(cell)));
        }
        // The count and the cells are one answer: charged together or refused together (nothing paid for a 429).
        List<Release> releases = disclosure.releaseAll(asker, version, planned);
        return new AudienceAnswer(grouped.question().canonicalForm(), version, releases.get(0),
                releases.subList(1, releases.size()));
    }

    /**
     * A campaign's reach (docs/CAMPAIGNS.md): the residents of the audience who consent to offers and hold none of
     * the objections that would apply to the campaign ({@link OfferObjections#against}), as one ad-hoc release of
     * its own question kind (never from a publication: the cube knows no objections). A participant asks only about
     * its own customers.
     */
    public AudienceAnswer reach(Asker asker, AudienceFilter audience, String offerCategory) {
        CityVocabulary city = vocabulary(asker);
        AudienceFilter f = FilterNormalisation.normalise(audience, city);
        f = new AudienceFilter(f.ageFrom(), f.ageTo(), f.genders(), f.personas(), f.interests(), f.districts(),
                f.householdTypes(), true, f.boughtCategory(), f.customerOf(), f.activeWithinDays());
        AskerScope.check(asker, f);
        String version = dataVersion.current(city.timeZone());
        int today = dataVersion.today(city.timeZone());
        BoughtCategoryCells.check(sellers, asker, city, f, Optional.empty(), java.time.LocalDate.ofEpochDay(today).getYear());
        AudienceQuery q = new AudienceQuery(table, asker.city(), f, Optional.empty(), city.categories(), today)
                .withoutObjections(OfferObjections.against(asker.id(), offerCategory, city.categories()));
        List<PlannedRelease> planned = List.of(PlannedRelease.counts(q.question(),
                List.of(new TrueCell("", counts.count(q.countSql())))));
        return new AudienceAnswer(q.question().canonicalForm(), version,
                disclosure.releaseAll(asker, version, planned).get(0), List.of());
    }

    public BudgetStatus budget(Asker asker) {
        vocabulary(asker);
        return disclosure.budget(asker);
    }

    /**
     * Every label of the dimension in vocabulary order, zeros included (a missing cell would tell that it
     * is empty); values outside the vocabulary are pooled in {@link #OTHER_LABEL} for open dimensions.
     */
    static List<TrueCell> cells(List<String> labels, Breakdown breakdown, Map<String, Long> perValue) {
        List<TrueCell> cells = new ArrayList<>();
        long other = 0;
        for (Map.Entry<String, Long> e : perValue.entrySet()) {
            if (!labels.contains(e.getKey())) other += e.getValue();
        }
        for (String label : labels) cells.add(new TrueCell(label, perValue.getOrDefault(label, 0L)));
        if (breakdown.hasOpenDomain()) cells.add(new TrueCell(OTHER_LABEL, other));
        return cells;
    }
}
