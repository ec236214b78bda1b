package de.prokommun.insights.query.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.privacy.BudgetStatus;
import de.prokommun.insights.privacy.DisclosureControl;
import de.prokommun.insights.privacy.PrivacyPolicy;
import de.prokommun.insights.privacy.Release;
import de.prokommun.insights.privacy.ReleasedCell;
import de.prokommun.insights.privacy.TrueCell;
import de.prokommun.insights.privacy.audit.AuditLog;
import de.prokommun.insights.privacy.budget.BudgetLedger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The service's release logic over fixed true counts (Pinot itself is exercised in AudienceSizeIT). */
class AudienceServiceTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T09:15:00Z"), ZoneOffset.UTC);
    private static final Asker ASKER = new Asker("musterstadt", "baeckerei-schmidt", AskerRole.PARTICIPANT);

    /** Fixed answers per SQL shape, recording every query it was asked. */
    private static final class FixedCounts implements TrueCountSource {
        final List<String> asked = new ArrayList<>();
        long total;
        Map<String, Long> groups = new LinkedHashMap<>();

        @Override public long count(String sql) { asked.add(sql); return total; }

        @Override public Map<String, Long> countsPerValue(String sql) { asked.add(sql); return groups; }
    }

    private final FixedCounts counts = new FixedCounts();

    private static final PrivacyPolicy POLICY =
            PrivacyPolicy.of(PrivacyPolicy.load(Vocabularies.CITIES.resolve("musterstadt/privacy.json")));
    /** The participant's ε per ad-hoc release in the city's documented rules. */
    private static final double EPSILON = POLICY.rules("musterstadt", AskerRole.PARTICIPANT).epsilonPerQuestion().doubleValue();

    private static DisclosureControl disclosure() {
        return new DisclosureControl(POLICY, BudgetLedger.inMemory(), AuditLog.inMemory(), KEY, CLOCK);
    }

    private AudienceService service(DisclosureControl disclosure) {
        return new AudienceService(new CityCatalog(Vocabularies.CITIES), counts, disclosure,
                new DataVersion(CLOCK, Duration.ofMinutes(1)), "profiles", 50);
    }

    @Test
    void aCountIsReleasedExactlyAsDisclosureControlReleasesTheTrueCount() {
        counts.total = 1234;
        AudienceService service = service(disclosure());
        AudienceAnswer answer = service.answer(ASKER, service.parse(ASKER, "{\"filter\": {\"genders\": [\"FEMALE\"]}}"));
        Release expected = disclosure().releaseCounts(ASKER, new AudienceQuery("profiles", "musterstadt",
                        service.parse(ASKER, "{\"filter\": {\"genders\": [\"FEMALE\"]}}").filter(), java.util.Optional.empty())
                        .question(), answer.dataVersion(), List.of(new TrueCell("", 1234)));
        assertThat(answer.countCell()).isEqualTo(expected.cells().get(0));
        assertThat(answer.dataVersion()).isEqualTo("2026-11-29T10:15:00+01:00");
        assertThat(answer.question()).isEqualTo("audience.size?genders=FEMALE");
        assertThat(counts.asked).containsExactly("SELECT COUNT(*) FROM profiles WHERE city = 'musterstadt'"
                + " AND deleted = false AND gender IN ('FEMALE')");
    }

    @Test
    void aBreakdownReportsEveryCategoryZerosIncludedAndPoolsUnknownValues() {
        counts.total = 500;
        counts.groups = new LinkedHashMap<>(Map.of("Saarn", 300L, "Broich", 150L, "null", 50L));
        AudienceService service = service(disclosure());
        AudienceAnswer answer = service.answer(ASKER, service.parse(ASKER, "{\"breakdown\": \"district\"}"));
        List<String> labels = new ArrayList<>(Vocabularies.musterstadt().districts());
        labels.add(AudienceService.OTHER_LABEL);
        assertThat(answer.cells()).extracting(ReleasedCell::label).containsExactlyElementsOf(labels);
        assertThat(answer.breakdown()).hasSize(1);
        // A cell is either suppressed (no number at all) or shown at the minimum cell size or above; an empty
        // district is one or the other depending on its noise (σ ≈ 48 at the city's Gaussian rules, so not always
        // suppressed), and at least one of the seven empty districts is suppressed.
        int k = POLICY.rules("musterstadt", AskerRole.PARTICIPANT).minCellSize();
        assertThat(answer.cells()).allSatisfy(c -> {
            if (c.suppressed()) assertThat(c.value()).isNull();
            else assertThat(c.value()).isGreaterThanOrEqualTo(k);
        });
        assertThat(answer.cells()).filteredOn(c -> !Set.of("Saarn", "Broich", AudienceService.OTHER_LABEL).contains(c.label()))
                .anySatisfy(c -> assertThat(c.suppressed()).isTrue());
        assertThat(answer.cells()).filteredOn(c -> c.label().equals("Saarn")).first()
                .satisfies(c -> assertThat(c.suppressed()).isFalse());
    }

    @Test
    void personaCellsOverlapSoEachIsItsOwnChargedQuestion() {
        counts.total = 400;
        counts.groups = new LinkedHashMap<>(Map.of("family", 300L, "senior", 200L));
        AudienceService service = service(disclosure());
        AudienceAnswer answer = service.answer(ASKER, service.parse(ASKER, "{\"breakdown\": \"persona\"}"));
        int personas = Vocabularies.musterstadt().personas().size();
        assertThat(answer.breakdown()).hasSize(personas + 1).allSatisfy(r -> assertThat(r.cells()).hasSize(1));
        assertThat(answer.epsilonSpent()).isCloseTo(EPSILON * (personas + 2), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aBreakdownTheBudgetCannotPayInFullIsRefusedBeforeAnythingIsCharged() {
        counts.total = 400;
        counts.groups = new LinkedHashMap<>(Map.of("family", 300L, "senior", 200L));
        DisclosureControl disclosure = disclosure();
        AudienceService service = service(disclosure);
        // Participant ε per release and day budget 3: one persona breakdown (count + a release per persona) fits, a second does not.
        service.answer(ASKER, service.parse(ASKER, "{\"breakdown\": \"persona\"}"));
        double left = disclosure.budget(ASKER).remainingDay();
        assertThat(left).isLessThan(EPSILON * (Vocabularies.musterstadt().personas().size() + 2));
        assertThatThrownBy(() -> service.answer(ASKER, service.parse(ASKER,
                "{\"filter\": {\"districts\": [\"Saarn\"]}, \"breakdown\": \"persona\"}")))
                .isInstanceOf(de.prokommun.insights.privacy.BudgetExhaustedException.class);
        assertThat(disclosure.budget(ASKER).remainingDay()).isEqualTo(left);
        // The count alone still fits.
        assertThat(service.answer(ASKER, service.parse(ASKER, "{\"filter\": {\"districts\": [\"Saarn\"]}}"))
                .epsilonSpent()).isEqualTo(EPSILON);
    }

    @Test
    void theSameQuestionInAnotherPhrasingIsFreeAndGetsTheIdenticalAnswer() {
        counts.total = 777;
        AudienceService service = service(disclosure());
        AudienceAnswer first = service.answer(ASKER, service.parse(ASKER,
                "{\"filter\": {\"districts\": [\"Saarn\", \"Broich\"], \"ageFrom\": 30}}"));
        counts.total = 778; // the data changed within the version: the answer must not move
        AudienceAnswer again = service.answer(ASKER, service.parse(ASKER,
                "{\"filter\": {\"ageTo\": 120, \"ageFrom\": 30, \"districts\": [\"broich\", \"saarn\"]}}"));
        assertThat(again.countCell()).isEqualTo(first.countCell());
        assertThat(again.repeated()).isTrue();
        assertThat(again.epsilonSpent()).isZero();
        assertThat(first.repeated()).isFalse();
        assertThat(first.epsilonSpent()).isPositive();
    }

    @Test
    void aQuestionThePublicationAnswersIsTakenFromItWithoutCountingOrPaying() {
        List<AudienceRequest> seen = new ArrayList<>();
        Release published = new Release(List.of(new ReleasedCell("", 4321L, false, "4.320")), 0, true,
                new BudgetStatus(3, 15, CLOCK.instant()));
        PublishedFigures publication = (asker, city, request, question, budget) -> {
            seen.add(request);
            return request.filter().consentOffers() ? java.util.Optional.empty() : java.util.Optional.of(
                    new AudienceAnswer(question, "musterstadt/2026-11/4of4", published, List.of(),
                            AnswerSource.publication("musterstadt/2026-11/4of4", "2026-11-25T00:00:00Z", "2026-11-25T00:00:00Z")));
        };
        AudienceService service = new AudienceService(new CityCatalog(Vocabularies.CITIES), counts, disclosure(),
                new DataVersion(CLOCK, Duration.ofMinutes(1)), "profiles", 50, publication);
        AudienceAnswer answer = service.answer(ASKER, service.parse(ASKER,
                "{\"filter\": {\"genders\": [\"FEMALE\", \"MALE\", \"DIVERSE\", \"UNKNOWN\"], \"districts\": [\"Saarn\"]}}"));
        assertThat(answer.source().isPublication()).isTrue();
        assertThat(answer.countCell().value()).isEqualTo(4321L);
        assertThat(answer.epsilonSpent()).isZero();
        assertThat(counts.asked).isEmpty();
        // Every gender ticked reached the publication as no gender filter, and the question says so.
        assertThat(seen.get(0).filter().genders()).isEmpty();
        assertThat(answer.question()).isEqualTo("audience.size?districts=Saarn");

        counts.total = 99;
        AudienceAnswer adHoc = service.answer(ASKER, service.parse(ASKER, "{\"filter\": {\"consentOffers\": true}}"));
        assertThat(adHoc.source().kind()).isEqualTo(AnswerSource.AD_HOC);
        assertThat(adHoc.epsilonSpent()).isPositive();
        assertThat(counts.asked).hasSize(1);
    }

    @Test
    void aCityWithoutConfigurationCannotBeAsked() {
        Asker stranger = new Asker("atlantis", "x", AskerRole.PARTICIPANT);
        assertThatThrownBy(() -> service(disclosure()).parse(stranger, "{}"))
                .isInstanceOf(CityNotConfiguredException.class).hasMessageContaining("atlantis");
    }

    @Test
    void cellsListVocabularyInOrderAndPoolTheRest() {
        List<TrueCell> cells = AudienceService.cells(List.of("a", "b"), Breakdown.DISTRICT,
                Map.of("b", 2L, "x", 3L, "null", 4L));
        assertThat(cells).containsExactly(new TrueCell("a", 0), new TrueCell("b", 2), new TrueCell("other", 7));
        assertThat(AudienceService.cells(List.of("FEMALE"), Breakdown.GENDER, Map.of("FEMALE", 1L)))
                .containsExactly(new TrueCell("FEMALE", 1));
    }
}
