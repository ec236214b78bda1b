package de.prokommun.insights.city;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The accessors the simulator, ingestion and the local mode read the city files through. */
class CitySourceAndCatalogueTest {

    private static final Path CITIES = Path.of("..", "cities");
    private static final String CITY = """
            {"city": "teststadt", "districts": {"12345": "Mitte"}, "ageBands": [{"band": "alle", "from": 0, "to": 150}]}""";
    private static final String CATALOGUE = """
            {"sizes": {"S": 1, "L": 8},
             "hours": {"shop": [[9,18],[9,18],[9,18],[9,18],[9,18],[9,14],null]},
             "kinds": {"laden": {"label": "Laden", "sector": "retail", "hours": "shop", "lines": [1, 3],
                                 "productGroups": [{"group": "Bücher", "category": "freizeit.buecher", "price": [500, 2500]}]},
                       "verein": {"sector": "club", "hours": "shop", "club": true, "checkIns": true}},
             "participants": [%s],
             "portal": {"id": "portal", "name": "Portal", "newsletter": "aktuell"},
             "operator": {"id": "marketing", "name": "Stadtmarketing"},
             "employers": [{"id": "werk", "name": "Werk", "weight": 3}]}""";
    private static final String BOOKSHOP = """
            {"id": "buecher", "name": "Bücherstube", "kind": "laden", "district": "12345", "size": "L", "bonus": true}""";

    @TempDir
    Path dir;

    private CitySource city(String catalogue) throws IOException {
        Path city = Files.createDirectories(dir.resolve("teststadt"));
        Files.writeString(city.resolve(CityFiles.CITY_JSON), CITY);
        if (catalogue != null) Files.writeString(city.resolve(CityFiles.PARTICIPANTS_CATALOGUE_JSON), catalogue);
        return CitySource.directory(city);
    }

    @Test
    void idsAreTheDirectoriesWithACityJson() throws IOException {
        city(null);
        Files.createDirectories(dir.resolve("kein-ort"));
        Files.writeString(Files.createDirectories(dir.resolve("anderstadt")).resolve(CityFiles.CITY_JSON), "{not json");
        assertThat(CityFiles.ids(dir)).containsExactly("anderstadt", "teststadt");
        assertThat(CityFiles.ids(CITIES)).contains("jena", "musterstadt");
        assertThat(CityFiles.ids(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void aCityOnTheClassPathIsReadAsADirectoryIs() {
        City c = CityFiles.read(CitySource.classpath("klassenstadt", getClass().getClassLoader()));
        assertThat(c.id()).isEqualTo("klassenstadt");
        assertThat(c.zone().getId()).isEqualTo("Europe/Vienna");
        assertThat(c.districtOf("12345")).isEqualTo("Mitte");
        assertThat(c.categories()).isEmpty();
        assertThatThrownBy(() -> CityFiles.read(CitySource.classpath("nirgendwo", getClass().getClassLoader())))
                .hasMessageContaining("cities/nirgendwo/city.json: is missing");
        assertThatThrownBy(() -> CitySource.classpath("../etc", getClass().getClassLoader()))
                .isInstanceOf(CityFileException.class);
    }

    @Test
    void taxonomyNameAndVersion() throws IOException {
        assertThat(CityFiles.find(CITIES, "musterstadt").orElseThrow().taxonomy())
                .isEqualTo(new TaxonomyName("prokommun-kategorien", 1));
        CitySource source = city(null);
        assertThat(CityFiles.read(source).taxonomy()).isNull();
        Path taxonomy = dir.resolve("teststadt").resolve(CityFiles.TAXONOMY_JSON);
        Files.writeString(taxonomy, "{\"categories\": [{\"id\": \"a\", \"name\": \"A\"}]}");
        assertThat(CityFiles.read(source).taxonomy()).isEqualTo(new TaxonomyName("taxonomy", 1));
        Files.writeString(taxonomy, "{\"version\": 0, \"categories\": []}");
        assertThatThrownBy(() -> CityFiles.read(source)).hasMessageContaining("teststadt/taxonomy.json: field 'version' must be at least 1");
    }

    @Test
    void musterstadtsCatalogueForTheSimulator() {
        Catalogue c = CityFiles.catalogue(CitySource.directory(CITIES.resolve("musterstadt")));
        assertThat(c.sizes()).containsEntry("S", 1).containsEntry("XL", 20);
        assertThat(c.hours().get("grocery")).hasSize(7);
        assertThat(c.hours().get("grocery").get(6)).isNull();
        assertThat(c.hours().get("bakery").get(0)).containsExactly(6, 18);
        Catalogue.Kind supermarket = c.kinds().get("supermarkt");
        assertThat(supermarket.sector()).isEqualTo("food");
        assertThat(supermarket.linesMin()).isEqualTo(2);
        assertThat(supermarket.linesMax()).isEqualTo(14);
        assertThat(supermarket.productGroups()).first()
                .isEqualTo(new Catalogue.Group("Backshop", "lebensmittel.backwaren", 35, 350));
        Catalogue.Business edeka = c.businesses().get(0);
        assertThat(edeka).isEqualTo(new Catalogue.Business("edeka-mueller", "Edeka Müller", "supermarkt", "45468", "XL",
                null, true, true));
        assertThat(c.portal()).isEqualTo(new Catalogue.Desk("portal", "proKommun-Portal Musterstadt", "musterstadt-aktuell"));
        assertThat(c.operator().id()).isEqualTo("stadtmarketing");
        assertThat(c.employers()).first().isEqualTo(new Catalogue.Employer("klinikum-musterstadt", "Klinikum Musterstadt", 6));
        assertThat(c.businesses()).extracting(Catalogue.Business::id)
                .containsExactlyElementsOf(CityFiles.find(CITIES, "musterstadt").orElseThrow().participants().stream()
                        .map(Participant::id).toList());
    }

    @Test
    void aCatalogueReadsDefaultsAndOwnProductGroups() throws IOException {
        Catalogue c = CityFiles.catalogue(city(CATALOGUE.formatted(BOOKSHOP + """
                , {"id": "tsv", "name": "TSV", "kind": "verein", "district": "12345", "size": "S",
                   "productGroups": [{"group": "Beitrag", "category": "freizeit.sport", "price": [1000, 1000]}]}""")));
        Catalogue.Kind club = c.kinds().get("verein");
        assertThat(club.label()).isEqualTo("verein");
        assertThat(club.linesMin()).isEqualTo(1);
        assertThat(club.linesMax()).isEqualTo(1);
        assertThat(club.club()).isTrue();
        assertThat(club.voucherSystem()).isFalse();
        assertThat(club.seasonal()).isNull();
        assertThat(c.businesses().get(0).newsletter()).isFalse();
        assertThat(c.businesses().get(1).productGroups()).containsExactly(new Catalogue.Group("Beitrag", "freizeit.sport", 1000, 1000));
    }

    @Test
    void catalogueErrorsNameFileAndField() throws IOException {
        assertThatThrownBy(() -> CityFiles.catalogue(city(null)))
                .hasMessageContaining("teststadt/participants-catalogue.json: is missing");
        assertThatThrownBy(() -> CityFiles.catalogue(city(CATALOGUE.formatted(BOOKSHOP.replace("\"L\"", "\"M\"")))))
                .hasMessageContaining("field 'participants[0].size' 'M' is not a size of 'sizes'");
        assertThatThrownBy(() -> CityFiles.catalogue(city(CATALOGUE.formatted(BOOKSHOP.replace("\"laden\"", "\"kiosk\"")))))
                .hasMessageContaining("field 'participants[0].kind' 'kiosk' is not a kind");
        assertThatThrownBy(() -> CityFiles.catalogue(city(CATALOGUE.formatted(BOOKSHOP).replace("[500, 2500]", "[2500, 500]"))))
                .hasMessageContaining("field 'kinds.laden.productGroups[0].price' must be [min, max] with 0 ≤ min ≤ max");
        assertThatThrownBy(() -> CityFiles.catalogue(city(CATALOGUE.formatted(BOOKSHOP).replace(",null]", "]"))))
                .hasMessageContaining("field 'hours.shop' needs 7 weekdays");
        assertThatThrownBy(() -> CityFiles.catalogue(city(CATALOGUE.formatted(BOOKSHOP).replace("\"hours\": \"shop\", \"club\"", "\"hours\": \"club\", \"club\""))))
                .hasMessageContaining("field 'kinds.verein.hours' 'club' is not a week of 'hours'");
        assertThatThrownBy(() -> CityFiles.catalogue(city(CATALOGUE.formatted(BOOKSHOP.replace("true", "\"ja\"")))))
                .hasMessageContaining("field 'participants[0].bonus' must be true or false");
        assertThatThrownBy(() -> CityFiles.catalogue(city(CATALOGUE.formatted(BOOKSHOP).replace("\"weight\": 3", "\"weight\": 0"))))
                .hasMessageContaining("field 'employers[0].weight' must be a positive weight");
    }

    @Test
    void aFileTheModuleDoesNotInterpretIsReadFromTheSameSource() throws IOException {
        CitySource source = CitySource.directory(CITIES.resolve("musterstadt"));
        assertThat(CityFiles.json(source, "population.json").isObject()).isTrue();
        assertThatThrownBy(() -> CityFiles.json(city(null), "behaviour.json"))
                .hasMessageContaining("teststadt/behaviour.json: is missing");
    }
}
