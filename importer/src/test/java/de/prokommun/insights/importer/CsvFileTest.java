package de.prokommun.insights.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFileTest {

    @TempDir
    Path dir;

    private List<CsvFile.Row> readAll(CsvFile in) throws IOException {
        List<CsvFile.Row> rows = new ArrayList<>();
        for (CsvFile.Row r = in.next(); r != null; r = in.next()) rows.add(r);
        return rows;
    }

    @Test
    void readsSemicolonExportWithBomQuotesLineBreaksAndBlankLines() throws IOException {
        Path file = dir.resolve("kasse.csv");
        Files.writeString(file, "\uFEFFBon;Warengruppe;Betrag\r\n"
                + "1;\"Obst; Gemüse\";1,50\r\n"
                + "\r\n"
                + "2;\"Brot\r\nhell\";2,00\r\n"
                + "3;\"Sag \"\"Käse\"\"\";3\r\n", StandardCharsets.UTF_8);
        try (CsvFile in = CsvFile.open(file, null)) {
            assertThat(in.delimiter()).isEqualTo(';');
            assertThat(in.header()).containsExactly("Bon", "Warengruppe", "Betrag");
            List<CsvFile.Row> rows = readAll(in);
            assertThat(rows).extracting(CsvFile.Row::number).containsExactly(1L, 2L, 3L);
            assertThat(rows).extracting(CsvFile.Row::line).containsExactly(2L, 4L, 6L);
            assertThat(rows.get(0).fields()).containsExactly("1", "Obst; Gemüse", "1,50");
            assertThat(rows.get(1).fields()).containsExactly("2", "Brot\r\nhell", "2,00");
            assertThat(rows.get(2).fields()).containsExactly("3", "Sag \"Käse\"", "3");
            assertThat(in.progress()).isEqualTo(1.0);
        }
    }

    @Test
    void readsGzipAndReportsAMalformedRowWithoutLosingTheNextOne() throws IOException {
        Path file = dir.resolve("sales.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("a,b\n1,2\n\"x\"y,3\n4,5\n".getBytes(StandardCharsets.UTF_8));
        }
        try (CsvFile in = CsvFile.open(file, null)) {
            assertThat(in.delimiter()).isEqualTo(',');
            List<CsvFile.Row> rows = readAll(in);
            assertThat(rows).hasSize(3);
            assertThat(rows.get(1).error()).contains("after a closing quote");
            assertThat(rows.get(1).line()).isEqualTo(3);
            assertThat(rows.get(2).fields()).containsExactly("4", "5");
        }
    }
}
