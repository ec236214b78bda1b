package de.prokommun.insights.flink.city;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The jobs' city reader loads the second city beside Musterstadt: districts, personas, clamps, retention, places. */
class JenaCityCatalogTest {

    private static final Path CITIES = Path.of("../cities").toAbsolutePath().normalize();

    @Test
    void jenaIsLoadedBesideMusterstadt() {
        CityCatalog catalog = CityCatalog.load(CITIES);
        CityConfig jena = catalog.city("jena").orElseThrow();
        assertThat(catalog.city("musterstadt")).isPresent();
        assertThat(jena.zone().getId()).isEqualTo("Europe/Berlin");
        assertThat(jena.districtOf("07745")).isEqualTo("West & Winzerla");
        assertThat(jena.districtOf("45468")).isEqualTo(CityConfig.UNKNOWN_DISTRICT);
        assertThat(jena.personaRules().personaNames()).contains("student", "family", "senior");
        assertThat(jena.clamps().purchases()).isEqualTo(20);
        assertThat(jena.clamps().spendCents()).isEqualTo(50_000);
        assertThat(jena.retention().purchasesYears()).isEqualTo(3);
        assertThat(jena.placeOf("saalemarkt-lobeda")).isEqualTo("Lobeda");
        assertThat(jena.placeOf("edeka-mueller")).as("a Musterstadt shop has no place in Jena").isNull();
    }
}
