package de.prokommun.insights.resident.changes;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.city.City;
import de.prokommun.insights.city.CityFiles;
import de.prokommun.insights.http.Problem;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ObjectionScopeTest {

    private static final Optional<City> MUSTERSTADT = CityFiles.find(Path.of("..", "cities"), "musterstadt");

    private static Problem problem(Runnable r) {
        try {
            r.run();
        } catch (InvalidRequestException e) {
            assertThat(e.problems()).hasSize(1);
            return e.problems().get(0);
        }
        throw new AssertionError("expected an InvalidRequestException");
    }

    @Test
    void allAParticipantOfTheCityAndACategoryOfItsTaxonomyAreScopes() {
        assertThat(MUSTERSTADT).isPresent();
        assertThat(ObjectionScope.of("all", MUSTERSTADT)).isEqualTo("all");
        assertThat(ObjectionScope.of("participant:baeckerei-schmidt", MUSTERSTADT)).isEqualTo("participant:baeckerei-schmidt");
        assertThat(ObjectionScope.of("category:lebensmittel", MUSTERSTADT)).isEqualTo("category:lebensmittel");
        assertThat(ObjectionScope.of("category:lebensmittel.backwaren", MUSTERSTADT))
                .as("a second-level category").isEqualTo("category:lebensmittel.backwaren");
        assertThat(ObjectionScope.ofBody(new JsonObject().put("scope", "all"), MUSTERSTADT)).isEqualTo("all");
    }

    @Test
    void anUnknownParticipantOrCategoryIsRefusedNamingTheScope() {
        Problem participant = problem(() -> ObjectionScope.of("participant:baeckerei-schmitt", MUSTERSTADT));
        assertThat(participant.field()).isEqualTo("scope");
        assertThat(participant.reason()).isEqualTo("names no participant of your city: 'baeckerei-schmitt'");
        Problem category = problem(() -> ObjectionScope.of("category:waffen", MUSTERSTADT));
        assertThat(category.field()).isEqualTo("scope");
        assertThat(category.reason()).isEqualTo("names no category of your city's taxonomy: 'waffen'");
        assertThat(problem(() -> ObjectionScope.of("participant:baeckerei-schmidt", Optional.empty())).reason())
                .as("a city without files knows no participant").startsWith("names no participant");
    }

    @Test
    void anythingElseIsRefusedNamingTheFieldAndTheForms() {
        assertThat(problem(() -> ObjectionScope.of("alle", MUSTERSTADT)).reason())
                .isEqualTo("must be all, participant:<id> or category:<id> but is 'alle'");
        assertThat(problem(() -> ObjectionScope.of("participant:baeckerei\u202e-schmidt", MUSTERSTADT)).reason())
                .startsWith("must not contain invisible format characters");
        assertThat(problem(() -> ObjectionScope.ofBody(new JsonObject(), MUSTERSTADT)).field()).isEqualTo("scope");
        assertThat(problem(() -> ObjectionScope.ofBody(new JsonObject().put("scope", 3), MUSTERSTADT)).reason())
                .startsWith("must be a string");
        Problem unknown = problem(() -> ObjectionScope.ofBody(new JsonObject().put("scope", "all").put("reason", "x"),
                MUSTERSTADT));
        assertThat(List.of(unknown.field(), unknown.reason())).containsExactly("reason", "is not a known field; allowed: scope");
    }
}
