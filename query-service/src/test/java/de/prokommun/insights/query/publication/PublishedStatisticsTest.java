package de.prokommun.insights.query.publication;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.privacy.BudgetStatus;
import de.prokommun.insights.privacy.ReleasedCell;
import de.prokommun.insights.query.audience.AudienceAnswer;
import de.prokommun.insights.query.audience.AudienceRequest;
import de.prokommun.insights.query.audience.AudienceRequestParser;
import de.prokommun.insights.query.audience.CityVocabulary;
import de.prokommun.insights.query.audience.FilterNormalisation;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Audience answers summed from a publication: which questions it answers, that the sums are the sums of exactly
 * the selected cells (computed here independently from the cell keys), and that meaning-preserving variants get
 * the identical answer.
 */
class PublishedStatisticsTest {

    private static final CityVocabulary CITY = Musterstadt.vocabulary();
    private static final Asker MERCHANT = new Asker("musterstadt", "baeckerei-schmidt", AskerRole.PARTICIPANT);
    private static final Asker OTHER_MERCHANT = new Asker("musterstadt", "optik-meyer", AskerRole.PARTICIPANT);
    private static final BudgetStatus BUDGET = new BudgetStatus(1, 2, Instant.parse("2026-12-02T00:00:00Z"));

    /** Cell values that differ from cell to cell (so a wrong selection shows), some negative (noise). */
    private static long value(String cell) {
        return Math.floorMod(cell.hashCode(), 41) - 5;
    }

    private final Publication publication = Musterstadt.publication(PublishedStatisticsTest::value);
    private final PublishedStatistics statistics = statistics(publication);

    private static PublishedStatistics statistics(Publication p) {
        PublishedStatistics s = new PublishedStatistics(Musterstadt.policy());
        s.hold(p);
        return s;
    }

    private Optional<AudienceAnswer> ask(Asker asker, String body) {
        AudienceRequest request = FilterNormalisation.normalise(new AudienceRequestParser(CITY, 50).parse(body), CITY);
        return statistics.answer(asker, CITY, request, "q", () -> BUDGET);
    }

    private long expected(String slice, Predicate<CellKey> selected) {
        return Math.max(0, publication.cells().get(slice).entrySet().stream().filter(e -> selected.test(e.getKey()))
                .mapToLong(e -> e.getValue()).sum());
    }

    @Test
    void aDemographicFilterIsTheSumOfItsCells() {
        AudienceAnswer answer = ask(MERCHANT, "{\"filter\": {\"ageFrom\": 18, \"ageTo\": 64,"
                + " \"genders\": [\"FEMALE\", \"DIVERSE\"], \"districts\": [\"Saarn\", \"Styrum\"]}}").orElseThrow();
        Set<String> bands = Set.of("18-24", "25-34", "35-49", "50-64");
        long sum = expected("all", c -> bands.contains(c.ageBand()) && Set.of("FEMALE", "DIVERSE").contains(c.gender())
                && Set.of("Saarn", "Styrum").contains(c.district()));
        assertThat(sum).isGreaterThan(10);
        assertThat(answer.countCell().value()).isEqualTo(sum);
        assertThat(answer.source().isPublication()).isTrue();
        assertThat(answer.source().publicationId()).isEqualTo(publication.id());
        assertThat(answer.dataVersion()).isEqualTo(publication.id());
        assertThat(answer.epsilonSpent()).isZero();
    }

    @Test
    void noFilterIncludesTheOtherCellsAndSlicesAreSelectedByPersonaOrInterest() {
        assertThat(ask(MERCHANT, "{}").orElseThrow().countCell().value()).isEqualTo(expected("all", c -> true));
        assertThat(ask(MERCHANT, "{\"filter\": {\"personas\": [\"" + CITY.personas().get(0) + "\"]}}").orElseThrow()
                .countCell().value()).isEqualTo(expected("persona:" + CITY.personas().get(0), c -> true));
        assertThat(ask(MERCHANT, "{\"filter\": {\"interests\": [\"Sport\"], \"householdTypes\": [\"FAMILY\"]}}")
                .orElseThrow().countCell().value())
                .isEqualTo(expected("interest:sport", c -> c.householdType().equals("FAMILY")));
    }

    @Test
    void aPersonaDefinedByTheCubeIsReadFromTheSliceOfEverybody() {
        // family = household type FAMILY, senior = aged 65 and over: no slice of their own is published
        assertThat(publication.hasSlice("persona:family")).isFalse();
        assertThat(publication.hasSlice("persona:senior")).isFalse();
        assertThat(ask(MERCHANT, "{\"filter\": {\"personas\": [\"family\"], \"districts\": [\"Saarn\"]}}").orElseThrow()
                .countCell().value()).isEqualTo(expected("all", c -> c.householdType().equals("FAMILY")
                        && c.district().equals("Saarn")));
        assertThat(ask(MERCHANT, "{\"filter\": {\"personas\": [\"senior\"], \"genders\": [\"FEMALE\"]}}").orElseThrow()
                .countCell().value()).isEqualTo(expected("all", c -> Set.of("65-79", "80+").contains(c.ageBand())
                        && c.gender().equals("FEMALE")));
        // a persona contradicting the filter is an empty set of cells, shown as suppressed
        assertThat(ask(MERCHANT, "{\"filter\": {\"personas\": [\"family\"], \"householdTypes\": [\"SINGLE\"]}}")
                .orElseThrow().countCell().suppressed()).isTrue();
        Publication positive = Musterstadt.publication(c -> 100 + value(c));
        AudienceAnswer mix = statistics(positive).answer(MERCHANT, CITY, new AudienceRequestParser(CITY, 50).parse(
                "{\"filter\": {\"districts\": [\"Styrum\"]}, \"breakdown\": \"persona\"}"), "q", () -> BUDGET).orElseThrow();
        int family = CITY.personas().indexOf("family");
        assertThat(mix.cells().get(family).value()).isEqualTo(positive.sum("all",
                c -> c.householdType().equals("FAMILY") && c.district().equals("Styrum")));
        int student = CITY.personas().indexOf("student");
        assertThat(mix.cells().get(student).value()).isEqualTo(positive.sum("persona:student",
                c -> c.district().equals("Styrum")));
    }

    @Test
    void theCityPulseAndActivityWindowsAreSumsOfTheActivityBuckets() {
        // The operator's pulse: active within 7 days, per persona — the "within7" cells of each persona slice.
        AudienceAnswer pulse = ask(MERCHANT, "{\"filter\": {\"activeWithinDays\": 7}, \"breakdown\": \"persona\"}")
                .orElseThrow();
        assertThat(pulse.countCell().value()).isEqualTo(expected("all", c -> c.activity().equals("within7")));
        String persona = CITY.personas().get(2);
        long inPersona = expected("persona:" + persona, c -> c.activity().equals("within7"));
        assertThat(inPersona).isGreaterThan(50);
        assertThat(pulse.breakdown().get(0).cells()).filteredOn(c -> c.label().equals(persona))
                .containsExactly(statistics.shown(MERCHANT, persona, inPersona));
        // A window is every bucket up to it; combined with demographics it is a sum of five-dimensional cells.
        AudienceAnswer month = ask(MERCHANT, "{\"filter\": {\"activeWithinDays\": 90, \"districts\": [\"Saarn\"]}}")
                .orElseThrow();
        assertThat(month.countCell().value()).isEqualTo(expected("all", c -> c.district().equals("Saarn")
                && Set.of("within7", "within30", "within90").contains(c.activity())));
        assertThat(month.source().isPublication()).isTrue();
    }

    @Test
    void meaningPreservingVariantsGetTheIdenticalAnswer() {
        AudienceAnswer plain = ask(MERCHANT, "{\"filter\": {\"ageFrom\": 25, \"districts\": [\"Saarn\"]}}").orElseThrow();
        for (String variant : List.of(
                "{\"filter\": {\"ageFrom\": 25, \"ageTo\": 120, \"districts\": [\"saarn\"]}}",
                "{\"filter\": {\"districts\": [\"Saarn\", \"Saarn\"], \"ageFrom\": 25,"
                        + " \"genders\": [\"FEMALE\", \"MALE\", \"DIVERSE\", \"UNKNOWN\"]}}",
                "{\"filter\": {\"ageFrom\": 25, \"districts\": [\"Saarn\"], \"householdTypes\": [\"SINGLE\", \"COUPLE\","
                        + " \"FAMILY\", \"SINGLE_PARENT\", \"SHARED\", \"UNKNOWN\"]}}")) {
            AudienceAnswer other = ask(OTHER_MERCHANT, variant).orElseThrow();
            assertThat(other.countCell()).as(variant).isEqualTo(plain.countCell());
        }
        long sum = expected("all", c -> Set.of("25-34", "35-49", "50-64", "65-79", "80+").contains(c.ageBand())
                && c.district().equals("Saarn"));
        assertThat(plain.countCell().value()).isEqualTo(sum);
    }

    @Test
    void questionsTheCubeCannotAnswerAreLeftToTheAdHocPath() {
        for (String body : List.of(
                "{\"filter\": {\"ageFrom\": 20}}",
                "{\"filter\": {\"ageFrom\": 18, \"ageTo\": 60}}",
                "{\"filter\": {\"personas\": [\"" + CITY.personas().get(0) + "\", \"" + CITY.personas().get(1) + "\"]}}",
                "{\"filter\": {\"personas\": [\"" + CITY.personas().get(0) + "\"], \"interests\": [\"sport\"]}}",
                "{\"filter\": {\"interests\": [\"schach\"]}}",
                "{\"filter\": {\"consentOffers\": true}}",
                "{\"filter\": {\"activeWithinDays\": 31}}",
                "{\"filter\": {\"interests\": [\"sport\"]}, \"breakdown\": \"persona\"}")) {
            assertThat(ask(MERCHANT, body)).as(body).isEmpty();
        }
        PublishedStatistics none = new PublishedStatistics(Musterstadt.policy());
        assertThat(none.answer(MERCHANT, CITY, new AudienceRequestParser(CITY, 50).parse("{}"), "q", () -> BUDGET)).isEmpty();
    }

    @Test
    void aBreakdownIsTheSumPerLabelAndItsPartsAddUpToTheCount() {
        Publication positive = Musterstadt.publication(c -> 100 + value(c));
        PublishedStatistics s = statistics(positive);
        AudienceRequest request = new AudienceRequestParser(CITY, 50).parse(
                "{\"filter\": {\"genders\": [\"MALE\"]}, \"breakdown\": \"district\"}");
        AudienceAnswer answer = s.answer(MERCHANT, CITY, request, "q", () -> BUDGET).orElseThrow();
        List<ReleasedCell> cells = answer.cells();
        assertThat(cells).extracting(ReleasedCell::label).containsExactlyElementsOf(
                concat(CITY.districts(), "other"));
        assertThat(cells.stream().mapToLong(ReleasedCell::value).sum()).isEqualTo(answer.countCell().value());
        AudienceAnswer personas = s.answer(MERCHANT, CITY, new AudienceRequestParser(CITY, 50).parse(
                "{\"breakdown\": \"persona\"}"), "q", () -> BUDGET).orElseThrow();
        assertThat(personas.cells()).extracting(ReleasedCell::label).containsExactlyElementsOf(concat(CITY.personas(), "other"));
        String persona = CITY.personas().get(2);
        assertThat(personas.cells().get(2).value()).isEqualTo(positive.sum("persona:" + persona, c -> true));
    }

    @Test
    void smallAndNegativeSumsAreShownSuppressed() {
        PublishedStatistics s = statistics(Musterstadt.publication(c -> c.startsWith("all|80+|DIVERSE|Saarn") ? -3 : 50));
        AudienceAnswer answer = s.answer(MERCHANT, CITY, new AudienceRequestParser(CITY, 50).parse(
                "{\"filter\": {\"ageFrom\": 80, \"genders\": [\"DIVERSE\"], \"districts\": [\"Saarn\"]}}"), "q",
                () -> BUDGET).orElseThrow();
        assertThat(answer.countCell().suppressed()).isTrue();
        assertThat(answer.countCell().value()).isNull();
        assertThat(answer.countCell().display()).isEqualTo("weniger als 10");
    }

    @Test
    void activityBeyondTheDataAgeIsOneQuestion() {
        AudienceRequest a = FilterNormalisation.normalise(new AudienceRequestParser(CITY, 50).parse(
                "{\"filter\": {\"activeWithinDays\": 3000}}"), CITY);
        AudienceRequest b = FilterNormalisation.normalise(new AudienceRequestParser(CITY, 50).parse(
                "{\"filter\": {\"activeWithinDays\": 3001}}"), CITY);
        AudienceRequest recent = FilterNormalisation.normalise(new AudienceRequestParser(CITY, 50).parse(
                "{\"filter\": {\"activeWithinDays\": 30}}"), CITY);
        assertThat(a).isEqualTo(b);
        assertThat(a.filter().activeWithinDays()).isEqualTo(CITY.purchaseRetentionDays()).isEqualTo(4 * 366);
        assertThat(recent.filter().activeWithinDays()).isEqualTo(30);
    }

    private static List<String> concat(List<String> labels, String last) {
        List<String> all = new java.util.ArrayList<>(labels);
        all.add(last);
        return all;
    }
}
