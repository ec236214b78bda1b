package de.prokommun.insights.flink.journey;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.flink.Fixtures;
import de.prokommun.insights.flink.city.CityConfig;
import org.junit.jupiter.api.Test;

/**
 * The place of a visit: the participant's district from participants-catalogue.json (postcode → city.json
 * districts), as the jobs' CityConfig carries it. Reading and checking the catalogue (unknown postcodes, missing
 * ids, wrong shapes) is the city module's and tested there (CityFilesTest).
 */
class ParticipantPlacesTest {

    @Test
    void musterstadtsParticipantsHaveTheirDistricts() {
        CityConfig musterstadt = Fixtures.cities().city(Fixtures.CITY).orElseThrow();
        assertThat(musterstadt.placeOf("rewe-speldorf")).isEqualTo("Speldorf");
        assertThat(musterstadt.placeOf("baeckerei-schmidt")).isEqualTo("Altstadt");
        assertThat(musterstadt.placeOf("no-such-participant")).isNull();
        assertThat(musterstadt.placeOf(null)).isNull();
    }
}
