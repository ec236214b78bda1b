package de.prokommun.insights.query.audience;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The same audience asked in another order or phrasing must be the same question (same answer, one charge). */
class CanonicalQuestionTest {

    private final AudienceRequestParser parser = new AudienceRequestParser(Vocabularies.musterstadt(), 50);

    private String canonical(String body) {
        AudienceRequest r = parser.parse(body);
        return new AudienceQuery("profiles", "musterstadt", r.filter(), r.breakdown()).question().canonicalForm();
    }

    @Test
    void orderOfFieldsAndValuesCaseAndDuplicatesDoNotMatter() {
        String a = canonical("""
                {"filter": {"ageFrom": 18, "ageTo": 34, "genders": ["FEMALE", "MALE"], "districts": ["Saarn", "Broich"],
                 "personas": ["family"], "interests": ["sport", "kultur"]}, "breakdown": "district"}""");
        String b = canonical("""
                {"breakdown": "district", "filter": {"interests": ["Kultur", "SPORT", "sport"], "personas": ["FAMILY"],
                 "districts": ["broich", "saarn", "Saarn"], "genders": ["male", "female"], "ageTo": 34, "ageFrom": 18}}""");
        assertThat(a).isEqualTo(b);
        assertThat(a).isEqualTo("audience.size?age=18..34&breakdown=district&districts=Broich,Saarn"
                + "&genders=FEMALE,MALE&interests=kultur,sport&personas=family");
    }

    @Test
    void equivalentPhrasingsAreOneQuestion() {
        assertThat(canonical("{\"filter\": {\"ageFrom\": 18}}"))
                .isEqualTo(canonical("{\"filter\": {\"ageFrom\": 18, \"ageTo\": 120}}"));
        assertThat(canonical("{\"filter\": {\"ageTo\": 17}}"))
                .isEqualTo(canonical("{\"filter\": {\"ageFrom\": 0, \"ageTo\": 17}}"));
        assertThat(canonical("{\"filter\": {\"consentOffers\": false}}")).isEqualTo(canonical("{}"));
        assertThat(canonical("{\"filter\": {}}")).isEqualTo(canonical("{}")).isEqualTo("audience.size");
    }

    @Test
    void differentAudiencesAreDifferentQuestions() {
        assertThat(canonical("{\"filter\": {\"ageFrom\": 18}}")).isNotEqualTo(canonical("{\"filter\": {\"ageFrom\": 19}}"));
        assertThat(canonical("{\"filter\": {\"consentOffers\": true}}")).isNotEqualTo(canonical("{}"));
        assertThat(canonical("{\"breakdown\": \"gender\"}")).isNotEqualTo(canonical("{}"));
        assertThat(canonical("{\"filter\": {\"districts\": [\"Saarn\"]}}"))
                .isNotEqualTo(canonical("{\"filter\": {\"districts\": [\"Saarn\", \"Broich\"]}}"));
    }

    @Test
    void personaCellsAreQuestionsOfTheirOwn() {
        AudienceRequest r = parser.parse("{\"filter\": {\"ageFrom\": 18}, \"breakdown\": \"persona\"}");
        AudienceQuery q = new AudienceQuery("profiles", "musterstadt", r.filter(), r.breakdown());
        assertThat(q.cellQuestion("family").canonicalForm())
                .isEqualTo("audience.size?age=18..120&breakdown=persona&cell=family");
        assertThat(q.cellQuestion("family")).isNotEqualTo(q.cellQuestion("student"));
    }
}
