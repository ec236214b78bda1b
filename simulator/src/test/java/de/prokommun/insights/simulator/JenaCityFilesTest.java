package de.prokommun.insights.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.simulator.city.CityFiles;
import de.prokommun.insights.simulator.city.CityModel;
import de.prokommun.insights.simulator.city.ParticipantCatalogue;
import de.prokommun.insights.simulator.city.Taxonomy;
import de.prokommun.insights.simulator.population.PopulationModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The second city's files load through the simulator's readers, from the repository and from the jar. */
class JenaCityFilesTest {

    private static final Path JENA = ReferenceData.repositoryCityDir().resolveSibling("jena");

    @Test
    void cityModel() {
        CityModel jena = CityModel.load(CityFiles.directory(JENA));
        assertThat(jena.id()).isEqualTo("jena");
        assertThat(jena.name()).isEqualTo("Jena");
        assertThat(jena.district("07747").name()).isEqualTo("Lobeda");
        assertThat(jena.districts()).hasSize(5);
        assertThat(jena.ageBand(21).band()).isEqualTo("18-24");
    }

    @Test
    void taxonomy() {
        Taxonomy jena = Taxonomy.load(CityFiles.directory(JENA));
        assertThat(jena.leaves()).hasSize(50);
        assertThat(jena.topLevelOf("vereine.training")).isEqualTo("vereine");
    }

    @Test
    void participantCatalogue() {
        CityFiles files = CityFiles.directory(JENA);
        CityModel city = CityModel.load(files);
        ParticipantCatalogue jena = ParticipantCatalogue.load(files, Taxonomy.load(files), city);
        assertThat(jena.businesses()).hasSize(58);
        assertThat(jena.get("saalemarkt-lobeda").postcode()).isEqualTo("07747");
        assertThat(jena.voucherSystem().id()).isEqualTo("jena-gutschein");
        assertThat(jena.portal().newsletter()).isEqualTo("jena-aktuell");
        assertThat(jena.operator().id()).isEqualTo("stadtmarketing-jena");
        assertThat(jena.employers()).extracting(ParticipantCatalogue.Employer::id).contains("uniklinikum-jena");
        for (var p : jena.businesses()) city.district(p.postcode()); // every shop stands in a district of Jena
    }

    @Test
    void populationModelIsJenasReferenceTable() {
        PopulationModel jena = PopulationModel.load(CityFiles.directory(JENA));
        assertThat(jena.ageGroups()).hasSize(17);
        long total = jena.ageGroups().stream().mapToLong(g -> g.male() + g.female()).sum();
        assertThat(total).as("inhabitants of Jena on 2020-12-31").isEqualTo(110_731);
        assertThat(jena.interests()).extracting(PopulationModel.Interest::id).contains("studium");
    }

    @Test
    void theJarCarriesJenaToo() {
        assertThat(CityModel.load(CityFiles.classpath("jena")).id()).isEqualTo("jena");
    }
}
