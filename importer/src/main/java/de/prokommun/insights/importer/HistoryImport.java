package de.prokommun.insights.importer;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Loads a sales export as purchase events with their original event time: reads and checks every row by the
 * column mapping, groups rows into receipts (one purchase event per receipt), uploads the product-group mapping
 * if one is given, and sends the events through the ingestion API with each participant's key. Event ids derive
 * from participant and receipt, so running the same import twice is de-duplicated downstream.
 */
public final class HistoryImport {

    /**
     * @param participant the participant of every row, or null when the column mapping names a participant column
     * @param mappingCsv  product-group mapping (CSV) uploaded for every participant before the events, or null
     */
    public record Options(URI url, Map<String, String> keys, String participant, ColumnMapping columns, Path file,
                          byte[] mappingCsv, int batchSize, long maxBatchBytes, int maxAttempts, Progress progress,
                          EventSink sink) {
        /** Events through the ingestion API at {@code url}. */
        public Options(URI url, Map<String, String> keys, String participant, ColumnMapping columns, Path file,
                       byte[] mappingCsv, int batchSize, long maxBatchBytes, int maxAttempts, Progress progress) {
            this(url, keys, participant, columns, file, mappingCsv, batchSize, maxBatchBytes, maxAttempts, progress, null);
        }

        public Options withProgress(Progress p) {
            return new Options(url, keys, participant, columns, file, mappingCsv, batchSize, maxBatchBytes, maxAttempts, p, sink);
        }

        /** Events through {@code sink} (e.g. {@link BulkEventSink}) instead of the API; mappings still go to {@code url}. */
        public Options withSink(EventSink s) {
            return new Options(url, keys, participant, columns, file, mappingCsv, batchSize, maxBatchBytes, maxAttempts, progress, s);
        }
    }

    /** The mapping upload was refused: the CSV itself is wrong, so no event is sent. */
    public static final class MappingRejected extends Exception {
        MappingRejected(String message) {
            super(message);
        }
    }

    /** How many participants' events are sent at the same time. */
    static final int PARALLEL_PARTICIPANTS = 4;

    private final Options options;
    private final IngestionClient client;

    public HistoryImport(Options options) {
        this.options = options;
        this.client = options.url() == null ? null : new IngestionClient(options.url());
    }

    public ImportReport run() throws IOException, InterruptedException, MappingRejected {
        return run(new ImportReport(options.file().getFileName().toString()));
    }

    /** Runs into a report that may already hold other counts (the Complete Journey residents). */
    public ImportReport run(ImportReport report) throws IOException, InterruptedException, MappingRejected {
        ReceiptGrouper grouper = read(report);
        Map<String, List<Receipt>> byParticipant = grouper.receiptsByParticipant();
        grouper.conflicts().forEach(c -> report.rowsRejected(ImportReport.Stage.RECEIPT, c.reason(), c.rows(), 1, c.firstLine()));
        report.receipts(grouper.size(), grouper.withoutReadableRow());
        List<String> withKey = new ArrayList<>();
        for (var e : byParticipant.entrySet()) {
            if (options.keys().containsKey(e.getKey())) {
                withKey.add(e.getKey());
            } else {
                e.getValue().forEach(r -> report.receiptRejected(r, ImportReport.Stage.NOT_SENT,
                        "no API key for this participant in the keys file"));
            }
        }
        if (options.mappingCsv() != null) {
            if (client == null) throw new IllegalArgumentException("a product-group mapping is uploaded through the API: --url is needed");
            uploadMappings(withKey, report);
        }
        send(withKey, byParticipant, report);
        return report;
    }

    /** Reads and checks every row into receipts; rejected rows go to the report. */
    ReceiptGrouper read(ImportReport report) throws IOException {
        ReceiptGrouper grouper = new ReceiptGrouper();
        Progress progress = options.progress();
        try (CsvFile in = CsvFile.open(options.file(), options.columns().delimiter())) {
            SalesRowParser parser = new SalesRowParser(options.columns(), in.header(), options.participant());
            int headerSize = in.header().size();
            progress.start("lesen", "Zeilen");
            long n = 0;
            for (CsvFile.Row row = in.next(); row != null; row = in.next()) {
                report.rowRead();
                SalesRowParser.Parsed parsed = parser.parse(row, headerSize);
                if (parsed.row() != null) grouper.add(parsed.row());
                else {
                    report.rowRejected(ImportReport.Stage.READ, parsed.reason(), row.line());
                    String[] receipt = parser.receiptOf(row, headerSize);
                    if (receipt != null) grouper.unreadableRow(receipt[0], receipt[1]);
                }
                if ((++n & 1023) == 0) progress.update(in.progress(), n);
            }
            progress.finish(n);
        }
        return grouper;
    }

    private void uploadMappings(List<String> participants, ImportReport report) throws InterruptedException, MappingRejected {
        for (String participant : participants) {
            IngestionClient.Answer answer = null;
            String failure = null;
            for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
                try {
                    answer = client.postMappingCsv(options.keys().get(participant), options.mappingCsv());
                    if (answer.status() != 503 && answer.status() < 500) break;
                } catch (IOException e) {
                    failure = e.toString();
                }
                if (attempt < options.maxAttempts()) Thread.sleep(Math.min(30_000, 500L << attempt));
            }
            if (answer == null) {
                report.mappingUploaded(new ImportReport.MappingUpload(participant, 0, "not sent: " + failure));
                continue;
            }
            String summary = answer.status() == 200 ? answer.body() : EventSender.message(answer);
            report.mappingUploaded(new ImportReport.MappingUpload(participant, answer.status(), summary));
            if (answer.status() == 400) {
                throw new MappingRejected("the product-group mapping was refused (" + participant + "): " + answer.body());
            }
        }
    }

    private void send(List<String> participants, Map<String, List<Receipt>> byParticipant, ImportReport report)
            throws InterruptedException {
        EventSink sender = options.sink() != null ? options.sink()
                : new EventSender(client, options.batchSize(), options.maxBatchBytes(), options.maxAttempts(), 500);
        long total = participants.stream().mapToLong(p -> byParticipant.get(p).size()).sum();
        AtomicLong done = new AtomicLong();
        Progress progress = options.progress();
        progress.start("senden", "Belege");
        EventSender.Outcome<Receipt> outcome = new EventSender.Outcome<>() {
            @Override
            public void accepted(Receipt r) {
                report.receiptAccepted(r);
            }

            @Override
            public void rejected(Receipt r, String reason) {
                report.receiptRejected(r, ImportReport.stageOf(reason), reason);
            }
        };
        // participants are independent (own key, own receipts): a few in parallel keep the API busy when many
        // participants have few receipts each; the report is order-independent
        java.util.concurrent.atomic.AtomicReference<String> stopped = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(1, Math.min(PARALLEL_PARTICIPANTS, participants.size())));
        try {
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            for (String participant : participants) {
                running.add(pool.submit(() -> {
                    sendOne(sender, options.keys().get(participant), byParticipant.get(participant), outcome, stopped, report,
                            n -> progress.update(total == 0 ? 1 : (double) done.addAndGet(n) / total, done.get()));
                    return null;
                }));
            }
            for (var f : running) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("sending failed", e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if (stopped.get() != null) report.aborted(stopped.get());
        progress.finish(done.get());
    }

    private static void sendOne(EventSink sender, String key, List<Receipt> receipts, EventSender.Outcome<Receipt> outcome,
                                java.util.concurrent.atomic.AtomicReference<String> stopped, ImportReport report,
                                java.util.function.LongConsumer settled) throws InterruptedException {
        if (stopped.get() != null) {
            receipts.forEach(r -> report.receiptRejected(r, ImportReport.Stage.NOT_SENT,
                    "not sent: the import stopped (" + stopped.get() + ")"));
            return;
        }
        List<EventSender.Outgoing<Receipt>> events = new ArrayList<>(receipts.size());
        for (Receipt r : receipts) events.add(new EventSender.Outgoing<>(r.eventId(), PurchaseEvents.bytes(PurchaseEvents.toJson(r)), r));
        try {
            sender.send(key, events, outcome, settled);
        } catch (EventSender.Unavailable e) {
            stopped.compareAndSet(null, e.getMessage());
        }
    }
}
