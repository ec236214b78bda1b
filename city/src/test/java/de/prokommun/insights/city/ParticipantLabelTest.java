package de.prokommun.insights.city;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a page shows for a participant (issue 16): its catalogue name, or a readable label, never its bare id. */
class ParticipantLabelTest {

    private static final City MUSTERSTADT = CityFiles.find(Path.of("..", "cities"), "musterstadt").orElseThrow();

    @TempDir
    Path dir;

    @Test
    void participantsEmployersPortalAndOperatorOfTheCatalogueAreNamed() {
        assertThat(MUSTERSTADT.participantLabel("edeka-mueller")).isEqualTo(new Label("Edeka Müller", "Edeka Müller"));
        assertThat(MUSTERSTADT.participantLabel("klinikum-musterstadt").de()).isEqualTo("Klinikum Musterstadt");
        assertThat(MUSTERSTADT.participantLabel("portal").de()).isEqualTo("proKommun-Portal Musterstadt");
        assertThat(MUSTERSTADT.participantLabel("stadtmarketing").de()).isEqualTo("Stadtmarketing Musterstadt");
    }

    @Test
    void aParticipantOutsideTheCatalogueGetsTheReadableLabelInBothLanguages() {
        Label outside = MUSTERSTADT.participantLabel("baeckerei");
        assertThat(outside).isSameAs(Label.OUTSIDE_CATALOGUE);
        assertThat(outside.de()).isEqualTo("Teilnehmer außerhalb des Katalogs");
        assertThat(outside.en()).isEqualTo("Participant outside the catalogue");
        assertThat(MUSTERSTADT.participantLabel("cj-store-367")).isEqualTo(Label.OUTSIDE_CATALOGUE);
        assertThat(MUSTERSTADT.participantLabel(null)).isEqualTo(Label.OUTSIDE_CATALOGUE);
    }

    @Test
    void aCityWithoutCatalogueNamesNobodyAndAnEntryWithoutNameKeepsItsId() throws IOException {
        Path city = Files.createDirectories(dir.resolve("teststadt"));
        Files.writeString(city.resolve(CityFiles.CITY_JSON), """
                {"city": "teststadt", "districts": {"12345": "Mitte"}, "ageBands": [{"band": "alle", "from": 0, "to": 150}]}""");
        assertThat(CityFiles.read(city).participantLabel("edeka-mueller")).isEqualTo(Label.OUTSIDE_CATALOGUE);
        Files.writeString(city.resolve(CityFiles.PARTICIPANTS_CATALOGUE_JSON), """
                {"participants": [{"id": "kiosk"}], "operator": {"id": "marketing", "name": "Stadtmarketing"}}""");
        City c = CityFiles.read(city);
        assertThat(c.participantLabel("kiosk")).isEqualTo(new Label("kiosk", "kiosk"));
        assertThat(c.participantLabel("marketing").de()).isEqualTo("Stadtmarketing");
        assertThat(c.desks()).extracting(Participant::id).containsExactly("marketing");
    }
}
