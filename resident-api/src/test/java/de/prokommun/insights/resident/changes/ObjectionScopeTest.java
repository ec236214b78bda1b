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
    private static final java.util.Set<String> NO_SENDERS = java.util.Set.of();


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
        assertThat(ObjectionScope.of("all", MUSTERSTADT, NO_SENDERS)).isEqualTo("all");
        assertThat(ObjectionScope.of("participant:baeckerei-schmidt", MUSTERSTADT, NO_SENDERS)).isEqualTo("participant:baeckerei-schmidt");
        assertThat(ObjectionScope.of("category:lebensmittel", MUSTERSTADT, NO_SENDERS)).isEqualTo("category:lebensmittel");
        assertThat(ObjectionScope.of("category:lebensmittel.backwaren", MUSTERSTADT, NO_SENDERS))
                .as("a second-level category").isEqualTo("category:lebensmittel.backwaren");
        assertThat(ObjectionScope.ofBody(new JsonObject().put("scope", "all"), MUSTERSTADT, NO_SENDERS)).isEqualTo("all");
    }

    @Test
    void anUnknownParticipantOrCategoryIsRefusedNamingTheScope() {
        Problem participant = problem(() -> ObjectionScope.of("participant:baeckerei-schmitt", MUSTERSTADT, NO_SENDERS));
        assertThat(participant.field()).isEqualTo("scope");
        assertThat(participant.reason()).isEqualTo("names no participant of your city: 'baeckerei-schmitt'");
        Problem category = problem(() -> ObjectionScope.of("category:waffen", MUSTERSTADT, NO_SENDERS));
        assertThat(category.field()).isEqualTo("scope");
        assertThat(category.reason()).isEqualTo("names no category of your city's taxonomy: 'waffen'");
        assertThat(problem(() -> ObjectionScope.of("participant:baeckerei-schmidt", Optional.empty(), NO_SENDERS)).reason())
                .as("a city without files knows no participant").startsWith("names no participant");
    }

    @Test
    void anythingElseIsRefusedNamingTheFieldAndTheForms() {
        assertThat(problem(() -> ObjectionScope.of("alle", MUSTERSTADT, NO_SENDERS)).reason())
                .isEqualTo("must be all, participant:<id> or category:<id> but is 'alle'");
        assertThat(problem(() -> ObjectionScope.of("participant:baeckerei\u202e-schmidt", MUSTERSTADT, NO_SENDERS)).reason())
                .startsWith("must not contain invisible format characters");
        assertThat(problem(() -> ObjectionScope.ofBody(new JsonObject(), MUSTERSTADT, NO_SENDERS)).field()).isEqualTo("scope");
        assertThat(problem(() -> ObjectionScope.ofBody(new JsonObject().put("scope", 3), MUSTERSTADT, NO_SENDERS)).reason())
                .startsWith("must be a string");
        Problem unknown = problem(() -> ObjectionScope.ofBody(new JsonObject().put("scope", "all").put("reason", "x"),
                MUSTERSTADT, NO_SENDERS));
        assertThat(List.of(unknown.field(), unknown.reason())).containsExactly("reason", "is not a known field; allowed: scope");
    }

    @Test
    void aParticipantOutsideTheCatalogueThatSentMeAnOfferCanBeObjectedTo() {
        assertThat(problem(() -> ObjectionScope.of("participant:verein-neu", MUSTERSTADT, NO_SENDERS)).reason())
                .contains("names no participant of your city");
        assertThat(ObjectionScope.of("participant:verein-neu", MUSTERSTADT, java.util.Set.of("verein-neu")))
                .isEqualTo("participant:verein-neu");
    }
}
