package de.prokommun.insights.flink.city;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.flink.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-person clamps of privacy.json as the jobs read them. */
class CityCatalogTest {

    @TempDir
    Path dir;

    private Path city(String privacyJson) throws IOException {
        Path city = Files.createDirectories(dir.resolve("teststadt"));
        Files.writeString(city.resolve("city.json"), """
                {"city": "teststadt", "districts": {"12345": "Mitte"}, "ageBands": [{"band": "0-150", "from": 0, "to": 150}]}
                """);
        if (privacyJson != null) Files.writeString(city.resolve("privacy.json"), privacyJson);
        return city;
    }

    @Test
    void musterstadtDeclaresItsClampsInPrivacyJson() {
        assertThat(Fixtures.cities().city(Fixtures.CITY).orElseThrow().clamps())
                .isEqualTo(new PersonMonthClamps(20, 50_000));
    }

    @Test
    void clampsAreReadAndMissingOnesTakeTheDefaults() throws IOException {
        assertThat(CityCatalog.loadCity(city("""
                {"clamps": {"purchasesPerPersonMonth": 7, "spendCentsPerPersonMonth": 1234}, "roles": {}}
                """)).clamps()).isEqualTo(new PersonMonthClamps(7, 1234));
        assertThat(CityCatalog.loadCity(city("""
                {"clamps": {"purchasesPerPersonMonth": 7}}
                """)).clamps()).isEqualTo(new PersonMonthClamps(7, PersonMonthClamps.DEFAULT.spendCents()));
        assertThat(CityCatalog.loadCity(city("{\"roles\": {}}")).clamps()).isEqualTo(PersonMonthClamps.DEFAULT);
    }

    @Test
    void aCityWithoutPrivacyJsonGetsTheDefaults() throws IOException {
        assertThat(CityCatalog.loadCity(city(null)).clamps()).isEqualTo(PersonMonthClamps.DEFAULT);
    }

    @Test
    void badClampsAreRejectedNamingFileAndField() throws IOException {
        assertThatThrownBy(() -> CityCatalog.loadCity(city("{\"clamps\": {\"purchasesPerPersonMonth\": 0}}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("privacy.json").hasMessageContaining("clamps.purchasesPerPersonMonth must be positive");
        assertThatThrownBy(() -> CityCatalog.loadCity(city("{\"clamps\": {\"spendCentsPerPersonMonth\": 12.5}}")))
                .hasMessageContaining("clamps.spendCentsPerPersonMonth must be a whole number");
        assertThatThrownBy(() -> CityCatalog.loadCity(city("{\"clamps\": {\"purchasesPerPersonYear\": 3}}")))
                .hasMessageContaining("clamps.purchasesPerPersonYear is not a known field");
        assertThatThrownBy(() -> CityCatalog.loadCity(city("{\"clamps\": 20}")))
                .hasMessageContaining("clamps must be an object");
        assertThatThrownBy(() -> CityCatalog.loadCity(city("{\"clamps\": ")))
                .hasMessageContaining("privacy.json");
    }

    @Test
    void clampingCapsAtTheLimitAndNeverGoesBelowZero() {
        assertThat(PersonMonthClamps.clamp(19, 20)).isEqualTo(19);
        assertThat(PersonMonthClamps.clamp(20, 20)).isEqualTo(20);
        assertThat(PersonMonthClamps.clamp(21, 20)).isEqualTo(20);
        assertThat(PersonMonthClamps.clamp(-3, 20)).isZero();
    }
}
