package de.prokommun.insights.query;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.query.audience.CityCatalog;
import de.prokommun.insights.query.audience.CityVocabulary;
import de.prokommun.insights.query.journey.ParticipantCatalogue;
import java.nio.file.Path;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The second city's files load through the query service's readers: its vocabulary and its participants. */
class JenaCityFilesTest {

    private static final Path CITIES = Path.of("../cities").toAbsolutePath().normalize();

    @Test
    void jenasVocabularyIsItsOwn() {
        CityVocabulary jena = new CityCatalog(CITIES).city("jena").orElseThrow();
        assertThat(jena.timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(jena.districts()).containsExactly("Zentrum & Nord", "West & Winzerla", "Lobeda", "Jena-Ost",
                "Nördliche Ortsteile");
        assertThat(jena.district("Altstadt")).as("a Musterstadt district").isEmpty();
        assertThat(jena.personas()).contains("student", "senior");
        assertThat(jena.publishedInterests()).contains("studium");
        assertThat(jena.categories().isSecondLevel("kultur.theater")).isTrue();
        assertThat(jena.ageBandRanges()).hasSize(8);
    }

    @Test
    void jenasParticipantsAreItsOwnShops() {
        ParticipantCatalogue.CityParticipants jena = new ParticipantCatalogue(CITIES).city("jena");
        assertThat(jena.participants()).hasSize(58).contains("saalemarkt-lobeda", "jena-gutschein")
                .doesNotContain("edeka-mueller");
        assertThat(jena.employers()).contains("uniklinikum-jena");
    }
}
