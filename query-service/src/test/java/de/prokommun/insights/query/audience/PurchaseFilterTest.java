package de.prokommun.insights.query.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.http.Problem;
import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** boughtCategory, customerOf, activeWithinDays: validation, SQL, canonical form and who may use customerOf. */
class PurchaseFilterTest {

    private static final int TODAY = 20_500;
    private final CityVocabulary city = Vocabularies.musterstadt();
    private final AudienceRequestParser parser = new AudienceRequestParser(city, 50);

    private AudienceQuery query(String body) {
        AudienceRequest r = parser.parse(body);
        return new AudienceQuery("profiles", "musterstadt", r.filter(), r.breakdown(), city.categories(), TODAY);
    }

    @Test
    void aSecondLevelCategoryIsOneTag() {
        AudienceQuery q = query("{\"filter\": {\"boughtCategory\": {\"category\": \"Lebensmittel.Backwaren\", \"year\": 2025}}}");
        assertThat(q.countSql()).isEqualTo("SELECT COUNT(*) FROM profiles WHERE city = 'musterstadt' AND deleted = false"
                + " AND purchaseTags IN ('category:lebensmittel.backwaren:2025')");
        assertThat(q.question().canonicalForm()).isEqualTo("audience.size?boughtCategory=lebensmittel.backwaren:2025");
    }

    @Test
    void aFirstLevelCategoryMeansAnyOfItsChildrenCountedOnce() {
        String sql = query("{\"filter\": {\"boughtCategory\": {\"category\": \"lebensmittel\", \"year\": 2024}}}").countSql();
        assertThat(city.categories().leaves("lebensmittel")).hasSizeGreaterThan(5);
        for (String leaf : city.categories().leaves("lebensmittel")) assertThat(sql).contains("'category:" + leaf + ":2024'");
        assertThat(sql).containsOnlyOnce("purchaseTags IN (");
    }

    @Test
    void customerOfAndActiveWithinDaysCombineWithDemographics() {
        AudienceQuery q = query("{\"filter\": {\"genders\": [\"FEMALE\"], \"customerOf\": \"baeckerei-schmidt\","
                + " \"activeWithinDays\": 90}}");
        assertThat(q.countSql()).isEqualTo("SELECT COUNT(*) FROM profiles WHERE city = 'musterstadt' AND deleted = false"
                + " AND gender IN ('FEMALE') AND purchaseTags = 'customer:baeckerei-schmidt' AND lastPurchaseDay >= "
                + (TODAY - 90));
        assertThat(q.question().canonicalForm())
                .isEqualTo("audience.size?activeWithinDays=90&customerOf=baeckerei-schmidt&genders=FEMALE");
    }

    @Test
    void activeWithinDaysNeedsToday() {
        AudienceRequest r = parser.parse("{\"filter\": {\"activeWithinDays\": 30}}");
        assertThatThrownBy(() -> new AudienceQuery("profiles", "musterstadt", r.filter(), Optional.empty()).countSql())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badPurchaseFiltersNameTheFieldAndTheReason() {
        assertThatThrownBy(() -> parser.parse("{\"filter\": {\"boughtCategory\": {\"category\": \"waffen\", \"year\": 1990,"
                + " \"shop\": 1}, \"customerOf\": \"a b\", \"activeWithinDays\": 0}}"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.problems())
                        .extracting(Problem::field).containsExactlyInAnyOrder("filter.boughtCategory.category",
                                "filter.boughtCategory.year", "filter.boughtCategory.shop", "filter.customerOf",
                                "filter.activeWithinDays"))
                .hasMessageContaining("not a category of musterstadt").hasMessageContaining("between 2000 and 2100");
        assertThatThrownBy(() -> parser.parse("{\"filter\": {\"boughtCategory\": \"lebensmittel\"}}"))
                .hasMessageContaining("filter.boughtCategory: must be an object");
        assertThatThrownBy(() -> parser.parse("{\"filter\": {\"boughtCategory\": {\"year\": 2025}}}"))
                .hasMessageContaining("filter.boughtCategory.category: is required");
    }

    @Test
    void aParticipantMayAskOnlyAboutItsOwnCustomersTheOperatorAboutAnyone() {
        AudienceFilter others = AudienceFilter.everyone().withCustomerOf("metzgerei-meier");
        Asker baker = new Asker("musterstadt", "baeckerei-schmidt", AskerRole.PARTICIPANT);
        assertThatThrownBy(() -> AskerScope.check(baker, others))
                .isInstanceOfSatisfying(ForbiddenFieldException.class,
                        e -> assertThat(e.problem().field()).isEqualTo("filter.customerOf"))
                .hasMessageContaining("only about its own customers");
        AskerScope.check(baker, AudienceFilter.everyone().withCustomerOf("baeckerei-schmidt"));
        AskerScope.check(new Asker("musterstadt", "stadtmarketing", AskerRole.OPERATOR), others);
    }
}
