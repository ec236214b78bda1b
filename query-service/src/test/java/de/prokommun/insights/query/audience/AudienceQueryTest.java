package de.prokommun.insights.query.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class AudienceQueryTest {

    private final AudienceRequestParser parser = new AudienceRequestParser(Vocabularies.musterstadt(), 50);

    private AudienceQuery query(String body) {
        AudienceRequest r = parser.parse(body);
        return new AudienceQuery("profiles", "musterstadt", r.filter(), r.breakdown());
    }

    @Test
    void everyQueryIsConfinedToTheCityAndToProfilesNotDeleted() {
        assertThat(query("{}").countSql())
                .isEqualTo("SELECT COUNT(*) FROM profiles WHERE city = 'musterstadt' AND deleted = false");
    }

    @Test
    void dimensionsAreAndedValuesWithinADimensionAreOred() {
        String sql = query("""
                {"filter": {"ageFrom": 18, "ageTo": 34, "genders": ["MALE", "FEMALE"], "personas": ["family", "single"],
                 "interests": ["sport"], "districts": ["Saarn", "Broich"], "householdTypes": ["FAMILY"],
                 "consentOffers": true}}""").countSql();
        assertThat(sql).isEqualTo("SELECT COUNT(*) FROM profiles WHERE city = 'musterstadt' AND deleted = false"
                + " AND age BETWEEN 18 AND 34 AND gender IN ('FEMALE', 'MALE') AND personas IN ('family', 'single')"
                + " AND interests IN ('sport') AND district IN ('Broich', 'Saarn') AND householdType IN ('FAMILY')"
                + " AND consentOffers = true");
    }

    @Test
    void anOpenAgeBoundIsClosedAtTheLimits() {
        assertThat(query("{\"filter\": {\"ageFrom\": 65}}").countSql()).endsWith("AND age BETWEEN 65 AND 120");
        assertThat(query("{\"filter\": {\"ageTo\": 17}}").countSql()).endsWith("AND age BETWEEN 0 AND 17");
    }

    @Test
    void aCampaignsReachLeavesOutEveryResidentWithAnApplyingObjectionAndIsAQuestionOfItsOwn() {
        AudienceQuery audience = query("{\"filter\": {\"genders\": [\"FEMALE\"], \"consentOffers\": true}}");
        CategoryTaxonomy taxonomy = new CategoryTaxonomy(java.util.Map.of("lebensmittel",
                java.util.List.of("lebensmittel.backwaren")));
        AudienceQuery reach = audience.withoutObjections(OfferObjections.against("baeckerei-schmidt",
                "lebensmittel.backwaren", taxonomy));
        assertThat(reach.countSql()).isEqualTo(audience.countSql() + " AND offerObjections NOT IN ('all',"
                + " 'category:lebensmittel', 'category:lebensmittel.backwaren', 'participant:baeckerei-schmidt')");
        assertThat(reach.question().kind()).isEqualTo(AudienceQuery.REACH_KIND);
        assertThat(reach.question().canonicalForm()).isNotEqualTo(audience.question().canonicalForm());
        assertThat(OfferObjections.against("baeckerei-schmidt", null, taxonomy))
                .containsExactly("all", "participant:baeckerei-schmidt");
    }

    @Test
    void consentOffersFalseDoesNotRestrict() {
        assertThat(query("{\"filter\": {\"consentOffers\": false}}").countSql()).isEqualTo(query("{}").countSql());
    }

    @Test
    void breakdownGroupsByTheDimensionsColumnWithALimitAboveEveryCell() {
        assertThat(query("{\"filter\": {\"genders\": [\"FEMALE\"]}, \"breakdown\": \"ageBand\"}").breakdownSql(108))
                .isEqualTo("SELECT ageBand, COUNT(*) FROM profiles WHERE city = 'musterstadt' AND deleted = false"
                        + " AND gender IN ('FEMALE') GROUP BY ageBand LIMIT 108");
        assertThat(query("{\"breakdown\": \"persona\"}").breakdownSql(10)).contains("SELECT personas, COUNT(*)")
                .contains("GROUP BY personas");
        assertThat(query("{\"breakdown\": \"householdType\"}").breakdownSql(10)).contains("GROUP BY householdType");
        assertThat(query("{\"breakdown\": \"district\"}").breakdownSql(10)).contains("GROUP BY district");
        assertThat(query("{\"breakdown\": \"gender\"}").breakdownSql(10)).contains("GROUP BY gender");
    }

    @Test
    void quotesInsideValuesCannotEndTheLiteral() {
        // Values are checked against the vocabulary first; a city configured with a quote is still safe.
        AudienceFilter f = new AudienceFilter(null, null, null, null, null,
                new TreeSet<>(java.util.Set.of("St. Anna's")), null, false);
        String sql = new AudienceQuery("profiles", "o'city", f, Optional.empty()).countSql();
        assertThat(sql).isEqualTo("SELECT COUNT(*) FROM profiles WHERE city = 'o''city' AND deleted = false"
                + " AND district IN ('St. Anna''s')");
    }

    @Test
    void controlCharactersAndBadTableNamesNeverReachSql() {
        AudienceFilter f = new AudienceFilter(null, null, null, null, new TreeSet<>(java.util.Set.of("a\u0000b")),
                null, null, false);
        assertThatThrownBy(() -> new AudienceQuery("profiles", "musterstadt", f, Optional.empty()).countSql())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AudienceQuery("profiles; DROP", "musterstadt", f, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutBreakdownThereIsNoGroupQuery() {
        assertThatThrownBy(() -> query("{}").breakdownSql(10)).isInstanceOf(IllegalStateException.class);
    }
}
