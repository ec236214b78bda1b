package de.prokommun.insights.resident.changes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.events.ConsentChanged;
import de.prokommun.insights.events.Gender;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.events.ProfileChanged;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeRequestParserTest {

    private static final LocalDate TODAY = LocalDate.parse("2026-11-29");

    private static List<FieldProblem> problems(Runnable r) {
        try {
            r.run();
        } catch (InvalidRequestException e) {
            return e.problems();
        }
        throw new AssertionError("expected an InvalidRequestException");
    }

    @Test
    void aValidPatchSetsOnlyTheGivenFields() {
        ProfileChanged c = ChangeRequestParser.profileChange(new JsonObject(
                "{\"gender\": \"DIVERSE\", \"postcode\": \"45481\", \"interests\": [\"Kultur\", \"sport\"]}"), TODAY);
        assertThat(c.getGender()).isEqualTo(Gender.DIVERSE);
        assertThat(c.getPostcode()).isEqualTo("45481");
        assertThat(c.getInterests()).containsExactly("Kultur", "sport");
        assertThat(c.getBirthDate()).isNull();
        assertThat(c.getHouseholdType()).isNull();
        assertThat(ChangeRequestParser.profileChange(new JsonObject("{\"birthDate\": \"1990-02-28\", \"householdType\": \"FAMILY\"}"), TODAY)
                .getHouseholdType()).isEqualTo(HouseholdType.FAMILY);
    }

    @Test
    void everyBadFieldIsReportedByName() {
        List<FieldProblem> p = problems(() -> ChangeRequestParser.profileChange(new JsonObject(
                "{\"birthDate\": \"1990-02-30\", \"gender\": \"female\", \"postcode\": \"4548\", \"householdType\": 3,"
                        + " \"interests\": [\"ok\", \"\"], \"name\": \"Erika\"}"), TODAY));
        assertThat(p).extracting(FieldProblem::field)
                .containsExactlyInAnyOrder("birthDate", "gender", "postcode", "householdType", "interests[1]", "name");
        assertThat(p).filteredOn(f -> f.field().equals("gender")).singleElement()
                .extracting(FieldProblem::reason).asString().contains("FEMALE").contains("'female'");
        assertThat(p).filteredOn(f -> f.field().equals("name")).singleElement()
                .extracting(FieldProblem::reason).asString().contains("not a known field");
    }

    @Test
    void birthDatesMustGiveAPlausibleAge() {
        assertThat(problems(() -> ChangeRequestParser.profileChange(new JsonObject("{\"birthDate\": \"2026-11-30\"}"), TODAY)))
                .singleElement().extracting(FieldProblem::reason).asString().contains("after today");
        assertThat(problems(() -> ChangeRequestParser.profileChange(new JsonObject("{\"birthDate\": \"1900-01-01\"}"), TODAY)))
                .singleElement().extracting(FieldProblem::reason).asString().contains("126 years");
    }

    @Test
    void anEmptyPatchIsRefused() {
        assertThat(problems(() -> ChangeRequestParser.profileChange(new JsonObject(), TODAY)))
                .singleElement().extracting(FieldProblem::reason).asString().contains("at least one of");
    }

    @Test
    void tooManyInterestsAreRefused() {
        JsonObject body = new JsonObject().put("interests", new io.vertx.core.json.JsonArray(
                java.util.Collections.nCopies(51, "x")));
        assertThat(problems(() -> ChangeRequestParser.profileChange(body, TODAY)))
                .singleElement().extracting(FieldProblem::field).isEqualTo("interests");
    }

    @Test
    void consentsNeedAllThreeBooleans() {
        ConsentChanged c = ChangeRequestParser.consents(new JsonObject("{\"analytics\": true, \"offers\": false, \"newsletter\": true}"));
        assertThat(c.getAnalytics()).isTrue();
        assertThat(c.getOffers()).isFalse();
        assertThat(c.getNewsletter()).isTrue();
        assertThat(problems(() -> ChangeRequestParser.consents(new JsonObject("{\"analytics\": \"yes\", \"offers\": false}"))))
                .extracting(FieldProblem::field).containsExactlyInAnyOrder("analytics", "newsletter");
    }

    @Test
    void receiptsAreBounded() {
        assertThat(ChangeRequestParser.receipt("B-2026-0001")).isEqualTo("B-2026-0001");
        assertThatThrownBy(() -> ChangeRequestParser.receipt("x".repeat(65))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> ChangeRequestParser.receipt("a\nb")).isInstanceOf(InvalidRequestException.class);
    }
}
