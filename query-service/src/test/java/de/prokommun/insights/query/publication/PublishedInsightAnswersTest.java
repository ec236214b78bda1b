package de.prokommun.insights.query.publication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.privacy.BudgetStatus;
import de.prokommun.insights.privacy.ReleasedCell;
import de.prokommun.insights.query.audience.Breakdown;
import de.prokommun.insights.query.audience.CityVocabulary;
import de.prokommun.insights.query.audience.ForbiddenFieldException;
import de.prokommun.insights.query.insights.Granularity;
import de.prokommun.insights.query.insights.InsightAnswer;
import de.prokommun.insights.query.insights.InsightsRequests;
import java.time.Instant;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Insights answers from published figures: the product history and the affinity are sums and ratios of published
 * values only (nothing spent, identical for every asker, the publication named); a question needing a figure the
 * publication does not hold — a period outside its window, a category the dominance rule withheld — is left to the
 * ad-hoc path, so a competitor reads no single seller's figures through the publication.
 */
class PublishedInsightAnswersTest {

    private static final String BREAD = "lebensmittel.backwaren";
    private static final String OPTICS = "dienstleistungen.optik-hoerakustik";
    private static final BudgetStatus BUDGET = new BudgetStatus(1, 2, Instant.parse("2026-12-02T00:00:00Z"));
    private static final Asker BAKERY = new Asker("musterstadt", "baeckerei-schmidt", AskerRole.PARTICIPANT);
    private static final Asker OPTICIAN = new Asker("musterstadt", "optik-meyer", AskerRole.PARTICIPANT);
    private static final Asker COMPETITOR = new Asker("musterstadt", "optik-schulz", AskerRole.PARTICIPANT);

    private final CityVocabulary city = Musterstadt.vocabulary();
    private final PublishedPurchases purchases = new PublishedPurchases();
    private final PublishedStatistics audience = new PublishedStatistics(Musterstadt.policy());
    private final PublishedInsightAnswers answers = new PublishedInsightAnswers(purchases, audience);

    PublishedInsightAnswersTest() {
        Map<PurchaseFigureKey, SegmentedFigure> figures = new LinkedHashMap<>();
        figures.put(PurchaseFigureKey.buyers(BREAD, "2025"), bread(1200, 700, 500));
        figures.put(PurchaseFigureKey.buyers(BREAD, "2026"), bread(1000, 600, 400));
        figures.put(PurchaseFigureKey.stillActive(BREAD, "2025"), SegmentedFigure.totalOnly(300));
        figures.put(PurchaseFigureKey.stillActive(BREAD, "2026"), SegmentedFigure.totalOnly(800));
        // The optician's category of 2026 was withheld by the dominance rule: only its earlier year is published.
        figures.put(PurchaseFigureKey.buyers(OPTICS, "2025"), bread(90, 50, 40));
        figures.put(PurchaseFigureKey.stillActive(OPTICS, "2025"), SegmentedFigure.totalOnly(30));
        // The bakery's own customers: November complete, December so far.
        figures.put(PurchaseFigureKey.customers(BAKERY.id(), "2026-11"), bread(400, 250, 150));
        figures.put(PurchaseFigureKey.customers(BAKERY.id(), "2026-12"), bread(60, 30, 30));
        purchases.hold(new PurchasePublication("musterstadt", "musterstadt/2026-12/1of4/purchases", YearMonth.of(2026, 12),
                Instant.parse("2026-12-01T08:00:01Z"), Instant.parse("2026-12-01T08:00:00Z"), 0.01, "1000", figures,
                Map.of()));
        audience.hold(Musterstadt.publication(c -> 2)); // 2 residents in every cell of every slice
    }

    /** Buyers of a year: all in two age bands, all women, split 50/50 over two personas. */
    private SegmentedFigure bread(long total, long band3549, long band5064) {
        Map<String, Map<String, Long>> dimensions = new LinkedHashMap<>();
        Map<String, Long> bands = new LinkedHashMap<>();
        city.ageBands().forEach(b -> bands.put(b, 0L));
        bands.put("other", 0L);
        bands.put("35-49", band3549);
        bands.put("50-64", band5064);
        dimensions.put("ageBand", bands);
        dimensions.put("gender", Map.of("FEMALE", total, "MALE", 0L, "DIVERSE", 0L, "UNKNOWN", 0L));
        Map<String, Long> personas = new LinkedHashMap<>();
        city.personas().forEach(p -> personas.put(p, 0L));
        personas.put("family", total / 2);
        personas.put("other", total - total / 2);
        return new SegmentedFigure(total, dimensions, personas);
    }

    @Test
    void productHistoryPerYearIsReadFromThePublicationFreeAndTheSameForEverybody() {
        InsightsRequests.History r = new InsightsRequests.History(BREAD, Granularity.YEAR, 2025, 2026, Breakdown.AGE_BAND, null);
        InsightAnswer a = answers.history(BAKERY, city, r, () -> BUDGET).orElseThrow();
        assertThat(a.source().isPublication()).isTrue();
        assertThat(a.source().publicationId()).isEqualTo("musterstadt/2026-12/1of4/purchases");
        assertThat(a.epsilonSpent()).isZero();
        assertThat(a.rhoSpent()).isZero();
        assertThat(value(a, "periods", "2025", "buyers")).isEqualTo(1200);
        assertThat(value(a, "bySegment", "2026", "35-49")).isEqualTo(600);
        assertThat(row(a, "bySegment", "2026").figures().get("other").suppressed()).isTrue(); // 0 < minimum cell size
        assertThat(value(a, "stillActive", "2026", "stillActive")).isEqualTo(800);
        assertThat(row(a, "stillActive", "2025").derived().get("shareOfBuyers")).isEqualTo(0.25);
        assertThat(answers.history(COMPETITOR, city, r, () -> BUDGET).orElseThrow().tables()).isEqualTo(a.tables());
    }

    @Test
    void affinityByPersonaIsPublishedBuyersAgainstThePublishedPopulation() {
        InsightsRequests.Affinity r = new InsightsRequests.Affinity(BREAD, Granularity.YEAR, 2025, Breakdown.PERSONA,
                new TreeSet<>(List.of("family", "senior")));
        InsightAnswer a = answers.affinity(BAKERY, city, r, () -> BUDGET).orElseThrow();
        assertThat(a.source().isPublication()).isTrue();
        assertThat(a.tables().stream().map(InsightAnswer.Table::name)).containsExactly("segments", "city");
        assertThat(value(a, "segments", "family", "buyers")).isEqualTo(600);
        long cells = CubeDomain.of(city).cells().size();
        // family is household type FAMILY: its population is the FAMILY cells of everybody (one of 6 household types)
        assertThat(value(a, "segments", "family", "population")).isEqualTo(2 * cells / city.householdTypes().size());
        assertThat(value(a, "city", "all", "population")).isEqualTo(2 * cells);
        assertThat(value(a, "city", "all", "buyers")).isEqualTo(1200);
        // lift = (600 / (2c / 6)) / (1200 / 2c)
        assertThat(row(a, "segments", "family").derived().get("lift")).isEqualTo(3.0);
        assertThat(row(a, "segments", "senior").figures().get("buyers").suppressed()).isTrue();
        assertThat(row(a, "segments", "senior").derived().get("lift")).isNull();
        assertThat(a.epsilonSpent()).isZero();
    }

    @Test
    void whatThePublicationDoesNotHoldIsLeftToTheAdHocPath() {
        // A year outside the window.
        assertThat(answers.history(BAKERY, city, new InsightsRequests.History(BREAD, Granularity.YEAR, 2024, 2026,
                null, null), () -> BUDGET)).isEmpty();
        // Months are not in this publication.
        assertThat(answers.history(BAKERY, city, new InsightsRequests.History(BREAD, Granularity.MONTH, 202611, 202612,
                null, null), () -> BUDGET)).isEmpty();
        // Nothing at all before the first publication.
        PublishedInsightAnswers none = new PublishedInsightAnswers(new PublishedPurchases(), audience);
        assertThat(none.affinity(BAKERY, city, new InsightsRequests.Affinity(BREAD, Granularity.YEAR, 2025,
                Breakdown.GENDER, null), () -> BUDGET)).isEmpty();
    }

    @Test
    void aCompetitorCannotReadASingleSellersFiguresThroughThePublication() {
        // The optician's 2026 figures were withheld for everybody: no asker gets them from the publication.
        for (Asker asker : List.of(COMPETITOR, OPTICIAN, BAKERY)) {
            assertThat(answers.history(asker, city, new InsightsRequests.History(OPTICS, Granularity.YEAR, 2026, 2026,
                    null, null), () -> BUDGET)).isEmpty();
            assertThat(answers.affinity(asker, city, new InsightsRequests.Affinity(OPTICS, Granularity.YEAR, 2026,
                    Breakdown.AGE_BAND, null), () -> BUDGET)).isEmpty();
        }
        // Its published year is read as any other.
        assertThat(answers.history(COMPETITOR, city, new InsightsRequests.History(OPTICS, Granularity.YEAR, 2025, 2025,
                null, null), () -> BUDGET)).isPresent();
    }

    @Test
    void aParticipantReadsItsOwnCustomersOfTheLastCompleteMonthFromThePublication() {
        InsightAnswer a = answers.customers(BAKERY, city, new InsightsRequests.Customers(BAKERY.id(), Breakdown.PERSONA),
                () -> BUDGET).orElseThrow();
        assertThat(a.source().isPublication()).isTrue();
        assertThat(a.dataVersion()).isEqualTo("musterstadt/2026-12/1of4/purchases");
        assertThat(a.epsilonSpent()).isZero();
        assertThat(a.rhoSpent()).isZero();
        // November, the month before the publication's, not the few days of December
        assertThat(row(a, "total", "2026-11").figures().get("customers").value()).isEqualTo(400);
        assertThat(value(a, "segments", "family", "customers")).isEqualTo(200);
        assertThat(row(a, "segments", "family").derived().get("share")).isEqualTo(0.5);
        assertThat(row(a, "segments", "senior").figures().get("customers").suppressed()).isTrue();
        assertThat(a.notes()).anyMatch(n -> n.contains("published statistics") && n.contains("shown only to"))
                .anyMatch(n -> n.contains("in 2026-11,"));
        // by a disjoint dimension: the age bands
        InsightAnswer bands = answers.customers(BAKERY, city, new InsightsRequests.Customers(BAKERY.id(),
                Breakdown.AGE_BAND), () -> BUDGET).orElseThrow();
        assertThat(value(bands, "segments", "35-49", "customers")).isEqualTo(250);
        // the operator reads the same published figures
        Asker operator = new Asker("musterstadt", "stadtmarketing", AskerRole.OPERATOR);
        assertThat(answers.customers(operator, city, new InsightsRequests.Customers(BAKERY.id(), Breakdown.PERSONA),
                () -> BUDGET).orElseThrow().tables()).isEqualTo(a.tables());
    }

    @Test
    void aCompetitorCannotReadAnotherParticipantsCustomersFromThePublication() {
        assertThatThrownBy(() -> answers.customers(COMPETITOR, city,
                new InsightsRequests.Customers(BAKERY.id(), Breakdown.PERSONA), () -> BUDGET))
                .isInstanceOf(ForbiddenFieldException.class).hasMessageContaining("participant");
        assertThatThrownBy(() -> answers.assortment(COMPETITOR, city,
                new InsightsRequests.Assortment(BREAD, 2, BAKERY.id(), null), () -> BUDGET))
                .isInstanceOf(ForbiddenFieldException.class).hasMessageContaining("customerOf");
        // a participant without published customers is left to the ad-hoc path (its own, paid)
        assertThat(answers.customers(COMPETITOR, city, new InsightsRequests.Customers(COMPETITOR.id(), Breakdown.PERSONA),
                () -> BUDGET)).isEmpty();
    }

    @Test
    void withoutTheCompleteMonthTheMonthSoFarIsShownAndSaidSo() {
        PublishedPurchases onlyDecember = new PublishedPurchases();
        onlyDecember.hold(new PurchasePublication("musterstadt", "musterstadt/2026-12/1of4/purchases",
                YearMonth.of(2026, 12), Instant.parse("2026-12-01T08:00:01Z"), Instant.parse("2026-12-01T08:00:00Z"),
                0.01, "1000", Map.of(PurchaseFigureKey.customers(BAKERY.id(), "2026-12"), bread(60, 30, 30)), Map.of()));
        InsightAnswer a = new PublishedInsightAnswers(onlyDecember, audience).customers(BAKERY, city,
                new InsightsRequests.Customers(BAKERY.id(), Breakdown.PERSONA), () -> BUDGET).orElseThrow();
        assertThat(row(a, "total", "2026-12").figures().get("customers").value()).isEqualTo(60);
        assertThat(a.notes()).anyMatch(n -> n.contains("the month so far"));
    }

    @Test
    void theAssortmentCheckIsReadFromThePublicationWithoutItsSeasonality() {
        InsightAnswer a = answers.assortment(BAKERY, city, new InsightsRequests.Assortment(BREAD, 2, BAKERY.id(), null),
                () -> BUDGET).orElseThrow();
        assertThat(a.source().isPublication()).isTrue();
        assertThat(a.epsilonSpent()).isZero();
        assertThat(a.tables().stream().map(InsightAnswer.Table::name))
                .containsExactly("interested", "trend", "personas", "city", "customers");
        assertThat(value(a, "interested", "2025", "stillActive")).isEqualTo(300);
        assertThat(value(a, "interested", "2026", "stillActive")).isEqualTo(800);
        assertThat(value(a, "trend", "2026", "buyers")).isEqualTo(1000);
        // personas of the year before the publication's (2025: 1200 buyers, 600 of them family), sorted by lift
        assertThat(value(a, "personas", "family", "buyers")).isEqualTo(600);
        // lift = (600 / family's population) / (1200 / the city's), family's population a sixth of the city's
        assertThat(row(a, "personas", "family").derived().get("lift")).isEqualTo(3.0);
        Double first = a.tables().get(2).rows().get(0).derived().get("lift");
        assertThat(first).isNotNull();
        assertThat(a.tables().get(2).rows()).allSatisfy(r -> assertThat(r.derived().get("lift") == null
                || r.derived().get("lift") <= first).isTrue());
        // its own customers of November per persona, against the city's persona shares
        assertThat(value(a, "customers", "family", "customers")).isEqualTo(200);
        assertThat(row(a, "customers", "family").derived().get("share")).isEqualTo(0.5);
        // the city's share of family: the FAMILY cells of everybody, a sixth of it
        assertThat(row(a, "customers", "family").derived().get("cityShare")).isEqualTo(0.167);
        assertThat(a.notes()).anyMatch(n -> n.contains("seasonality") && n.contains("not published"));
        // a competitor asking the same without customers gets the same city figures
        InsightAnswer other = answers.assortment(COMPETITOR, city, new InsightsRequests.Assortment(BREAD, 2, null, null),
                () -> BUDGET).orElseThrow();
        assertThat(other.tables().subList(0, 3)).isEqualTo(a.tables().subList(0, 3));
        assertThat(other.tables().stream().map(InsightAnswer.Table::name)).doesNotContain("customers");
    }

    @Test
    void anAssortmentCheckNeedingAnUnpublishedFigureIsLeftToTheAdHocPath() {
        // 2024 is outside the window
        assertThat(answers.assortment(BAKERY, city, new InsightsRequests.Assortment(BREAD, 3, null, null),
                () -> BUDGET)).isEmpty();
        // the optician's 2026 was withheld by the dominance rule
        assertThat(answers.assortment(OPTICIAN, city, new InsightsRequests.Assortment(OPTICS, 2, null, null),
                () -> BUDGET)).isEmpty();
    }

    private static InsightAnswer.Row row(InsightAnswer a, String table, String label) {
        return a.tables().stream().filter(t -> t.name().equals(table)).findFirst().orElseThrow().rows().stream()
                .filter(r -> r.label().equals(label)).findFirst().orElseThrow();
    }

    private static Long value(InsightAnswer a, String table, String label, String figure) {
        ReleasedCell cell = row(a, table, label).figures().get(figure);
        return cell.value();
    }
}
