package de.prokommun.insights.query.audience;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.city.CityFiles;
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
    void personasDefinedByAgeBandsHouseholdAndGenderAloneAreCubePersonas() {
        CityVocabulary city = Vocabularies.musterstadt();
        assertThat(city.cubePersonas().keySet())
                .containsExactlyInAnyOrder("single", "couple", "family", "single_parent", "best_ager", "senior");
        assertThat(city.cubePersona("family").orElseThrow())
                .isEqualTo(new CubePersona(java.util.Set.of(), java.util.Set.of(), java.util.Set.of("FAMILY")));
        // "single" is 18 and over (bands 18-24 up to 80+, not the age-less "other" band) and SINGLE
        assertThat(city.cubePersona("single").orElseThrow().ageBands())
                .containsExactlyInAnyOrder("18-24", "25-34", "35-49", "50-64", "65-79", "80+");
        assertThat(city.cubePersona("senior").orElseThrow().ageBands()).containsExactlyInAnyOrder("65-79", "80+");
        // 13-17 and 18-29 cut the bands 0-13 and 25-34; student and the behavioural personas need their own slices
        assertThat(city.cubePersona("teenager")).isEmpty();
        assertThat(city.cubePersona("young_adult")).isEmpty();
        assertThat(city.cubePersona("student")).isEmpty();
        assertThat(city.cubePersona("regular_shopper")).isEmpty();
    }

    @Test
    void aRuleWithAnythingTheCubeDoesNotHoldIsNoCubePersona() {
        java.util.List<CityVocabulary.AgeBandRange> bands = java.util.List.of(
                new CityVocabulary.AgeBandRange("0-17", 0, 17), new CityVocabulary.AgeBandRange("18-64", 18, 64),
                new CityVocabulary.AgeBandRange("65+", 65, 150));
        var defined = CityCatalog.cubePersonas(CityFiles.parsePersonas("""
                {"personas": [
                  {"persona": "adult", "age": {"from": 18}, "genders": ["female"]},
                  {"persona": "minor", "age": {"to": 17}},
                  {"persona": "cut", "age": {"from": 20}},
                  {"persona": "gap", "age": {"from": 18, "to": 70}},
                  {"persona": "reader", "householdTypes": ["SINGLE"], "interestsAny": ["lesen"]},
                  {"persona": "nobody", "householdTypes": []},
                  {"persona": "either", "anyOf": [{"householdTypes": ["COUPLE"]}]}
                ]}""", "personas.json"), bands);
        assertThat(defined.keySet()).containsExactlyInAnyOrder("adult", "minor");
        assertThat(defined.get("adult")).isEqualTo(new CubePersona(java.util.Set.of("18-64", "65+"),
                java.util.Set.of("FEMALE"), java.util.Set.of()));
        assertThat(defined.get("minor").ageBands()).containsExactly("0-17");
        assertThat(defined.get("adult").holds("65+", "FEMALE", "SINGLE")).isTrue();
        assertThat(defined.get("adult").holds("other", "FEMALE", "SINGLE")).isFalse();
        assertThat(defined.get("adult").holds("18-64", "MALE", "SINGLE")).isFalse();
    }
}
