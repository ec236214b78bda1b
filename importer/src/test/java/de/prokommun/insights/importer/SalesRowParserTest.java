package de.prokommun.insights.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SalesRowParserTest {

    @TempDir
    Path dir;

    /** A German export: separate date and time columns, decimal comma, thousands dot, customer and card columns. */
    private static final String GERMAN = """
            {"delimiter": ";",
             "card": {"column": "Kartennr", "format": "C-{}"},
             "customer": "Kundennr",
             "receipt": "Bon",
             "timestamp": {"column": "Datum", "timeColumn": "Uhrzeit", "format": "dd.MM.yyyy HH:mm", "zone": "Europe/Berlin"},
             "productGroup": "Warengruppe",
             "quantity": "Menge",
             "amount": {"column": "Betrag", "decimalSeparator": ",", "groupingSeparator": ".", "unit": "major"}}
            """;
    private static final List<String> HEADER = List.of("Kartennr", "Kundennr", "Bon", "Datum", "Uhrzeit", "Warengruppe",
            "Menge", "Betrag");

    private static ColumnMapping mapping(String json, Path base) throws Exception {
        return ColumnMapping.fromJson(new ObjectMapper().readTree(json), base);
    }

    private static CsvFile.Row row(String... fields) {
        return new CsvFile.Row(1, 7, List.of(fields), null);
    }

    @Test
    void mapsAGermanExportRowOntoAPurchaseLine() throws Exception {
        SalesRowParser parser = new SalesRowParser(mapping(GERMAN, dir), HEADER, "baeckerei-schmidt");

        SalesRowParser.Parsed p = parser.parse(row("4711", "", "B-1", "28.11.2026", "10:15", "Brötchen", "3", "1.234,56"), HEADER.size());

        assertThat(p.reason()).isNull();
        assertThat(p.row()).isEqualTo(new SalesRow("baeckerei-schmidt", "C-4711", null, "B-1",
                Instant.parse("2026-11-28T09:15:00Z"), "Brötchen", 3, 123_456, 7));
    }

    @Test
    void namesTheFieldOfEveryUnreadableRowWithoutItsValue() throws Exception {
        SalesRowParser parser = new SalesRowParser(mapping(GERMAN, dir), HEADER, "p");
        assertThat(parser.parse(row("", "", "B", "28.11.2026", "10:15", "G", "1", "1"), 8).reason())
                .isEqualTo("card/customer: empty (an anonymous sale cannot be attributed)");
        assertThat(parser.parse(row("1", "", "B", "2026-11-28", "10:15", "G", "1", "1"), 8).reason())
                .startsWith("Datum: not a date-time");
        assertThat(parser.parse(row("1", "", "B", "28.11.2026", "10:15", "G", "1,5", "1"), 8).reason())
                .startsWith("Menge: not a whole number");
        assertThat(parser.parse(row("1", "", "B", "28.11.2026", "10:15", "G", "1", "zwei"), 8).reason())
                .isEqualTo("Betrag: not a number (amount)");
        assertThat(parser.parse(row("1", "", "B", "28.11.2026", "10:15", "", "1", "1"), 8).reason())
                .isEqualTo("Warengruppe: empty (product group)");
        assertThat(parser.parse(row("1", "", "B"), 8).reason()).contains("number of fields");
        assertThat(parser.parse(row("4711", "", "B", "28.11.2026", "10:15", "G", "1", "1"), 8).reason()).isNull();
    }

    @Test
    void completeJourneyStyleLookupWallClockAndCents() throws Exception {
        Files.writeString(dir.resolve("products.csv"), "product_id,product_category\n10,BREAD\n11,\n");
        String json = """
                {"participant": {"column": "store_id", "format": "cj-store-{}"},
                 "card": {"column": "household_id", "format": "CJ-{}"}, "receipt": "basket_id",
                 "timestamp": {"column": "ts", "format": "yyyy-MM-dd'T'HH:mm:ssxx", "zone": "Europe/Berlin", "keepWallClock": true},
                 "productGroup": {"column": "product_id", "lookup": {"file": "products.csv", "key": "product_id", "value": "product_category"}},
                 "quantity": "quantity", "amount": {"column": "sales_value", "unit": "major"}}
                """;
        List<String> header = List.of("household_id", "store_id", "basket_id", "product_id", "quantity", "sales_value", "ts");
        SalesRowParser parser = new SalesRowParser(mapping(json, dir), header, null);

        SalesRowParser.Parsed ok = parser.parse(row("2261", "309", "316", "10", "2", "3.8600000001", "2017-01-28T14:06:53-0500"), 7);
        assertThat(ok.row()).isEqualTo(new SalesRow("cj-store-309", "CJ-2261", null, "316",
                Instant.parse("2017-01-28T13:06:53Z"), "BREAD", 2, 386, 7));
        assertThat(parser.parse(row("1", "309", "1", "99", "1", "1", "2017-01-28T14:06:53-0500"), 7).reason())
                .isEqualTo("product_id: not found in products.csv");
        assertThat(parser.parse(row("1", "309", "1", "11", "1", "1", "2017-01-28T14:06:53-0500"), 7).reason())
                .isEqualTo("product_id: product_category is empty in products.csv");
    }

    @Test
    void theOffsetIsHonouredUnlessTheWallClockIsKept() throws Exception {
        String json = """
                {"card": "c", "receipt": "r", "timestamp": {"column": "t", "format": "yyyy-MM-dd'T'HH:mm:ssxx"},
                 "productGroup": "g", "quantity": "q", "amount": {"column": "a", "unit": "minor"}}
                """;
        List<String> header = List.of("c", "r", "t", "g", "q", "a");
        SalesRowParser parser = new SalesRowParser(mapping(json, dir), header, "p");
        SalesRow r = parser.parse(row("1", "1", "2017-01-28T14:06:53-0500", "G", "1", "250"), 6).row();
        assertThat(r.time()).isEqualTo(Instant.parse("2017-01-28T19:06:53Z"));
        assertThat(r.amountCents()).isEqualTo(250);
    }

    @Test
    void badMappingsAndMissingColumnsAreRefusedUpFront() throws Exception {
        assertThatThrownBy(() -> mapping("{\"receipt\": \"r\"}", dir)).hasMessageContaining("'card' or 'customer'")
                .hasMessageContaining("'timestamp' is required").hasMessageContaining("'amount' is required");
        assertThatThrownBy(() -> mapping(GERMAN.replace("\"delimiter\"", "\"delimeter\""), dir))
                .hasMessageContaining("unknown field 'delimeter'");
        assertThatThrownBy(() -> new SalesRowParser(mapping(GERMAN, dir), List.of("Bon"), "p"))
                .hasMessageContaining("no column(s)");
        assertThatThrownBy(() -> new SalesRowParser(mapping(GERMAN, dir), HEADER, null))
                .hasMessageContaining("--participant");
    }

    @Test
    void textCellsFollowTheWritePathsTextRuleAndComeBackInNfc() throws Exception {
        SalesRowParser parser = new SalesRowParser(mapping(GERMAN, dir), HEADER, "baeckerei-schmidt");

        SalesRowParser.Parsed bidi = parser.parse(row("4711", "", "B-\u202e1", "28.11.2026", "10:15", "Brot", "1", "1,00"), HEADER.size());
        assertThat(bidi.row()).isNull();
        assertThat(bidi.reason()).startsWith("Bon: ").contains("U+202E").doesNotContain("B-");
        SalesRowParser.Parsed zeroWidth = parser.parse(row("4711", "", "B-1", "28.11.2026", "10:15", "Bro\u200bt", "1", "1,00"), HEADER.size());
        assertThat(zeroWidth.reason()).startsWith("Warengruppe: ").contains("U+200B");
        SalesRowParser.Parsed card = parser.parse(row("47\u000011", "", "B-1", "28.11.2026", "10:15", "Brot", "1", "1,00"), HEADER.size());
        assertThat(card.reason()).startsWith("Kartennr: ").contains("U+0000");

        SalesRowParser.Parsed decomposed = parser.parse(row("4711", "", "Cafe\u0301-1", "28.11.2026", "10:15", "Gemu\u0308se", "1", "1,00"),
                HEADER.size());
        assertThat(decomposed.row().receipt()).isEqualTo("Caf\u00e9-1");
        assertThat(decomposed.row().productGroup()).isEqualTo("Gem\u00fcse");
    }
}
