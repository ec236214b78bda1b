package de.prokommun.insights.flink.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.flink.Fixtures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PersonaRulesTest {

    private static final int TODAY = 20_000;
    private final PersonaRules rules = Fixtures.cities().city("musterstadt").orElseThrow().personaRules();

    private static PersonFacts person(Integer age, String household, Set<String> interests, Map<String, int[]> activity) {
        return new PersonFacts(age, household, "FEMALE", interests, activity, TODAY);
    }

    @Test
    void musterstadtDefinesTheRequiredPersonas() {
        assertThat(rules.personaNames()).contains("teenager", "young_adult", "student", "single", "couple", "family",
                "single_parent", "best_ager", "senior", "voucher_user", "club_member", "culture_fan");
    }

    @Test
    void demographicPersonas() {
        assertThat(rules.personasOf(person(15, "FAMILY", Set.of(), Map.of()))).containsExactly("teenager", "family");
        assertThat(rules.personasOf(person(22, "SINGLE", Set.of("uni"), Map.of()))).containsExactly("young_adult", "student", "single");
        assertThat(rules.personasOf(person(22, "SHARED", Set.of("fussball"), Map.of()))).containsExactly("young_adult");
        assertThat(rules.personasOf(person(40, "SINGLE_PARENT", Set.of(), Map.of()))).containsExactly("single_parent");
        assertThat(rules.personasOf(person(55, "COUPLE", Set.of(), Map.of()))).containsExactly("couple", "best_ager");
        assertThat(rules.personasOf(person(70, "SINGLE", Set.of("theater"), Map.of()))).containsExactly("single", "senior", "culture_fan");
        assertThat(rules.personasOf(person(null, "UNKNOWN", Set.of(), Map.of()))).isEmpty();
    }

    @Test
    void behaviouralPersonasCountActivityInTheirWindow() {
        Map<String, int[]> activity = new HashMap<>();
        activity.put("voucher", new int[] {TODAY - 10, TODAY - 200});
        activity.put("checkin:club", new int[] {TODAY - 1, TODAY - 2});
        activity.put("checkin:sport", new int[] {TODAY - 89});
        PersonFacts f = person(40, "COUPLE", Set.of(), activity);
        assertThat(rules.personasOf(f)).contains("club_member").doesNotContain("voucher_user");
        assertThat(rules.nextActivityExpiry(f)).hasValue(TODAY + 1);

        activity.put("voucher", new int[] {TODAY - 10, TODAY - 179});
        assertThat(rules.personasOf(person(40, "COUPLE", Set.of(), activity))).contains("voucher_user");
    }

    @Test
    void theNewestOccurrencesDecideEveryRuleTodayAndOnEveryLaterDay() {
        int window = rules.maxWindowDays();
        int keep = rules.maxAtLeast();
        assertThat(keep).as("Musterstadt's rules count at most 4 occurrences (regular shoppers)").isEqualTo(4);
        java.util.Random random = new java.util.Random(12);
        List<String> signals = List.of("purchase", "voucher", "checkin:club", "checkin:sport", "checkin:verein");
        for (int person = 0; person < 2_000; person++) {
            Map<String, int[]> all = new HashMap<>();
            Map<String, int[]> pruned = new HashMap<>();
            for (String signal : signals) {
                int[] days = random.ints(random.nextInt(40), TODAY - window - 30, TODAY + 1).toArray();
                all.put(signal, days);
                pruned.put(signal, ProfileBuilder.pruned(days, TODAY, window, keep));
                assertThat(pruned.get(signal).length).isLessThanOrEqualTo(keep);
            }
            for (int day = TODAY; day <= TODAY + window; day++) {
                PersonFacts full = new PersonFacts(40, "COUPLE", "FEMALE", Set.of(), all, day);
                PersonFacts kept = new PersonFacts(40, "COUPLE", "FEMALE", Set.of(), pruned, day);
                assertThat(rules.personasOf(kept)).as("person %d on day +%d", person, day - TODAY)
                        .isEqualTo(rules.personasOf(full));
            }
        }
    }

    @Test
    void ageBoundariesOfTheRulesAreKnown() {
        assertThat(rules.nextAgeBoundaryAbove(17)).hasValue(18);
        assertThat(rules.nextAgeBoundaryAbove(29)).hasValue(30);
        assertThat(rules.nextAgeBoundaryAbove(65)).isEmpty();
    }

    @Test
    void malformedRulesAreRejectedWithTheReason() {
        assertThatThrownBy(() -> PersonaRules.parse("{\"personas\":[{\"persona\":\"x\",\"agee\":{}}]}"))
                .hasMessageContaining("'personas[0].agee' is not a known field");
        assertThatThrownBy(() -> PersonaRules.parse("{\"personas\":[{\"persona\":\"x\",\"activity\":{\"signals\":[\"v\"]}}]}"))
                .hasMessageContaining("withinDays");
        assertThatThrownBy(() -> PersonaRules.parse("{\"personas\":[{\"persona\":\"x\"},{\"persona\":\"x\"}]}"))
                .hasMessageContaining("defined twice");
        assertThat(PersonaRules.parse("{\"personas\":[]}").personasOf(person(30, "SINGLE", Set.of(), Map.of()))).isEqualTo(List.of());
    }
}
