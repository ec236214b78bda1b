package de.prokommun.insights.query.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.http.Problem;
import de.prokommun.insights.query.audience.Breakdown;
import de.prokommun.insights.query.audience.CityCatalog;
import de.prokommun.insights.query.audience.InvalidRequestException;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class InsightsRequestParserTest {

    private final InsightsRequestParser parser = new InsightsRequestParser(
            new CityCatalog(Path.of("..", "cities")).city("musterstadt").orElseThrow(), 50);

    private static void rejected(ThrowingCallable call, String... fields) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidRequestException.class,
                e -> assertThat(e.problems()).extracting(Problem::field).containsExactlyInAnyOrder(fields));
    }

    @Test
    void affinityForAYearOrAMonth() {
        InsightsRequests.Affinity y = parser.affinity("{\"category\": \"Lebensmittel.Backwaren\", \"year\": 2025,"
                + " \"segmentBy\": \"ageBand\"}");
        assertThat(y).isEqualTo(new InsightsRequests.Affinity("lebensmittel.backwaren", Granularity.YEAR, 2025,
                Breakdown.AGE_BAND, null));
        InsightsRequests.Affinity m = parser.affinity("{\"category\": \"lebensmittel.backwaren\", \"month\": \"2025-03\","
                + " \"segmentBy\": \"persona\", \"personas\": [\"Family\", \"senior\"]}");
        assertThat(m.granularity()).isEqualTo(Granularity.MONTH);
        assertThat(m.period()).isEqualTo(202503);
        assertThat(m.personas()).containsExactly("family", "senior");
    }

    @Test
    void affinityErrorsNameEveryField() {
        rejected(() -> parser.affinity("{\"category\": \"lebensmittel\", \"year\": 2025, \"month\": \"2025-01\","
                + " \"segmentBy\": \"shoe\", \"colour\": 1}"), "category", "month", "segmentBy", "colour");
        rejected(() -> parser.affinity("{\"category\": \"x.y\", \"segmentBy\": \"gender\"}"), "category", "year");
        rejected(() -> parser.affinity("{\"category\": \"lebensmittel.backwaren\", \"month\": \"2025-13\","
                + " \"segmentBy\": \"gender\", \"personas\": [\"family\"]}"), "month", "personas");
        assertThatThrownBy(() -> parser.affinity("{\"category\": \"lebensmittel\", \"year\": 2025, \"segmentBy\": \"gender\"}"))
                .hasMessageContaining("first-level category").hasMessageContaining("lebensmittel.backwaren");
        assertThatThrownBy(() -> parser.affinity("{\"category\": ")).hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> parser.affinity("[]")).hasMessageContaining("must be a JSON object");
    }

    @Test
    void customersByPersonaByDefaultAndErrorsNameTheField() {
        assertThat(parser.customers("{}")).isEqualTo(new InsightsRequests.Customers(null, Breakdown.PERSONA));
        assertThat(parser.customers("{\"participant\": \"baeckerei-schmidt\", \"segmentBy\": \"district\"}"))
                .isEqualTo(new InsightsRequests.Customers("baeckerei-schmidt", Breakdown.DISTRICT));
        rejected(() -> parser.customers("{\"participant\": \"no shop!\", \"segmentBy\": \"shoe\", \"month\": 1}"),
                "participant", "segmentBy", "month");
        rejected(() -> parser.customers("{\"participant\": 7}"), "participant");
    }

    @Test
    void historyRangesAreCheckedAndQuarterIsExplained() {
        InsightsRequests.History h = parser.history("{\"category\": \"lebensmittel.backwaren\", \"granularity\": \"year\","
                + " \"from\": 2022, \"to\": \"2025\", \"segmentBy\": \"district\"}");
        assertThat(h).isEqualTo(new InsightsRequests.History("lebensmittel.backwaren", Granularity.YEAR, 2022, 2025,
                Breakdown.DISTRICT, null));
        assertThatThrownBy(() -> parser.history("{\"category\": \"lebensmittel.backwaren\", \"granularity\": \"quarter\","
                + " \"from\": 2022, \"to\": 2025}")).hasMessageContaining("granularity").hasMessageContaining("quarter are not kept");
        rejected(() -> parser.history("{\"category\": \"lebensmittel.backwaren\", \"granularity\": \"month\","
                + " \"from\": \"2025-06\", \"to\": \"2025-01\"}"), "from");
        rejected(() -> parser.history("{\"category\": \"lebensmittel.backwaren\", \"granularity\": \"month\","
                + " \"from\": \"2020-01\", \"to\": \"2025-01\"}"), "to");
        rejected(() -> parser.history("{\"category\": \"lebensmittel.backwaren\", \"granularity\": \"month\","
                + " \"from\": 2024, \"to\": \"2025-01\"}"), "from");
        rejected(() -> parser.history("{\"category\": \"lebensmittel.backwaren\", \"granularity\": \"year\","
                + " \"from\": 1999, \"to\": 2001}"), "from");
    }

    @Test
    void trendTakesTheSegmentInAgeBands() {
        InsightsRequests.Trend t = parser.trend("{\"category\": \"lebensmittel.backwaren\", \"granularity\": \"month\","
                + " \"from\": \"2025-01\", \"to\": \"2025-03\", \"segment\": {\"ageBands\": [\"25-34\"], \"districts\": [\"saarn\"]}}");
        assertThat(t.segment().ageBands()).containsExactly("25-34");
        assertThat(t.segment().districts()).containsExactly("Saarn");
        rejected(() -> parser.trend("{\"category\": \"lebensmittel.backwaren\", \"granularity\": \"year\", \"from\": 2024,"
                + " \"to\": 2025, \"segment\": {\"ageFrom\": 18, \"ageBands\": [\"18-99\"], \"genders\": []}}"),
                "segment.ageFrom", "segment.ageBands[0]", "segment.genders");
    }

    @Test
    void assortmentDefaultsAndLimits() {
        InsightsRequests.Assortment a = parser.assortment("{\"category\": \"lebensmittel.backwaren\"}");
        assertThat(a.years()).isEqualTo(InsightsRequestParser.DEFAULT_ASSORTMENT_YEARS);
        assertThat(a.customerOf()).isNull();
        assertThat(a.personas()).isEmpty();
        rejected(() -> parser.assortment("{\"category\": \"lebensmittel.backwaren\", \"years\": 11, \"customerOf\": 5,"
                + " \"personas\": [\"pirate\"]}"), "years", "customerOf", "personas[0]");
    }
}
