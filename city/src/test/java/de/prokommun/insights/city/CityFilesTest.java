package de.prokommun.insights.city;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CityFilesTest {

    private static final Path CITIES = Path.of("..", "cities");
    private static final String MINIMAL = """
            {"city": "teststadt", "districts": {"12345": "Mitte", "12346": "Nord"},
             "ageBands": [{"band": "0-17", "from": 0, "to": 17}, {"band": "18+", "from": 18, "to": 150}]}
            """;

    @TempDir
    Path dir;

    private Path city(String cityJson) throws IOException {
        Path city = Files.createDirectories(dir.resolve("teststadt"));
        Files.writeString(city.resolve(CityFiles.CITY_JSON), cityJson);
        return city;
    }

    private Path with(String file, String json) throws IOException {
        Path city = city(MINIMAL);
        Files.writeString(city.resolve(file), json);
        return city;
    }

    // ---- every file of Musterstadt -------------------------------------------------------------------------

    @Test
    void musterstadtsCityJson() {
        City m = CityFiles.find(CITIES, "musterstadt").orElseThrow();
        assertThat(m.id()).isEqualTo("musterstadt");
        assertThat(m.name()).isEqualTo("Musterstadt");
        assertThat(m.timeZone()).isEqualTo("Europe/Berlin");
        assertThat(m.districtOf("45476")).isEqualTo("Speldorf");
        assertThat(m.districtOf(" 45476 ")).isEqualTo("Speldorf");
        assertThat(m.districtOf("10115")).isEqualTo(CityFiles.UNKNOWN_DISTRICT);
        assertThat(m.districtNames()).startsWith("Altstadt", "Heißen").hasSize(9);
        assertThat(m.ageBands()).first().isEqualTo(new AgeBand("0-13", 0, 13));
        assertThat(m.purchaseRetentionYears()).isEqualTo(3);
        assertThat(m.publishedInterests()).contains("sport", "radfahren");
        // every interest the portal offers is named in both languages, so no page shows its id (issue 16)
        assertThat(m.interestNames()).containsKeys(m.publishedInterests().toArray(String[]::new));
        assertThat(m.interestNames().get("sport")).isEqualTo(new Label("Sport & Bewegung", "Sport & exercise"));
    }

    @Test
    void musterstadtsPersonasTaxonomyAndCatalogue() {
        City m = CityFiles.find(CITIES, "musterstadt").orElseThrow();
        Persona family = m.persona("family").orElseThrow();
        assertThat(family.label()).isEqualTo(new Label("Familien", "Families"));
        assertThat(family.condition().householdTypes()).containsExactly("FAMILY");
        assertThat(family.condition().onlyDemographic()).isTrue();
        assertThat(m.persona("voucher_user").orElseThrow().condition().activity())
                .isEqualTo(new Activity(List.of("voucher"), 2, 180));
        assertThat(m.persona("culture_fan").orElseThrow().condition().anyOf()).isNotEmpty();
        assertThat(m.categoriesById().get("lebensmittel.backwaren").name()).isEqualTo(new Label("Brot & Backwaren", "Brot & Backwaren"));
        assertThat(m.categoriesById().get("lebensmittel").sector()).isEqualTo("food");
        assertThat(m.participantPlaces()).containsEntry("rewe-speldorf", "Speldorf").containsEntry("baeckerei-schmidt", "Altstadt");
        assertThat(m.employers()).isNotEmpty();
    }

    @Test
    void everyCityDirectoryIsReadNotOnlyMusterstadt() throws IOException {
        city(MINIMAL);
        Files.createDirectories(dir.resolve("no-city-here"));
        assertThat(CityFiles.readAll(dir)).containsOnlyKeys("teststadt");
        assertThat(CityFiles.readAll(CITIES)).containsKey("musterstadt");
    }

    @Test
    void malformedOrUnknownIdsFindNoCity() {
        assertThat(CityFiles.find(CITIES, "atlantis")).isEmpty();
        assertThat(CityFiles.find(CITIES, "../cities/musterstadt")).isEmpty();
        assertThat(CityFiles.find(CITIES, null)).isEmpty();
        assertThat(CityFiles.find(CITIES, "Musterstadt")).isEmpty();
    }

    // ---- defaults ----------------------------------------------------------------------------------------

    @Test
    void theOneSetOfDefaults() throws IOException {
        City c = CityFiles.read(city(MINIMAL));
        assertThat(c.timeZone()).isEqualTo(CityFiles.DEFAULT_TIME_ZONE).isEqualTo("Europe/Berlin");
        assertThat(c.name()).isEqualTo("teststadt");
        assertThat(c.purchaseRetentionYears()).isZero();
        assertThat(c.publishedInterests()).isEmpty();
        assertThat(c.interestNames()).isEmpty();
        assertThat(c.personas()).isEmpty();
        assertThat(c.categories()).isEmpty();
        assertThat(c.participants()).isEmpty();
        assertThat(c.employers()).isEmpty();
    }

    @Test
    void labelsWithoutEnglishFallBackToGerman() throws IOException {
        City c = CityFiles.read(with(CityFiles.PERSONAS_JSON, """
                {"personas": [{"persona": "p", "label": {"de": "Familien"}}, {"persona": "q"}]}"""));
        assertThat(c.persona("p").orElseThrow().label()).isEqualTo(new Label("Familien", "Familien"));
        assertThat(c.persona("q").orElseThrow().label()).isNull();
    }

    @Test
    void conditionsAreNormalisedAsTheProfileBuilderCompares() throws IOException {
        City c = CityFiles.read(with(CityFiles.PERSONAS_JSON, """
                {"personas": [{"persona": "p", "genders": ["female"], "interestsAny": ["Kultur"],
                  "activity": {"signals": ["Voucher"], "withinDays": 30}, "householdTypes": []}]}"""));
        PersonaCondition p = c.persona("p").orElseThrow().condition();
        assertThat(p.genders()).containsExactly("FEMALE");
        assertThat(p.interestsAny()).containsExactly("kultur");
        assertThat(p.activity()).isEqualTo(new Activity(List.of("voucher"), 1, 30));
        assertThat(p.householdTypes()).isEmpty();
        assertThat(p.ageFrom()).isNull();
        assertThat(p.onlyDemographic()).isFalse();
    }

    // ---- strictness: every error names the file and the field ----------------------------------------------

    @Test
    void cityJsonErrorsNameFileAndField() throws IOException {
        assertThatThrownBy(() -> CityFiles.read(city(MINIMAL.replace("\"districts\"", "\"distrikts\""))))
                .isInstanceOf(CityFileException.class)
                .hasMessageContaining("teststadt/city.json").hasMessageContaining("'distrikts' is not a known field");
        assertThatThrownBy(() -> CityFiles.read(city("{\"city\": \"teststadt\", \"districts\": {\"1\": \"A\"}}")))
                .hasMessageContaining("teststadt/city.json: field 'ageBands' is required");
        assertThatThrownBy(() -> CityFiles.read(city(MINIMAL.replace("{\"city\"", "{\"timeZone\": \"Mars/Olympus\", \"city\""))))
                .hasMessageContaining("field 'timeZone' is not a time zone id");
        assertThatThrownBy(() -> CityFiles.read(city(MINIMAL.replace("\"to\": 17", "\"to\": \"17\""))))
                .hasMessageContaining("field 'ageBands[0].to' must be a whole number");
        assertThatThrownBy(() -> CityFiles.read(city(MINIMAL.replace("\"from\": 18", "\"from\": 17"))))
                .hasMessageContaining("field 'ageBands[1].from' band 18+ overlaps band 0-17");
        assertThatThrownBy(() -> CityFiles.read(city(MINIMAL.replace("teststadt", "jena"))))
                .hasMessageContaining("field 'city' is 'jena' but the directory is 'teststadt'");
        assertThatThrownBy(() -> CityFiles.read(city(MINIMAL.replace("{\"city\"", "{\"retention\": {\"purchasesYears\": 0}, \"city\""))))
                .hasMessageContaining("field 'retention.purchasesYears' must be a positive");
        assertThatThrownBy(() -> CityFiles.read(city(MINIMAL.replace("{\"city\"", "{\"retention\": {\"years\": 3}, \"city\""))))
                .hasMessageContaining("field 'retention.years' is not a known field");
        assertThatThrownBy(() -> CityFiles.read(city(MINIMAL.replace("{\"city\"", "{\"interests\": {\"Sport\": {\"de\": \"Sport\"}}, \"city\""))))
                .hasMessageContaining("field 'interests.Sport' must be a lower-case interest id");
        assertThatThrownBy(() -> CityFiles.read(city(MINIMAL.replace("{\"city\"", "{\"interests\": {\"sport\": {\"en\": \"Sport\"}}, \"city\""))))
                .hasMessageContaining("field 'interests.sport.de' is required");
        assertThatThrownBy(() -> CityFiles.read(city("{\"city\": \"teststadt\",")))
                .hasMessageContaining("city.json: not readable JSON");
    }

    @Test
    void personasJsonErrorsNameFileAndField() throws IOException {
        assertThatThrownBy(() -> CityFiles.read(with(CityFiles.PERSONAS_JSON, "{\"personas\": [{\"persona\": \"x\", \"agee\": {}}]}")))
                .hasMessageContaining("teststadt/personas.json: field 'personas[0].agee' is not a known field");
        assertThatThrownBy(() -> CityFiles.read(with(CityFiles.PERSONAS_JSON, "{\"personas\": [{\"persona\": \"x\", \"activity\": {\"signals\": [\"v\"]}}]}")))
                .hasMessageContaining("field 'personas[0].activity.withinDays' is required");
        assertThatThrownBy(() -> CityFiles.read(with(CityFiles.PERSONAS_JSON, "{\"personas\": [{\"persona\": \"x\"}, {\"persona\": \"x\"}]}")))
                .hasMessageContaining("field 'personas[1].persona' 'x' is defined twice");
        assertThatThrownBy(() -> CityFiles.read(with(CityFiles.PERSONAS_JSON, "{\"personas\": [{\"label\": {\"de\": \"X\"}}]}")))
                .hasMessageContaining("field 'personas[0].persona' is required");
        assertThatThrownBy(() -> CityFiles.read(with(CityFiles.PERSONAS_JSON, "{\"personas\": [{\"persona\": \"p\", \"label\": \"Familien\"}]}")))
                .hasMessageContaining("field 'personas[0].label' must be an object");
        assertThatThrownBy(() -> CityFiles.read(with(CityFiles.PERSONAS_JSON, "{\"personas\": [{\"persona\": \"p\", \"anyOf\": [{\"persona\": \"q\"}]}]}")))
                .hasMessageContaining("field 'personas[0].anyOf[0].persona' is not a known field");
        assertThatThrownBy(() -> CityFiles.read(with(CityFiles.PERSONAS_JSON, "{\"personas\": [{\"persona\": \"p\", \"age\": {\"from\": 30, \"to\": 20}}]}")))
                .hasMessageContaining("field 'personas[0].age.from' must not be above 'to'");
        assertThatThrownBy(() -> CityFiles.read(with(CityFiles.PERSONAS_JSON, "[{\"persona\": \"p\"}]")))
                .hasMessageContaining("teststadt/personas.json: must be an object");
    }

    @Test
    void taxonomyJsonErrorsNameFileAndField() throws IOException {
        assertThatThrownBy(() -> CityFiles.read(with(CityFiles.TAXONOMY_JSON,
                "{\"categories\": [{\"id\": \"a\", \"name\": \"A\", \"children\": [{\"id\": \"a.b\"}]}]}")))
                .hasMessageContaining("teststadt/taxonomy.json: field 'categories[0].children[0].name' is required");
        assertThatThrownBy(() -> CityFiles.read(with(CityFiles.TAXONOMY_JSON,
                "{\"categories\": [{\"id\": \"a\", \"name\": \"A\", \"children\": [{\"id\": \"a\", \"name\": \"B\"}]}]}")))
                .hasMessageContaining("field 'categories[0].children[0].id' 'a' is defined twice");
        assertThatThrownBy(() -> CityFiles.read(with(CityFiles.TAXONOMY_JSON, "{\"kategorien\": []}")))
                .hasMessageContaining("field 'kategorien' is not a known field");
        City c = CityFiles.read(with(CityFiles.TAXONOMY_JSON,
                "{\"categories\": [{\"id\": \"a\", \"name\": \"Essen\", \"nameEn\": \"Food\", \"children\": [{\"id\": \"a.b\", \"name\": \"Brot\"}]}]}"));
        assertThat(c.categoriesById().get("a").name()).isEqualTo(new Label("Essen", "Food"));
        assertThat(c.categoriesById().get("a").children()).extracting(Category::id).containsExactly("a.b");
    }

    @Test
    void participantsCatalogueErrorsNameFileAndField() throws IOException {
        assertThatThrownBy(() -> CityFiles.read(with(CityFiles.PARTICIPANTS_CATALOGUE_JSON, "{\"participants\": [{\"district\": \"12345\"}]}")))
                .hasMessageContaining("teststadt/participants-catalogue.json: field 'participants[0].id' is required");
        assertThatThrownBy(() -> CityFiles.read(with(CityFiles.PARTICIPANTS_CATALOGUE_JSON, "{\"participants\": [{\"id\": \"a\", \"plz\": \"1\"}]}")))
                .hasMessageContaining("field 'participants[0].plz' is not a known field");
        assertThatThrownBy(() -> CityFiles.read(with(CityFiles.PARTICIPANTS_CATALOGUE_JSON, "{\"participants\": {}}")))
                .hasMessageContaining("field 'participants' must be an array");
        assertThatThrownBy(() -> CityFiles.read(with(CityFiles.PARTICIPANTS_CATALOGUE_JSON, "{\"city\": \"jena\"}")))
                .hasMessageContaining("field 'city' is 'jena' but city.json says 'teststadt'");
        City c = CityFiles.read(with(CityFiles.PARTICIPANTS_CATALOGUE_JSON, """
                {"participants": [{"id": "a", "district": "12346"}, {"id": "b", "district": "99999"}, {"id": "c"}],
                 "employers": [{"id": "stadtwerke", "name": "Stadtwerke"}]}"""));
        assertThat(c.participantPlaces()).containsOnly(java.util.Map.entry("a", "Nord"));
        assertThat(c.participants()).extracting(Participant::id).containsExactly("a", "b", "c");
        assertThat(c.employers()).containsExactly(new Participant("stadtwerke", "Stadtwerke", null));
    }

    // ---- Flink carries it --------------------------------------------------------------------------------

    @Test
    void aCitySurvivesJavaSerialisation() throws Exception {
        City m = CityFiles.find(CITIES, "musterstadt").orElseThrow();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(m);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(m);
        }
    }
}
