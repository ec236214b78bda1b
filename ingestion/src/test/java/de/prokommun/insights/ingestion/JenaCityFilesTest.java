package de.prokommun.insights.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.ingestion.dedupe.CityRetention;
import de.prokommun.insights.ingestion.mapping.Taxonomies;
import de.prokommun.insights.ingestion.mapping.Taxonomy;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The second city's files load through ingestion's readers (taxonomy for mapping uploads, retention for 422). */
class JenaCityFilesTest {

    private static final Path CITIES = Path.of("../cities").toAbsolutePath().normalize();

    @Test
    void jenasTaxonomyAcceptsSecondLevelCategoriesOnly() {
        Taxonomy jena = new Taxonomies(CITIES).forCity("jena");
        assertThat(jena.isAssignable("lebensmittel.backwaren")).isTrue();
        assertThat(jena.isAssignable("lebensmittel")).as("a top level is not assignable").isFalse();
        assertThat(jena.problemWith("lebensmittel.brot")).isPresent();
        assertThat(jena.categories()).hasSize(9);
    }

    @Test
    void jenasRetentionIsThreeYearsInBerlinTime() {
        CityRetention.Retention jena = new CityRetention(CITIES).of("jena");
        assertThat(jena.years()).isEqualTo(3);
        assertThat(jena.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        Instant now = Instant.parse("2026-12-05T12:00:00Z");
        assertThat(jena.expired(Instant.parse("2023-12-05T10:00:00Z"), now)).isTrue();
        assertThat(jena.expired(Instant.parse("2024-01-05T10:00:00Z"), now)).isFalse();
    }
}
