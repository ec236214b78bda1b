package de.prokommun.insights.resident;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.resident.data.CityFiles;
import de.prokommun.insights.city.Persona;
import de.prokommun.insights.resident.personas.PersonaRules;
import java.nio.file.Path;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The second city's files load through the resident API's readers (districts of a record, persona explanations). */
class JenaCityFilesTest {

    private static final Path CITIES = Path.of("../cities").toAbsolutePath().normalize();

    @Test
    void jenasDistrictsAreItsPostcodeAreas() {
        CityFiles.City jena = new CityFiles(CITIES).city("jena");
        assertThat(jena.timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(jena.districtOf("07747")).isEqualTo("Lobeda");
        assertThat(jena.districts()).hasSize(5);
        assertThat(jena.districtOf("45468")).as("a Musterstadt postcode is not Jena's").isEqualTo(CityFiles.UNKNOWN_DISTRICT);
    }

    @Test
    void jenasPersonaRulesAreItsOwn() {
        PersonaRules rules = new PersonaRules(CITIES);
        Persona student = rules.rule("jena", "student").orElseThrow();
        assertThat(student.condition().ageTo()).as("Jena counts students up to 34").isEqualTo(34);
        assertThat(student.condition().interestsAny()).contains("studium");
        assertThat(rules.rule("musterstadt", "student").orElseThrow().condition().ageTo()).isEqualTo(29);
    }
}
