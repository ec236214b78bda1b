package de.prokommun.insights.query.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CityLabelsTest {

    @Test
    void musterstadtNamesEveryPersonaAndEveryCategoryOfItsFiles() {
        CityVocabulary city = Vocabularies.musterstadt();
        CityLabels labels = city.labels();
        assertThat(labels.personas().keySet()).containsExactlyInAnyOrderElementsOf(city.personas());
        assertThat(labels.personas().get("single_parent")).isEqualTo(new CityLabels.Label("Alleinerziehende", "Single parents"));
        assertThat(labels.categories().get("lebensmittel.backwaren").de()).isEqualTo("Brot & Backwaren");
        // the taxonomy has no English names: English falls back to the German name
        assertThat(labels.categories().get("lebensmittel.backwaren").en()).isEqualTo("Brot & Backwaren");
        assertThat(labels.categories()).containsKey("lebensmittel");
        for (String parent : city.categories().childrenByParent().keySet()) {
            for (String leaf : city.categories().leaves(parent)) assertThat(labels.categories()).containsKey(leaf);
        }
    }

    @Test
    void musterstadtsEmployersAreNamedFromTheCatalogue() {
        CityLabels labels = Vocabularies.musterstadt().labels();
        assertThat(labels.employers()).hasSize(7)
                .containsEntry("stadtwerke-musterstadt", new CityLabels.Label("Stadtwerke Musterstadt", "Stadtwerke Musterstadt"))
                .containsEntry("logistik-hafen", new CityLabels.Label("Hafenlogistik GmbH", "Hafenlogistik GmbH"));
    }

    @Test
    void anEnglishNameIsUsedWhereTheFileHasOne(@TempDir Path dir) throws Exception {
        Path city = Files.createDirectories(dir.resolve("teststadt"));
        Files.writeString(city.resolve("city.json"), """
                {"city": "teststadt", "districts": {"1": "Mitte"}, "ageBands": [{"band": "all", "from": 0, "to": 150}]}""");
        Files.writeString(city.resolve("taxonomy.json"),
                "{\"categories\":[{\"id\":\"a\",\"name\":\"Essen\",\"nameEn\":\"Food\",\"children\":[{\"id\":\"a.b\",\"name\":\"Brot\"}]}]}");
        Files.writeString(city.resolve("personas.json"),
                "{\"personas\":[{\"persona\":\"p\",\"label\":{\"de\":\"Familien\"}},{\"persona\":\"q\"}]}");
        CityLabels labels = new CityCatalog(dir).city("teststadt").orElseThrow().labels();
        assertThat(labels.categories().get("a")).isEqualTo(new CityLabels.Label("Essen", "Food"));
        assertThat(labels.categories().get("a.b")).isEqualTo(new CityLabels.Label("Brot", "Brot"));
        assertThat(labels.personas()).containsOnlyKeys("p");
        assertThat(labels.personas().get("p").en()).isEqualTo("Familien");
        assertThat(labels.employers()).as("no catalogue, no employer names").isEmpty();
    }

    @Test
    void aLabelThatIsNotAnObjectWithAGermanNameIsRefusedNamingThePersona(@TempDir Path dir) throws Exception {
        Path city = Files.createDirectories(dir.resolve("teststadt"));
        Files.writeString(city.resolve("city.json"), """
                {"city": "teststadt", "districts": {"1": "Mitte"}, "ageBands": [{"band": "all", "from": 0, "to": 150}]}""");
        Files.writeString(city.resolve("personas.json"), "{\"personas\":[{\"persona\":\"p\",\"label\":\"Familien\"}]}");
        assertThatThrownBy(() -> new CityCatalog(dir).city("teststadt"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("personas.json")
                .hasMessageContaining("personas[0].label").hasMessageContaining("must be an object");
    }
}
