package de.prokommun.insights.importer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read phase's counts on a file with bad rows, and the bookkeeping of the ingestion's answers. */
class ImportReportTest {

    @TempDir
    Path dir;

    static final String COLUMNS = """
            {"card": "card", "receipt": "receipt", "timestamp": {"column": "time", "format": "ISO"},
             "productGroup": "group", "quantity": "qty", "amount": {"column": "amount", "unit": "minor"}}
            """;

    @Test
    void everyRowOfTheFileIsReadAndEachBadOneIsRejectedWithItsReason() throws Exception {
        Path file = dir.resolve("sales.csv");
        Files.writeString(file, """
                card,receipt,time,group,qty,amount
                C1,R1,2026-01-02T10:00:00Z,Brot,1,250
                C1,R1,2026-01-02T10:00:00Z,Milch,2,198
                C2,R2,2026-01-02T11:00:00Z,Brot,1,250
                ,R3,2026-01-02T12:00:00Z,Brot,1,250
                C3,R4,gestern,Brot,1,250
                C3,R5,2026-01-02T12:00:00Z,Brot,1.5,250

                C4,R6,2026-01-02T12:00:00Z,Brot,1,250,extra
                C5,R7,2026-01-02T12:00:00Z,"Brot"x,1,250
                C9,R1,2026-01-02T10:00:00Z,Kaese,1,300
                """);
        HistoryImport.Options options = new HistoryImport.Options(URI.create("http://127.0.0.1:9"), Map.of("p", "k"), "p",
                ColumnMapping.fromJson(new ObjectMapper().readTree(COLUMNS), dir), file, null, 1000, 900_000, 1,
                Progress.disabled());
        ImportReport report = new ImportReport("sales.csv");

        ReceiptGrouper grouper = new HistoryImport(options).read(report);

        assertThat(report.rowsRead()).as("9 data rows; the blank line is no row").isEqualTo(9);
        assertThat(report.rowsRejected()).isEqualTo(5);
        assertThat(report.rejections()).extracting(ImportReport.Rejection::reason).containsExactlyInAnyOrder(
                "card/customer: empty (an anonymous sale cannot be attributed)",
                "time: not a date-time of the form 'ISO'",
                "qty: not a whole number (quantities count pieces; \"fractional\": \"ceil\" counts weighed goods as whole pieces)",
                "row: has a different number of fields than the header",
                "row: unexpected character 'x' after a closing quote");
        assertThat(report.rejections()).allSatisfy(r -> assertThat(r.exampleLines()).hasSize(1));
        // R1 holds rows of two cards: a conflict, rejected as a whole when the receipts are formed
        // R3..R5 are known only from unreadable rows; R6 and R7 are unreadable as a whole (no receipt number)
        assertThat(grouper.size()).isEqualTo(5);
        assertThat(grouper.withoutReadableRow()).isEqualTo(3);
        assertThat(grouper.conflicts()).singleElement().satisfies(c -> assertThat(c.rows()).isEqualTo(3));
        assertThat(grouper.receiptsByParticipant().get("p")).extracting(Receipt::receipt).containsExactly("R2");
    }

    @Test
    void acceptedAndRejectedReceiptsBalanceTheRows() {
        ImportReport report = new ImportReport("x");
        for (int i = 0; i < 4; i++) report.rowRead();
        Receipt two = new Receipt("p", "1", "C", null, java.time.Instant.EPOCH,
                java.util.List.of(new Receipt.Line("g", 1, 1), new Receipt.Line("h", 1, 1)), 2);
        Receipt one = new Receipt("p", "2", "C", null, java.time.Instant.EPOCH, java.util.List.of(new Receipt.Line("g", 0, 1)), 4);
        report.receiptAccepted(two);
        report.receiptRejected(one, ImportReport.Stage.INGESTION, "ingestion 400: data.lines[].quantity: must be >= 1");
        report.rowRejected(ImportReport.Stage.READ, "time: bad", 5);
        assertThat(report.balanced()).isTrue();
        assertThat(report.eventsSent()).isEqualTo(2);
        assertThat(report.eventsAccepted()).isEqualTo(1);
        assertThat(report.toJson().path("rejected").get(0).path("exampleLines").get(0).asLong()).isIn(4L, 5L);
        report.rowRead();
        assertThat(report.balanced()).isFalse();
    }

    @Test
    void theApisErrorListIsReadPerEventWithIndicesFolded() {
        IngestionClient.Answer answer = new IngestionClient.Answer(400, """
                {"error":{"status":400,"code":"invalid_events","retriable":false,"accepted":0,"problems":[
                 {"index":1,"eventId":"a","field":"data.lines[3].quantity","reason":"must be >= 1 but is 0"},
                 {"index":1,"eventId":"a","field":"data.lines[4].quantity","reason":"must be >= 1 but is 0"},
                 {"index":4,"eventId":"b","field":"eventTime","reason":"too old"}]}}
                """, -1);
        Map<Integer, String> bad = EventSender.badEvents(answer);
        assertThat(bad).containsOnlyKeys(1, 4);
        assertThat(bad.get(1)).isEqualTo("ingestion 400: data.lines[].quantity: must be >= 1 but is 0");
        assertThat(bad.get(4)).isEqualTo("ingestion 400: eventTime: too old");
        assertThat(EventSender.badEvents(new IngestionClient.Answer(403, "{\"error\":{\"status\":403,\"code\":\"forbidden\"}}", -1))).isEmpty();
    }
}
