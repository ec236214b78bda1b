package de.prokommun.insights.resident.api;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.city.CityFiles;
import de.prokommun.insights.city.Label;
import de.prokommun.insights.events.PersonRecord;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.resident.data.AuditTrail.Recipient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The names the privacy centre shows for the ids in a person's data (issue 16), from Musterstadt's files. */
class PersonNamesTest {

    private static final de.prokommun.insights.city.City MUSTERSTADT =
            CityFiles.find(Path.of("..", "cities"), "musterstadt").orElseThrow();

    private static PersonRecord purchase(String participant, List<String> categories) {
        return PersonRecord.newBuilder().setPseudonym("p").setCity("musterstadt").setRecordId("purchase:" + participant + ":1")
                .setKind("purchase").setParticipant(participant).setEventTime(0).setCategories(categories).setVersion(1).build();
    }

    @Test
    void categoriesAndParticipantsOfThePersonsDataAreNamedFromTheCityFiles() {
        Recipient asker = new Recipient("edeka-mueller", "participant", Set.of("audience"), Set.of("boughtCategory"),
                Set.of("drogerie"), Instant.EPOCH, Instant.EPOCH);
        PersonView.Names names = PersonView.Names.of(MUSTERSTADT, null,
                List.of(purchase("rewe-speldorf", List.of("lebensmittel.backwaren", "no.such-category"))), List.of(asker));
        assertThat(names.categories()).containsOnlyKeys("lebensmittel.backwaren", "drogerie");
        assertThat(names.categories().get("lebensmittel.backwaren")).isEqualTo(new Label("Brot & Backwaren", "Brot & Backwaren"));
        assertThat(names.participants()).containsEntry("rewe-speldorf", new Label("Rewe Speldorf", "Rewe Speldorf"))
                .containsEntry("edeka-mueller", new Label("Edeka Müller", "Edeka Müller")).hasSize(2);
    }

    @Test
    void aParticipantOutsideTheCatalogueIsLabelledAsSuchAndACityWithoutFilesNamesNothing() {
        Recipient operator = new Recipient("stadtmarketing", "operator", Set.of("journey"), Set.of(), Set.of(),
                Instant.EPOCH, Instant.EPOCH);
        PersonView.Names names = PersonView.Names.of(MUSTERSTADT, null, List.of(purchase("baeckerei", List.of())), List.of(operator));
        assertThat(names.participants()).containsEntry("baeckerei", Label.OUTSIDE_CATALOGUE)
                .containsEntry("stadtmarketing", new Label("Stadtmarketing Musterstadt", "Stadtmarketing Musterstadt"))
                .hasSize(2);
        assertThat(PersonView.Names.of(null, null, List.of(purchase("rewe-speldorf", List.of("drogerie"))), List.of()))
                .isEqualTo(PersonView.Names.NONE);
    }

    @Test
    void theJsonOfMeCarriesTheNames() {
        PersonView.Names names = PersonView.Names.of(MUSTERSTADT, profile(List.of("kultur")),
                List.of(purchase("rewe-speldorf", List.of("drogerie")), purchase("baeckerei", List.of())), List.of());
        JsonObject json = PersonView.json(new PersonView.Person(new de.prokommun.insights.resident.auth.Resident("r", "musterstadt", "p", "k"),
                null, List.of(), List.of(), List.of(), names));
        assertThat(json.getJsonObject("labels").getJsonObject("participants").getJsonObject("rewe-speldorf").getString("en"))
                .isEqualTo("Rewe Speldorf");
        assertThat(json.getJsonObject("labels").getJsonObject("categories").getJsonObject("drogerie").getString("de"))
                .isEqualTo("Drogerie & Gesundheit");
        assertThat(json.getJsonObject("labels").getJsonObject("participants").getJsonObject("baeckerei").getString("de"))
                .isEqualTo("Teilnehmer außerhalb des Katalogs");
        assertThat(json.getJsonObject("labels").getJsonObject("interests").getJsonObject("kultur"))
                .isEqualTo(new JsonObject().put("de", "Kultur & Theater").put("en", "Culture & theatre"));
    }

    @Test
    void theProfilesInterestsAreNamedFromCityJsonAndAFreelyDeclaredOneIsLeftAsDeclared() {
        PersonView.Names names = PersonView.Names.of(MUSTERSTADT, profile(List.of("sport", "radfahren", "schach")),
                List.of(), List.of());
        assertThat(names.interests()).containsOnlyKeys("sport", "radfahren");
        assertThat(names.interests().get("sport")).isEqualTo(new Label("Sport & Bewegung", "Sport & exercise"));
        assertThat(names.interests().get("radfahren")).isEqualTo(new Label("Radfahren", "Cycling"));
        assertThat(PersonView.Names.of(MUSTERSTADT, null, List.of(), List.of()).interests()).as("no profile").isEmpty();
    }

    @Test
    void theParticipantsAndCategoriesOfStandingObjectionsAreNamedToo() {
        ProfileRow objecting = ProfileRow.newBuilder(profile(List.of()))
                .setOfferObjections(List.of("all", "category:drogerie", "participant:edeka-mueller")).build();
        PersonView.Names names = PersonView.Names.of(MUSTERSTADT, objecting, List.of(), List.of());
        assertThat(names.participants()).containsOnlyKeys("edeka-mueller");
        assertThat(names.participants().get("edeka-mueller")).isEqualTo(new Label("Edeka Müller", "Edeka Müller"));
        assertThat(names.categories()).containsOnlyKeys("drogerie");
    }

    private static ProfileRow profile(List<String> interests) {
        return ProfileRow.newBuilder().setPseudonym("p").setCity("musterstadt").setBirthYear(1990).setAge(36)
                .setAgeBand("35-49").setGender("FEMALE").setDistrict("Saarn").setHouseholdType("SINGLE")
                .setPersonas(List.of()).setInterests(interests).setConsentOffers(false).setConsentNewsletter(false)
                .setDeleted(false).setUpdatedAt(0).setVersion(1).build();
    }
}
