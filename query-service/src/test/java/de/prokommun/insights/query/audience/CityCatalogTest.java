package de.prokommun.insights.query.audience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class CityCatalogTest {

    @Test
    void readsDistrictsAgeBandsPersonasAndZoneOfTheCity() {
        CityVocabulary city = Vocabularies.musterstadt();
        assertThat(city.timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(city.districts()).contains("Saarn", "Heißen", "Altstadt").hasSize(9);
        assertThat(city.ageBands()).startsWith("0-13").endsWith("80+");
        assertThat(city.personas()).contains("family", "student", "senior");
    }

    @Test
    void unknownOrMalformedCityHasNoVocabulary() {
        CityCatalog catalog = new CityCatalog(Vocabularies.CITIES);
        assertThat(catalog.city("atlantis")).isEmpty();
        assertThat(catalog.city("../cities/musterstadt")).isEmpty();
        assertThat(catalog.city(null)).isEmpty();
    }

    @Test
    void personaNamesFromTheSupportedShapes() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(CityCatalog.personaNames(json.readTree("{\"personas\":[{\"persona\":\"a\"},{\"persona\":\"b\"}]}")))
                .containsExactly("a", "b");
        assertThat(CityCatalog.personaNames(json.readTree("[{\"name\":\"x\"},\"y\"]"))).containsExactly("x", "y");
        assertThat(CityCatalog.personaNames(json.readTree("{\"personas\":{\"p\":{},\"q\":{}}}"))).containsExactly("p", "q");
    }
}
