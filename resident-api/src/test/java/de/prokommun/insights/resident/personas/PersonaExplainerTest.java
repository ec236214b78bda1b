package de.prokommun.insights.resident.personas;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.resident.personas.PersonaExplainer.Explanation;
import de.prokommun.insights.resident.personas.PersonaExplainer.Reason;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Against the real rules of Musterstadt (cities/musterstadt/personas.json). */
class PersonaExplainerTest {

    private final PersonaExplainer explainer = new PersonaExplainer(new PersonaRules(Path.of("..", "cities")));

    private static ProfileRow profile(int age, String household, List<String> interests, List<String> personas) {
        return ProfileRow.newBuilder().setPseudonym("p").setCity("musterstadt").setAge(age).setBirthYear(2026 - age)
                .setGender("FEMALE").setHouseholdType(household).setInterests(interests).setPersonas(personas)
                .setUpdatedAt(0).setVersion(1).build();
    }

    private Explanation only(ProfileRow p) {
        List<Explanation> all = explainer.explain("musterstadt", p);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    void studentNamesAgeRangeAndTheMatchingInterest() {
        Explanation e = only(profile(24, "SHARED", List.of("uni", "sport"), List.of("student")));
        assertThat(e.persona()).isEqualTo("student");
        assertThat(e.reasons()).extracting(Reason::condition).containsExactly("age", "interestsAny");
        assertThat(e.reasons()).allMatch(r -> Boolean.TRUE.equals(r.holds()));
        assertThat(e.reasons().get(0).de()).contains("18 bis 29").contains("24");
        assertThat(e.reasons().get(1).de()).contains("uni").doesNotContain("sport ");
        assertThat(e.reasons().get(1).en()).contains("you declared the interest uni");
    }

    @Test
    void theExplanationCarriesThePersonasGermanAndEnglishName() {
        Explanation e = only(profile(40, "FAMILY", List.of(), List.of("family")));
        assertThat(e.label()).isEqualTo(new de.prokommun.insights.city.Label("Familien", "Families"));
        assertThat(e.reasons().get(0).de()).contains("Familie");
        assertThat(e.reasons().get(0).en()).contains("family");
    }

    @Test
    void seniorHasAnOpenUpperBound() {
        Reason r = only(profile(70, "COUPLE", List.of(), List.of("senior"))).reasons().get(0);
        assertThat(r.de()).startsWith("Alter ab 65 Jahren");
        assertThat(r.en()).startsWith("age 65 years or older");
    }

    @Test
    void singleCombinesAgeAndHousehold() {
        Explanation e = only(profile(40, "SINGLE", List.of(), List.of("single")));
        assertThat(e.reasons()).extracting(Reason::condition).containsExactly("age", "householdType");
        assertThat(e.reasons().get(1).de()).contains("Single-Haushalt");
    }

    @Test
    void activityIsDescribedNotRecounted() {
        Reason r = only(profile(40, "FAMILY", List.of(), List.of("voucher_user"))).reasons().get(0);
        assertThat(r.condition()).isEqualTo("activity");
        assertThat(r.holds()).isNull();
        assertThat(r.en()).isEqualTo("at least 2 voucher purchases or redemptions in the last 180 days");
        assertThat(r.de()).startsWith("mindestens 2 ").endsWith("in den letzten 180 Tagen");
    }

    @Test
    void anyOfShowsTheBlockTheProfileProves() {
        Explanation byInterest = only(profile(40, "FAMILY", List.of("Theater"), List.of("culture_fan")));
        assertThat(byInterest.reasons()).extracting(Reason::condition).containsExactly("interestsAny");
        assertThat(byInterest.reasons().get(0).de()).contains("theater");
        Explanation byActivity = only(profile(40, "FAMILY", List.of(), List.of("culture_fan")));
        assertThat(byActivity.reasons()).extracting(Reason::condition).containsExactly("activity");
        assertThat(byActivity.reasons().get(0).en()).contains("check-ins (category theater)").contains("180 days");
    }

    @Test
    void aConditionTheProfileNoLongerMeetsIsShownAsNotHolding() {
        Reason r = only(profile(31, "SHARED", List.of(), List.of("young_adult"))).reasons().get(0);
        assertThat(r.holds()).isFalse();
    }

    @Test
    void aPersonaWithoutRuleIsExplainedAsSuch() {
        Explanation e = only(profile(40, "FAMILY", List.of(), List.of("abgeschafft")));
        assertThat(e.reasons()).singleElement().extracting(Reason::condition).isEqualTo("rule");
    }
}
