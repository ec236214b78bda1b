package de.prokommun.insights.query.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import de.prokommun.insights.http.Problem;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AudienceRequestParserTest {

    private final AudienceRequestParser parser = new AudienceRequestParser(Vocabularies.musterstadt(), 5);

    private List<Problem> problems(String body) {
        return catchThrowableOfType(InvalidRequestException.class, () -> parser.parse(body)).problems();
    }

    @Test
    void parsesEveryFilterAndTheBreakdown() {
        AudienceRequest r = parser.parse("""
                {"filter": {"ageFrom": 18, "ageTo": 34, "genders": ["FEMALE"], "personas": ["family"],
                 "interests": ["Sport"], "districts": ["Saarn"], "householdTypes": ["FAMILY"], "consentOffers": true},
                 "breakdown": "ageBand"}""");
        AudienceFilter f = r.filter();
        assertThat(f.ageFrom()).isEqualTo(18);
        assertThat(f.ageTo()).isEqualTo(34);
        assertThat(f.genders()).containsExactly("FEMALE");
        assertThat(f.personas()).containsExactly("family");
        assertThat(f.interests()).containsExactly("sport");
        assertThat(f.districts()).containsExactly("Saarn");
        assertThat(f.householdTypes()).containsExactly("FAMILY");
        assertThat(f.consentOffers()).isTrue();
        assertThat(r.breakdown()).contains(Breakdown.AGE_BAND);
    }

    @Test
    void everyFilterIsOptional() {
        assertThat(parser.parse("{}")).isEqualTo(new AudienceRequest(AudienceFilter.everyone(), Optional.empty()));
        assertThat(parser.parse("{\"filter\": {}}").filter()).isEqualTo(AudienceFilter.everyone());
        assertThat(parser.parse("{\"breakdown\": \"persona\"}").breakdown()).contains(Breakdown.PERSONA);
    }

    @Test
    void valuesAreMatchedInAnyCaseAndReturnedInCanonicalSpelling() {
        AudienceFilter f = parser.parse("""
                {"filter": {"genders": ["female", "FEMALE"], "districts": ["saarn", "HEIßEN"], "personas": ["Family"],
                 "householdTypes": ["single_parent"]}}""").filter();
        assertThat(f.genders()).containsExactly("FEMALE");
        assertThat(f.districts()).containsExactly("Heißen", "Saarn");
        assertThat(f.personas()).containsExactly("family");
        assertThat(f.householdTypes()).containsExactly("SINGLE_PARENT");
    }

    @Test
    void reportsEveryBadFieldWithItsReason() {
        List<Problem> problems = problems("""
                {"filter": {"ageFrom": 130, "ageTo": -1, "genders": ["CAT"], "districts": ["Atlantis"],
                 "personas": ["astronaut"], "colour": "red", "consentOffers": "yes"}, "breakdown": "shoeSize", "x": 1}""");
        assertThat(problems).extracting(Problem::field).containsExactlyInAnyOrder(
                "x", "filter.colour", "filter.ageFrom", "filter.ageTo", "filter.genders[0]", "filter.districts[0]",
                "filter.personas[0]", "filter.consentOffers", "breakdown");
        assertThat(problems).filteredOn(p -> p.field().equals("filter.ageFrom")).first()
                .extracting(Problem::reason).asString().contains("between 0 and 120").contains("130");
        assertThat(problems).filteredOn(p -> p.field().equals("filter.districts[0]")).first()
                .extracting(Problem::reason).asString().contains("not a district of musterstadt").contains("Saarn");
        assertThat(problems).filteredOn(p -> p.field().equals("breakdown")).first()
                .extracting(Problem::reason).asString().contains("unknown dimension 'shoeSize'").contains("ageBand");
        assertThat(problems).filteredOn(p -> p.field().equals("filter.colour")).first()
                .extracting(Problem::reason).asString().contains("unknown field");
    }

    @Test
    void ageFromAfterAgeToIsRejected() {
        assertThat(problems("{\"filter\": {\"ageFrom\": 40, \"ageTo\": 30}}"))
                .containsExactly(new Problem("filter.ageFrom", "must not be greater than filter.ageTo (30)"));
    }

    @Test
    void ageMustBeAWholeNumber() {
        assertThat(problems("{\"filter\": {\"ageFrom\": 18.5, \"ageTo\": \"30\"}}"))
                .extracting(Problem::field).containsExactly("filter.ageFrom", "filter.ageTo");
    }

    @Test
    void listsMustBeNonEmptyArraysOfStringsAndNotTooLong() {
        assertThat(problems("{\"filter\": {\"genders\": []}}")).extracting(Problem::reason)
                .containsExactly("must not be empty; leave it out to include everyone");
        assertThat(problems("{\"filter\": {\"genders\": \"FEMALE\"}}")).extracting(Problem::reason)
                .containsExactly("must be an array of strings");
        assertThat(problems("{\"filter\": {\"genders\": [1]}}")).extracting(Problem::field)
                .containsExactly("filter.genders[0]");
        assertThat(problems("{\"filter\": {\"interests\": [\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]}}"))
                .extracting(Problem::reason).containsExactly("lists 6 values; at most 5");
    }

    @Test
    void malformedJsonDuplicateKeysAndNonObjectsAreRejected() {
        assertThat(problems("{\"filter\": ")).extracting(Problem::field).containsExactly("body");
        assertThat(problems("{\"filter\": {}} trailing")).extracting(Problem::field).containsExactly("body");
        assertThat(problems("{\"breakdown\": \"gender\", \"breakdown\": \"district\"}"))
                .extracting(Problem::reason).first().asString().contains("Duplicate field");
        assertThat(problems("[1,2]")).containsExactly(new Problem("body", "must be a JSON object"));
        assertThat(problems("{\"filter\": [1]}")).containsExactly(new Problem("filter", "must be an object"));
    }

    @Test
    void injectionAttemptsAreRejectedNotEscapedIntoTheQuery() {
        assertThat(problems("{\"filter\": {\"districts\": [\"Saarn' OR '1'='1\"]}}"))
                .extracting(Problem::field).containsExactly("filter.districts[0]");
        assertThat(problems("{\"filter\": {\"personas\": [\"family') OR deleted = true --\"]}}"))
                .extracting(Problem::field).containsExactly("filter.personas[0]");
        assertThat(problems("{\"filter\": {\"interests\": [\"sport' OR city <> 'x\"]}}"))
                .extracting(Problem::field).containsExactly("filter.interests[0]");
        assertThat(problems("{\"filter\": {\"genders\": [\"FEMALE' OR 1=1 --\"]}}"))
                .extracting(Problem::field).containsExactly("filter.genders[0]");
        assertThat(problems("{\"breakdown\": \"city, pseudonym\"}"))
                .extracting(Problem::field).containsExactly("breakdown");
    }

    @Test
    void errorMessagesEchoUserInputOnlyShortenedAndPrintable() {
        String longValue = "x".repeat(500) + "\\n";
        Problem p = problems("{\"filter\": {\"districts\": [\"" + longValue + "\"]}}").get(0);
        assertThat(p.reason().length()).isLessThan(400);
        assertThat(p.reason()).doesNotContain("\n");
    }

    @Test
    void nullIsTheSameAsLeavingAFieldOut() {
        assertThat(parser.parse("{\"filter\": {\"genders\": null, \"ageFrom\": null}, \"breakdown\": null}"))
                .isEqualTo(parser.parse("{}"));
    }

    @Test
    void emptyBodyIsMalformed() {
        assertThatThrownBy(() -> parser.parse("")).isInstanceOf(InvalidRequestException.class);
    }
}
