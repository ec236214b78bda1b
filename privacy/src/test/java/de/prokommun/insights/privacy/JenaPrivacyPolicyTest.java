package de.prokommun.insights.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The second city's privacy.json loads through the same reader as Musterstadt's, as a policy of its own. */
class JenaPrivacyPolicyTest {

    private static final Path CITIES = Path.of("../cities").toAbsolutePath().normalize();

    @Test
    void jenasPolicyLoadsAsItsOwnCity() {
        CityPolicy jena = PrivacyPolicy.load(CITIES.resolve("jena").resolve(PrivacyPolicy.FILE_NAME));
        assertThat(jena.city()).isEqualTo("jena");
        assertThat(jena.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(jena.cityBudget().epsilon()).isEqualByComparingTo(new BigDecimal("4"));
        assertThat(jena.rules(AskerRole.PARTICIPANT).minCellSize()).isEqualTo(10);
    }

    @Test
    void loadingEveryCityKeepsBothCapsApart() {
        PrivacyPolicy all = PrivacyPolicy.loadCities(CITIES);
        assertThat(all.cities()).contains("jena", "musterstadt");
        assertThat(all.city("jena").city()).isEqualTo("jena");
        assertThat(all.city("musterstadt").city()).isEqualTo("musterstadt");
    }
}
