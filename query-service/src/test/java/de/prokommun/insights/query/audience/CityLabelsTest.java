package de.prokommun.insights.query.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class CityLabelsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

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
    void anEnglishNameIsUsedWhereTheFileHasOne() throws Exception {
        CityLabels labels = CityLabels.of(
                JSON.readTree("{\"categories\":[{\"id\":\"a\",\"name\":\"Essen\",\"nameEn\":\"Food\",\"children\":[{\"id\":\"a.b\",\"name\":\"Brot\"}]}]}"),
                JSON.readTree("{\"personas\":[{\"persona\":\"p\",\"label\":{\"de\":\"Familien\"}},{\"persona\":\"q\"}]}"));
        assertThat(labels.categories().get("a")).isEqualTo(new CityLabels.Label("Essen", "Food"));
        assertThat(labels.categories().get("a.b")).isEqualTo(new CityLabels.Label("Brot", "Brot"));
        assertThat(labels.personas()).containsOnlyKeys("p");
        assertThat(labels.personas().get("p").en()).isEqualTo("Familien");
    }

    @Test
    void aLabelThatIsNotAnObjectWithAGermanNameIsRefusedNamingThePersona() throws Exception {
        assertThatThrownBy(() -> CityLabels.of(null, JSON.readTree("{\"personas\":[{\"persona\":\"p\",\"label\":\"Familien\"}]}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("persona 'p'").hasMessageContaining("\"de\"");
    }
}
