package de.prokommun.insights.query.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.http.Problem;
import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.query.audience.CityCatalog;
import de.prokommun.insights.query.audience.ForbiddenFieldException;
import de.prokommun.insights.query.audience.InvalidRequestException;
import de.prokommun.insights.query.insights.Granularity;
import de.prokommun.insights.query.journey.JourneyRequests.Level;
import de.prokommun.insights.query.journey.JourneyRequests.Period;
import de.prokommun.insights.query.journey.JourneyRequests.Within;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Parsing against Musterstadt's real configuration (taxonomy, districts, participant catalogue) and the scoping. */
class JourneyRequestParserTest {

    private static final Path CITIES = Path.of("..", "cities");
    private final JourneyRequestParser parser = new JourneyRequestParser(
            new CityCatalog(CITIES).city("musterstadt").orElseThrow(),
            new ParticipantCatalogue(CITIES).city("musterstadt"), 50);
    private static final Asker OPERATOR = new Asker("musterstadt", "stadtmarketing", AskerRole.OPERATOR);
    private static final Asker EDEKA = new Asker("musterstadt", "edeka-mueller", AskerRole.PARTICIPANT);

    private static void rejected(ThrowingCallable call, String... fields) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidRequestException.class,
                e -> assertThat(e.problems()).extracting(Problem::field).containsExactlyInAnyOrder(fields));
    }

    private static void forbidden(ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ForbiddenFieldException.class,
                e -> assertThat(e.problem().field()).isEqualTo(field));
    }

    private static String pair(String a, String b) {
        return "[\"" + a + "\", \"" + b + "\"]";
    }

    @Test
    void participantsOfTheDirectoryOutsideTheCatalogueMayBeNamedAsNodesButNoOneElse() {
        JourneyRequestParser withImportedStores = new JourneyRequestParser(
                new CityCatalog(CITIES).city("musterstadt").orElseThrow(),
                new ParticipantCatalogue(CITIES, city -> java.util.Set.of("cj-store-367")).city("musterstadt"), 50);
        String body = "{\"period\": {\"year\": 2017}, \"participants\": " + pair("cj-store-367", "edeka-mueller") + "}";
        assertThat(withImportedStores.crossShopping(body).participants()).containsExactly("cj-store-367", "edeka-mueller");
        rejected(() -> parser.crossShopping(body), "participants[0]");
        rejected(() -> withImportedStores.crossShopping("{\"period\": {\"year\": 2017}, \"participants\": "
                + pair("cj-store-999", "edeka-mueller") + "}"), "participants[0]");
    }

    @Test
    void periodsAreAMonthAsNumberOrTextOrAYear() {
        assertThat(parser.firstVisits("{\"period\": {\"month\": 202503}}").period())
                .isEqualTo(new Period(Granularity.MONTH, 202503));
        assertThat(parser.firstVisits("{\"period\": {\"month\": \"2025-03\"}}").period())
                .isEqualTo(new Period(Granularity.MONTH, 202503));
        Period year = parser.firstVisits("{\"period\": {\"year\": 2025}}").period();
        assertThat(year.months()).hasSize(12).startsWith(202501).endsWith(202512);
        assertThat(year.label()).isEqualTo("2025");
        rejected(() -> parser.firstVisits("{}"), "period");
        rejected(() -> parser.firstVisits("{\"period\": {\"month\": 202513}}"), "period.month");
        rejected(() -> parser.firstVisits("{\"period\": {\"month\": 2025}}"), "period.month");
        rejected(() -> parser.firstVisits("{\"period\": {\"month\": 202501, \"year\": 2025}}"), "period");
        rejected(() -> parser.firstVisits("{\"period\": {\"week\": 3}}"), "period", "period.week");
        rejected(() -> parser.firstVisits("{\"period\": 202501}"), "period");
        rejected(() -> parser.firstVisits("{\"period\": {\"year\": 1900}}"), "period.year");
    }

    @Test
    void crossShoppingNamesKnownParticipantsOnce() {
        JourneyRequests.CrossShopping r = parser.crossShopping("{\"period\": {\"year\": 2025}, \"participants\": "
                + pair("edeka-mueller", "baeckerei-schmidt") + ", \"segment\": {\"ageBands\": [\"25-34\"]}}");
        assertThat(r.participants()).containsExactly("edeka-mueller", "baeckerei-schmidt");
        assertThat(r.segment().ageBands()).containsExactly("25-34");
        rejected(() -> parser.crossShopping("{\"period\": {\"year\": 2025}, \"participants\": "
                + "[\"edeka-mueller\", \"edeka-mueller\", \"nobody-here\", 7], \"colour\": 1}"),
                "participants[1]", "participants[2]", "participants[3]", "colour");
        rejected(() -> parser.crossShopping("{\"period\": {\"year\": 2025}}"), "participants");
        rejected(() -> parser.crossShopping("{\"period\": {\"year\": 2025}, \"participants\": [\"a\", \"b\", \"c\","
                + " \"d\", \"e\", \"f\", \"g\", \"h\", \"i\"]}"), "participants");
        rejected(() -> parser.crossShopping("{\"period\": {\"year\": 2025}, \"participants\": "
                + pair("edeka-mueller", "baeckerei-schmidt") + ", \"segment\": {\"ageBands\": [\"9-10\"]}}"),
                "segment.ageBands[0]");
    }

    @Test
    void flowsDefaultToParticipantsWithinSevenDaysAndValidateCategories() {
        JourneyRequests.Flows f = parser.flows("{\"period\": {\"month\": 202503}, \"nodes\": "
                + pair("edeka-mueller", "baeckerei-schmidt") + "}");
        assertThat(f.level()).isEqualTo(Level.PARTICIPANT);
        assertThat(f.within()).isEqualTo(Within.WEEK);
        assertThat(f.within().hours()).isEqualTo(168);
        JourneyRequests.Flows c = parser.flows("{\"period\": {\"month\": 202503}, \"level\": \"category\", \"within\":"
                + " \"1h\", \"nodes\": [\"lebensmittel.backwaren\", \"veranstaltung\", \"unmapped\"]}");
        assertThat(c.nodes()).containsExactly("lebensmittel.backwaren", "veranstaltung", "unmapped");
        assertThat(c.within().hours()).isEqualTo(1);
        rejected(() -> parser.flows("{\"period\": {\"month\": 202503}, \"level\": \"district\", \"within\": \"2h\","
                + " \"nodes\": " + pair("edeka-mueller", "baeckerei-schmidt") + "}"), "level", "within");
        rejected(() -> parser.flows("{\"period\": {\"month\": 202503}, \"level\": \"category\", \"nodes\":"
                + " [\"lebensmittel.backwaren\", \"schuhe.nirgends\"]}"), "nodes[1]");
        rejected(() -> parser.flows("{\"period\": {\"month\": 202503}, \"level\": \"category\", \"nodes\":"
                + " [\"lebensmittel.backwaren\"]}"), "nodes");
    }

    @Test
    void engagementIsPerMonth() {
        assertThat(parser.engagement("{\"period\": {\"month\": 202503}, \"participant\": \"edeka-mueller\"}").participant())
                .isEqualTo("edeka-mueller");
        rejected(() -> parser.engagement("{\"period\": {\"year\": 2025}, \"participant\": \"edeka\"}"),
                "period.year", "participant");
        rejected(() -> parser.whenWhere("{\"period\": {\"year\": 2025}, \"participant\": 3}"), "participant");
        rejected(() -> parser.vouchers("{\"period\": {\"year\": 2025}, \"segment\": {}}"), "segment");
        assertThatThrownBy(() -> parser.vouchers("{\"period\": ")).hasMessageContaining("malformed JSON");
    }

    @Test
    void theOperatorSeesTheWholeMatrix() {
        JourneyRequests.CrossShopping r = JourneyScope.crossShopping(OPERATOR, parser.crossShopping(
                "{\"period\": {\"year\": 2025}, \"participants\": " + pair("baeckerei-schmidt", "metzgerei-brand") + "}"));
        assertThat(r.focus()).isNull();
        assertThat(r.participants()).containsExactly("baeckerei-schmidt", "metzgerei-brand");
        assertThat(JourneyService.pairs(r.participants(), null, false)).hasSize(2);
        rejected(() -> JourneyScope.crossShopping(OPERATOR, parser.crossShopping(
                "{\"period\": {\"year\": 2025}, \"participants\": [\"edeka-mueller\"]}")), "participants");
        assertThat(JourneyScope.flows(OPERATOR, parser.flows("{\"period\": {\"year\": 2025}, \"level\": \"category\","
                + " \"nodes\": [\"lebensmittel.backwaren\", \"veranstaltung\"]}")).focus()).isNull();
        rejected(() -> JourneyScope.engagement(OPERATOR, parser.engagement("{\"period\": {\"month\": 202503}}")),
                "participant");
    }

    @Test
    void aParticipantIsAddedToItsMatrixAndSeesOnlyItsOwnRows() {
        JourneyRequests.CrossShopping one = JourneyScope.crossShopping(EDEKA, parser.crossShopping(
                "{\"period\": {\"year\": 2025}, \"participants\": [\"baeckerei-schmidt\"]}"));
        assertThat(one.participants()).containsExactly("edeka-mueller", "baeckerei-schmidt");
        assertThat(one.focus()).isEqualTo("edeka-mueller");
        JourneyRequests.CrossShopping three = JourneyScope.crossShopping(EDEKA, parser.crossShopping(
                "{\"period\": {\"year\": 2025}, \"participants\": [\"baeckerei-schmidt\", \"edeka-mueller\", \"metzgerei-brand\"]}"));
        List<String[]> rows = JourneyService.pairs(three.participants(), three.focus(), false);
        assertThat(rows).extracting(p -> p[0] + ">" + p[1])
                .containsExactly("edeka-mueller>baeckerei-schmidt", "edeka-mueller>metzgerei-brand");
        assertThat(JourneyService.pairs(three.participants(), three.focus(), true)).extracting(p -> p[0] + ">" + p[1])
                .containsExactlyInAnyOrder("edeka-mueller>baeckerei-schmidt", "edeka-mueller>metzgerei-brand",
                        "baeckerei-schmidt>edeka-mueller", "metzgerei-brand>edeka-mueller");
    }

    @Test
    void aParticipantNamingOthersPairsOrFiguresIsForbiddenWithTheField() {
        forbidden(() -> JourneyScope.crossShopping(EDEKA, parser.crossShopping("{\"period\": {\"year\": 2025},"
                + " \"participants\": " + pair("baeckerei-schmidt", "metzgerei-brand") + "}")), "participants");
        forbidden(() -> JourneyScope.flows(EDEKA, parser.flows("{\"period\": {\"year\": 2025},"
                + " \"nodes\": " + pair("baeckerei-schmidt", "metzgerei-brand") + "}")), "nodes");
        forbidden(() -> JourneyScope.flows(EDEKA, parser.flows("{\"period\": {\"year\": 2025}, \"level\": \"category\","
                + " \"nodes\": [\"lebensmittel.backwaren\", \"veranstaltung\"]}")), "level");
        forbidden(() -> JourneyScope.whenWhere(EDEKA, parser.whenWhere("{\"period\": {\"year\": 2025},"
                + " \"participant\": \"baeckerei-schmidt\"}")), "participant");
        forbidden(() -> JourneyScope.engagement(EDEKA, parser.engagement("{\"period\": {\"month\": 202503},"
                + " \"participant\": \"baeckerei-schmidt\"}")), "participant");
        assertThat(JourneyScope.whenWhere(EDEKA, parser.whenWhere("{\"period\": {\"year\": 2025}}")).participant())
                .isEqualTo("edeka-mueller");
        assertThat(JourneyScope.engagement(EDEKA, parser.engagement("{\"period\": {\"month\": 202503}}")).participant())
                .isEqualTo("edeka-mueller");
        assertThat(JourneyScope.vouchers(EDEKA, parser.vouchers("{\"period\": {\"year\": 2025}}")).focus())
                .isEqualTo("edeka-mueller");
    }
}
