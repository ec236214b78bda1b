package de.prokommun.insights.flink.city;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.flink.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgeBandsTest {

    private final AgeBands bands = Fixtures.cities().city("musterstadt").orElseThrow().ageBands();

    @Test
    void agesFallIntoTheCitysBands() {
        assertThat(bands.bandOf(0)).isEqualTo("0-13");
        assertThat(bands.bandOf(17)).isEqualTo("14-17");
        assertThat(bands.bandOf(18)).isEqualTo("18-24");
        assertThat(bands.bandOf(64)).isEqualTo("50-64");
        assertThat(bands.bandOf(80)).isEqualTo("80+");
        assertThat(bands.bandOf(151)).isNull();
    }

    @Test
    void theNextBoundaryIsWhereTheBandChanges() {
        assertThat(bands.nextBoundaryAbove(17)).hasValue(18);
        assertThat(bands.nextBoundaryAbove(18)).hasValue(25);
        assertThat(bands.nextBoundaryAbove(80)).hasValue(151);
        assertThat(bands.nextBoundaryAbove(151)).isEmpty();
    }

    @Test
    void overlappingBandsAreRejected() {
        assertThatThrownBy(() -> new AgeBands(List.of(new AgeBands.Band("a", 0, 20), new AgeBands.Band("b", 20, 30))))
                .hasMessageContaining("overlap");
    }

    @Test
    void postcodesMapToDistrictsAndUnknownOnesToUnbekannt() {
        CityConfig city = Fixtures.cities().city("musterstadt").orElseThrow();
        assertThat(city.districtOf("45468")).isEqualTo("Altstadt");
        assertThat(city.districtOf("99999")).isEqualTo(CityConfig.UNKNOWN_DISTRICT);
    }
}
