package de.prokommun.insights.flink.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.flink.Fixtures;
import de.prokommun.insights.flink.city.CityCatalog;
import de.prokommun.insights.flink.city.CityConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The place of a visit: the participant's district from participants-catalogue.json (postcode → city.json districts). */
class ParticipantPlacesTest {
    @TempDir
    Path dir;

    private CityConfig city(String catalogue) throws IOException {
        Path city = Files.createDirectories(dir.resolve("teststadt"));
        Files.writeString(city.resolve("city.json"), """
                {"city": "teststadt", "districts": {"12345": "Mitte", "12346": "Nord"},
                 "ageBands": [{"band": "0-150", "from": 0, "to": 150}]}
                """);
        if (catalogue != null) Files.writeString(city.resolve("participants-catalogue.json"), catalogue);
        return CityCatalog.load(dir).city("teststadt").orElseThrow();
    }

    @Test
    void musterstadtsParticipantsHaveTheirDistricts() {
        CityConfig musterstadt = Fixtures.cities().city(Fixtures.CITY).orElseThrow();
        assertThat(musterstadt.placeOf("rewe-speldorf")).isEqualTo("Speldorf");
        assertThat(musterstadt.placeOf("baeckerei-schmidt")).isEqualTo("Altstadt");
        assertThat(musterstadt.placeOf("no-such-participant")).isNull();
    }

    @Test
    void unknownPostcodesAndMissingDistrictsGiveNoPlace() throws IOException {
        CityConfig city = city("""
                {"participants": [{"id": "a", "district": "12346"}, {"id": "b", "district": "99999"}, {"id": "c"}]}
                """);
        assertThat(city.placeOf("a")).isEqualTo("Nord");
        assertThat(city.placeOf("b")).isNull();
        assertThat(city.placeOf("c")).isNull();
        assertThat(city.placeOf(null)).isNull();
    }

    @Test
    void aCityWithoutCatalogueHasNoPlaces() throws IOException {
        assertThat(city(null).participantPlaces()).isEmpty();
    }

    @Test
    void aParticipantWithoutIdIsAClearError() {
        assertThatThrownBy(() -> city("""
                {"participants": [{"id": "a"}, {"district": "12345"}]}
                """)).hasMessageContaining("participants[1].id").hasMessageContaining("participants-catalogue.json");
        assertThatThrownBy(() -> city("""
                {"participants": {"id": "a"}}
                """)).hasMessageContaining("'participants' must be an array");
    }
}
