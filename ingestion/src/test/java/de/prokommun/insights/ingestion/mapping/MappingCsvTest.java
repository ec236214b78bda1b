package de.prokommun.insights.ingestion.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MappingCsvTest {

    @Test
    void readsSemicolonCsvWithQuotesBomAndCrlf() {
        MappingUpload upload = MappingCsv.parse("\uFEFFproductGroup;category\r\n"
                + "Brötchen;lebensmittel.backwaren\r\n"
                + "\"Obst; Gemüse\";lebensmittel.obst-gemuese\r\n"
                + "\"Sag \"\"Käse\"\"\" ; lebensmittel.molkerei-kaese\r\n"
                + "\r\n"
                + "Alte Gruppe;\r\n");

        assertThat(upload.errors()).isEmpty();
        assertThat(upload.rows()).containsExactly(
                new MappingRow(1, 2, "Brötchen", "lebensmittel.backwaren"),
                new MappingRow(2, 3, "Obst; Gemüse", "lebensmittel.obst-gemuese"),
                new MappingRow(3, 4, "Sag \"Käse\"", "lebensmittel.molkerei-kaese"),
                new MappingRow(4, 6, "Alte Gruppe", null));
    }

    @Test
    void readsCommaCsvWithColumnsInAnyOrderAndLineBreaksInsideQuotes() {
        MappingUpload upload = MappingCsv.parse("Category,ProductGroup\n"
                + "lebensmittel.backwaren,\"Brot,\nhell\"\n"
                + "lebensmittel.fisch,Fisch\n");

        assertThat(upload.errors()).isEmpty();
        assertThat(upload.rows()).containsExactly(
                new MappingRow(1, 2, "Brot,\nhell", "lebensmittel.backwaren"),
                new MappingRow(2, 4, "Fisch", "lebensmittel.fisch"));
    }

    @Test
    void namesRowLineAndReasonOfMalformedRows() {
        MappingUpload upload = MappingCsv.parse("productGroup;category\n"
                + "A;lebensmittel.fisch;extra\n"
                + "\"B\"x;lebensmittel.fisch\n"
                + "C;lebensmittel.fisch\n"
                + "\"D;lebensmittel.fisch\n");

        assertThat(upload.rows()).containsExactly(new MappingRow(3, 4, "C", "lebensmittel.fisch"));
        assertThat(upload.errors()).extracting(RowError::row, RowError::line).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, 2), org.assertj.core.groups.Tuple.tuple(2, 3),
                org.assertj.core.groups.Tuple.tuple(4, 5));
        assertThat(upload.errors().get(0).reason()).contains("has 3 fields but the header has 2");
        assertThat(upload.errors().get(1).reason()).contains("after a closing quote");
        assertThat(upload.errors().get(2).reason()).contains("never closed");
    }

    @Test
    void rejectsAWrongHeaderAndAnEmptyFile() {
        assertThat(MappingCsv.parse("group;category\nA;b\n").errors())
                .singleElement().satisfies(e -> {
                    assertThat(e.field()).isEqualTo("(header)");
                    assertThat(e.reason()).contains("productGroup");
                });
        assertThat(MappingCsv.parse("").errors()).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("empty"));
    }
}
