package de.prokommun.insights.ingestion.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.city.CityFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MappingValidatorTest {

    /** The real taxonomy of Musterstadt, as the service reads it. */
    static final Taxonomy MUSTERSTADT = Taxonomy.of(CityFiles.read(Path.of("../cities/musterstadt")));
    private final MappingValidator validator = new MappingValidator(MUSTERSTADT);

    @Test
    void acceptsSecondLevelIdsAndRemovals() {
        assertThat(validator.validate(List.of(new MappingRow(1, 2, "Brötchen", "lebensmittel.backwaren"),
                new MappingRow(2, 3, "Alt", null)), true)).isEmpty();
    }

    @Test
    void reportsEveryBadRowWithFieldAndReason() {
        List<RowError> errors = validator.validate(List.of(
                new MappingRow(1, 2, "Brötchen", "lebensmittel.backwaren"),
                new MappingRow(2, 3, "Brötchen", "lebensmittel.backwaren"),
                new MappingRow(3, 4, "", "lebensmittel.fisch"),
                new MappingRow(4, 5, "Kuchen", "lebensmittel"),
                new MappingRow(5, 6, "Torte", "lebensmittel.torten"),
                new MappingRow(6, 7, " Brot", "lebensmittel.backwaren"),
                new MappingRow(7, 8, "x".repeat(129), "lebensmittel.backwaren")), true);

        assertThat(errors).extracting(RowError::row, RowError::field).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2, "productGroup"),
                org.assertj.core.groups.Tuple.tuple(3, "productGroup"),
                org.assertj.core.groups.Tuple.tuple(4, "category"),
                org.assertj.core.groups.Tuple.tuple(5, "category"),
                org.assertj.core.groups.Tuple.tuple(6, "productGroup"),
                org.assertj.core.groups.Tuple.tuple(7, "productGroup"));
        assertThat(errors.get(0).reason()).contains("duplicate").contains("row 1");
        assertThat(errors.get(1).reason()).contains("empty");
        assertThat(errors.get(2).reason()).contains("top-level").contains("lebensmittel.backwaren");
        assertThat(errors.get(3).reason()).contains("unknown category id 'lebensmittel.torten'");
        assertThat(errors.get(4).reason()).contains("white space");
        assertThat(errors.get(5).reason()).contains("129");
    }

    @Test
    void productGroupsFollowTheTextRuleOfPurchaseLinesAndAreKeptInNfc() {
        List<RowError> errors = validator.validate(List.of(
                new MappingRow(1, 2, "Bro\u202et", "lebensmittel.backwaren"),
                new MappingRow(2, 3, "Brot\nchen", "lebensmittel.backwaren")), true);
        assertThat(errors).extracting(RowError::reason).allSatisfy(r -> assertThat(r).contains("U+"));
        assertThat(errors).hasSize(2);
        assertThat(new MappingRow(1, 2, "Gemu\u0308se", "lebensmittel.obst").productGroup()).isEqualTo("Gem\u00fcse");
        // a decomposed and a precomposed spelling are one product group
        assertThat(validator.validate(List.of(new MappingRow(1, 2, "Gemu\u0308se", "lebensmittel.backwaren"),
                new MappingRow(2, 3, "Gem\u00fcse", "lebensmittel.backwaren")), true))
                .singleElement().satisfies(e -> assertThat(e.reason()).contains("duplicate"));
    }

    @Test
    void jsonRowsAreNamedByTheirPath() {
        assertThat(validator.validate(List.of(new MappingRow(3, 0, "A", "nope")), false))
                .singleElement().satisfies(e -> assertThat(e.field()).isEqualTo("mappings[2].category"));
    }

    @Test
    void taxonomyServesGermanNamesOfEveryCategory() {
        var json = MUSTERSTADT.toJson("musterstadt");
        assertThat(json.getString("language")).isEqualTo("de");
        assertThat(json.getJsonArray("categories").getJsonObject(0).getString("name")).isEqualTo("Lebensmittel & Getränke");
        assertThat(MUSTERSTADT.isAssignable("lebensmittel.backwaren")).isTrue();
        assertThat(MUSTERSTADT.isAssignable("lebensmittel")).isFalse();
    }
}
