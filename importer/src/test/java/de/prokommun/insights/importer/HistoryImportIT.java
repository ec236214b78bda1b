package de.prokommun.insights.importer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topic;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.InteractionEvent;
import de.prokommun.insights.events.ProductGroupMapping;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.importer.completejourney.CompleteJourney;
import de.prokommun.insights.ingestion.IngestionConfig;
import de.prokommun.insights.ingestion.IngestionServer;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.testkit.EmbeddedKafka;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The import over real HTTP into the real ingestion endpoint and an embedded Kafka broker. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HistoryImportIT {

    static final Path CJ = Path.of("../../shared/data/completejourney");
    static final Path CITIES = Path.of("../cities").toAbsolutePath().normalize();
    static final String SHOP = "baeckerei-schmidt";

    @TempDir
    static Path dir;

    private EmbeddedKafka kafka;
    private Vertx vertx;
    private IngestionServer server;
    private Settings settings;
    private Map<String, String> keys;

    @BeforeAll
    void start() throws Exception {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        vertx = Vertx.vertx();
        Path participants = dir.resolve("participants.json");
        keys = new LinkedHashMap<>(CompleteJourney.writeParticipants(CJ, participants, dir.resolve("cj-keys.json")));
        String shopKey = "shop-" + UUID.randomUUID();
        keys.put(SHOP, shopKey);
        ObjectMapper json = new ObjectMapper();
        ArrayNode directory = (ArrayNode) json.readTree(participants.toFile());
        directory.addObject().put("id", SHOP).put("city", "musterstadt").put("role", "PARTICIPANT").put("name", "Bäckerei")
                .put("apiKeySha256", ParticipantDirectory.digest(shopKey));
        json.writeValue(participants.toFile(), directory);
        Map<String, String> values = new HashMap<>();
        values.put(CommonConfig.KAFKA_BOOTSTRAP.name(), kafka.bootstrapServers());
        values.put(CommonConfig.TOPIC_PREFIX.name(), "import-it.");
        values.put(CommonConfig.CITIES_DIR.name(), CITIES.toString());
        values.put(IngestionConfig.PARTICIPANTS_FILE.name(), participants.toString());
        // the Complete Journey sample is 2017 data replayed into a fresh pipeline (docs/IMPORT.md, section 3):
        // Musterstadt keeps purchases 3 years, so this server does not refuse them for their age;
        // purchasesOutsideTheCitysRetentionAreReportedAsSuch runs its own server that does
        values.put(IngestionConfig.RETENTION_ENFORCED.name(), "false");
        settings = Settings.of(values);
        kafka.createTopics(settings, 2);
        server = IngestionServer.deploy(vertx, settings).await(60, TimeUnit.SECONDS);
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) server.undeploy().await(30, TimeUnit.SECONDS);
        if (vertx != null) vertx.close().await(30, TimeUnit.SECONDS);
        if (kafka != null) kafka.close();
    }

    @Test
    void importingTheSameFileTwiceSendsEveryReceiptWithTheSameIdAndTheSameReport() throws Exception {
        Path file = dir.resolve("kasse.csv");
        Files.writeString(file, """
                Kartennr;Bon;Datum;Uhrzeit;Warengruppe;Menge;Betrag
                4711;B-1;02.01.2025;08:15;Brötchen;6;2,40
                4711;B-1;02.01.2025;08:15;Kuchen;1;3,20
                4712;B-2;02.01.2025;09:30;Brötchen;2;0,80
                4713;B-3;02.01.2025;10:00;Brötchen;0;0,00
                ;B-4;02.01.2025;10:05;Brötchen;1;0,40
                4714;B-5;03.01.2025;07:45;Brot;1;3,90
                """, StandardCharsets.UTF_8);
        Path columns = dir.resolve("columns.json");
        Files.writeString(columns, """
                {"card": {"column": "Kartennr", "format": "MS-{}"}, "receipt": "Bon",
                 "timestamp": {"column": "Datum", "timeColumn": "Uhrzeit", "format": "dd.MM.yyyy HH:mm", "zone": "Europe/Berlin"},
                 "productGroup": "Warengruppe", "quantity": "Menge",
                 "amount": {"column": "Betrag", "decimalSeparator": ",", "unit": "major"}}
                """);
        byte[] mapping = "productGroup;category\nBrötchen;lebensmittel.backwaren\nBrot;lebensmittel.backwaren\n"
                .getBytes(StandardCharsets.UTF_8);
        HistoryImport.Options options = new HistoryImport.Options(URI.create(server.baseUrl()), keys, SHOP,
                ColumnMapping.load(columns), file, mapping, 1000, 900_000, 3, Progress.disabled());

        ImportReport first = new HistoryImport(options).run();
        ImportReport second = new HistoryImport(options).run();

        for (ImportReport report : List.of(first, second)) {
            assertThat(report.rowsRead()).as("rows in the file").isEqualTo(6);
            assertThat(report.rowsImported()).isEqualTo(4);
            assertThat(report.rowsRejected()).isEqualTo(2);
            assertThat(report.balanced()).isTrue();
            assertThat(report.receipts()).isEqualTo(5);
            assertThat(report.receiptsWithoutReadableRow()).as("B-4, anonymous").isEqualTo(1);
            assertThat(report.eventsAccepted()).isEqualTo(3);
            assertThat(report.eventsRejected()).isEqualTo(1);
            assertThat(report.rejections()).extracting(ImportReport.Rejection::reason).containsExactlyInAnyOrder(
                    "card/customer: empty (an anonymous sale cannot be attributed)",
                    "ingestion 400: data.lines[].quantity: " + reasonFor(report, "data.lines[].quantity"));
            assertThat(report.mappingUploads()).singleElement().satisfies(u -> assertThat(u.status()).isEqualTo(200));
        }
        assertThat(second.toJson()).isEqualTo(first.toJson());

        List<InteractionEvent> raw = read(Topics.RAW_EVENTS).stream()
                .filter(e -> e.getParticipant().equals(SHOP) && e.getCard().startsWith("MS-")).toList();
        Map<String, Long> timesPerId = raw.stream().collect(Collectors.groupingBy(InteractionEvent::getEventId, Collectors.counting()));
        assertThat(timesPerId).hasSize(3).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(2L));
        assertThat(timesPerId).containsKey(EventIds.purchase(SHOP, "B-1"));
        InteractionEvent b1 = raw.stream().filter(e -> e.getEventId().equals(EventIds.purchase(SHOP, "B-1"))).findFirst().orElseThrow();
        assertThat(b1.getEventTime()).isEqualTo(Instant.parse("2025-01-02T07:15:00Z").toEpochMilli());
        assertThat(b1.getCard()).isEqualTo("MS-4711");
        Purchase purchase = (Purchase) b1.getPayload();
        assertThat(purchase.getLines()).extracting(l -> l.getProductGroup() + " " + l.getQuantity() + " " + l.getAmountCents())
                .containsExactly("Brötchen 6 240", "Kuchen 1 320");
        Map<String, ProductGroupMapping> mappings = new HashMap<>();
        read(Topics.PRODUCT_GROUP_MAPPINGS).forEach(m -> mappings.put(m.getParticipant() + "/" + m.getProductGroup(), m));
        assertThat(mappings.get(SHOP + "/Brötchen").getCategory()).isEqualTo("lebensmittel.backwaren");
    }

    @Test
    void purchasesOutsideTheCitysRetentionAreReportedAsSuch() throws Exception {
        IngestionServer enforcing = IngestionServer.deploy(vertx, settings.with(IngestionConfig.RETENTION_ENFORCED, true)
                .with(IngestionConfig.INSTANCES, 1)).await(60, TimeUnit.SECONDS);
        try {
            Path file = dir.resolve("old.csv");
            String recent = java.time.LocalDate.now().minusMonths(2).toString();
            Files.writeString(file, "card,receipt,time,group,qty,amount\n"
                    + "K7,OLD-1,2015-03-02T10:00:00+01:00,Brot,1,2.50\n"
                    + "K7,OLD-1,2015-03-02T10:00:00+01:00,Milch,1,1.10\n"
                    + "K7,NEW-1," + recent + "T10:00:00+01:00,Brot,1,2.50\n");
            Path columns = dir.resolve("old-columns.json");
            Files.writeString(columns, "{\"card\": \"card\", \"receipt\": \"receipt\", \"timestamp\": \"time\","
                    + " \"productGroup\": \"group\", \"quantity\": \"qty\", \"amount\": \"amount\"}");
            HistoryImport.Options options = new HistoryImport.Options(URI.create(enforcing.baseUrl()), keys, SHOP,
                    ColumnMapping.load(columns), file, null, 1000, 900_000, 3, Progress.disabled());

            ImportReport report = new HistoryImport(options).run();

            assertThat(report.rowsRead()).isEqualTo(3);
            assertThat(report.balanced()).isTrue();
            assertThat(report.eventsAccepted()).isEqualTo(1);
            assertThat(report.eventsRejected()).isEqualTo(1);
            assertThat(report.receiptsOutsideRetention()).isEqualTo(1);
            assertThat(report.rejections()).singleElement().satisfies(r -> {
                assertThat(r.stage()).isEqualTo(ImportReport.Stage.OUTSIDE_RETENTION);
                assertThat(r.rows()).isEqualTo(2);
                assertThat(r.reason()).startsWith("ingestion 422: eventTime: ").contains("retention of 3 years");
            });
            assertThat(report.toJson().path("outsideRetention").asLong()).isEqualTo(1);
            java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
            report.print(new java.io.PrintStream(printed, true, StandardCharsets.UTF_8), false);
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Belege außerhalb der Aufbewahrungsfrist");
            assertThat(read(Topics.RAW_EVENTS)).noneSatisfy(e -> assertThat(e.getEventId()).isEqualTo(EventIds.purchase(SHOP, "OLD-1")));
        } finally {
            enforcing.undeploy().await(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theCommandLineImportsAFileAndWritesTheReport() throws Exception {
        Path file = dir.resolve("cli.csv");
        Files.writeString(file, "card,receipt,time,group,qty,amount\nK1,CLI-1,2024-05-02T10:00:00+02:00,Brot,1,2.50\n"
                + "K1,CLI-1,2024-05-02T10:00:00+02:00,Milch,1,1.10\n");
        Path columns = dir.resolve("cli-columns.json");
        Files.writeString(columns, "{\"card\": \"card\", \"receipt\": \"receipt\", \"timestamp\": \"time\","
                + " \"productGroup\": \"group\", \"quantity\": \"qty\", \"amount\": \"amount\"}");
        Path keysFile = dir.resolve("cli-keys.json");
        KeysFile.write(keysFile, "musterstadt", Map.of(SHOP, keys.get(SHOP)));
        Path reportFile = dir.resolve("cli-report.json");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();

        int rc = ImportHistoryMain.run(new String[] {"--url", server.baseUrl(), "--keys", keysFile.toString(),
                "--participant", SHOP, "--columns", columns.toString(), "--file", file.toString(),
                "--report", reportFile.toString(), "--no-progress"}, new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Zeilen gelesen", "Abgleich");
        var json = new ObjectMapper().readTree(reportFile.toFile());
        assertThat(json.path("rowsRead").asLong()).isEqualTo(2);
        assertThat(json.path("rowsImported").asLong()).isEqualTo(2);
        assertThat(json.path("eventsAccepted").asLong()).isEqualTo(1);
        assertThat(read(Topics.RAW_EVENTS)).anySatisfy(e -> assertThat(e.getEventId()).isEqualTo(EventIds.purchase(SHOP, "CLI-1")));
    }

    /**
     * The bulk path (--kafka: the ingestion's checks, no HTTP) imports the same file into its own topics with the
     * same report as the API — accepted, rejected with the same status, field and reason — and the same events.
     */
    @Test
    void theBulkPathReportsWhatTheApiReportsAndWritesTheSameEvents() throws Exception {
        Path file = dir.resolve("bulk.csv");
        Files.writeString(file, "card,receipt,time,group,qty,amount\n"
                + "K1,BULK-1,2024-05-02T10:00:00+02:00,Brot,1,2.50\n"
                + "K1,BULK-1,2024-05-02T10:00:00+02:00,Milch,1,1.10\n"
                + "K2,BULK-2,2024-05-03T10:00:00+02:00,Brot,0,0.00\n"
                + "K3,BULK-3,2024-05-04T10:00:00+02:00,Brot,2,5.00\n");
        Path columns = dir.resolve("bulk-columns.json");
        Files.writeString(columns, "{\"card\": \"card\", \"receipt\": \"receipt\", \"timestamp\": \"time\","
                + " \"productGroup\": \"group\", \"quantity\": \"qty\", \"amount\": \"amount\"}");
        ImportReport overHttp = new HistoryImport(new HistoryImport.Options(URI.create(server.baseUrl()), keys, SHOP,
                ColumnMapping.load(columns), file, null, 1000, 900_000, 3, Progress.disabled())).run();
        assertThat(overHttp.eventsAccepted()).isEqualTo(2);
        assertThat(overHttp.eventsRejected()).isEqualTo(1);

        Settings bulkTopics = settings.with(CommonConfig.TOPIC_PREFIX, "import-bulk-it.");
        kafka.createTopics(bulkTopics, 2);
        Path keysFile = dir.resolve("bulk-keys.json");
        KeysFile.write(keysFile, "musterstadt", Map.of(SHOP, keys.get(SHOP)));
        Path reportFile = dir.resolve("bulk-report.json");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int rc = ImportHistoryMain.run(new String[] {"--kafka", kafka.bootstrapServers(), "--participants",
                dir.resolve("participants.json").toString(), "--topic-prefix", "import-bulk-it.", "--cities-dir",
                CITIES.toString(), "--no-retention-check", "--keys", keysFile.toString(), "--participant", SHOP,
                "--columns", columns.toString(), "--file", file.toString(), "--report", reportFile.toString(),
                "--no-progress"}, new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(new ObjectMapper().readTree(reportFile.toFile()).toString()).as("the same report as over HTTP")
                .isEqualTo(overHttp.toJson().toString());
        assertThat(read(Topics.RAW_EVENTS, bulkTopics)).extracting(InteractionEvent::getEventId)
                .containsExactlyInAnyOrder(EventIds.purchase(SHOP, "BULK-1"), EventIds.purchase(SHOP, "BULK-3"));
    }

    private static String reasonFor(ImportReport report, String field) {
        return report.rejections().stream().map(ImportReport.Rejection::reason).filter(r -> r.contains(field)).findFirst()
                .map(r -> r.substring(r.indexOf(field) + field.length() + 2)).orElse("(none)");
    }

    @Test
    void theCompleteJourneySampleIsImportedTwiceWithEveryReceiptAccountedForAndTheSameIds() throws Exception {
        ImportReport report = CompleteJourney.importAll(CJ, URI.create(server.baseUrl()), keys, CITIES, 1000, Progress.disabled());

        report.print(System.out, true);
        assertThat(report.abortedBecause()).isNull();
        assertThat(report.rowsRead()).as("rows in transactions_sample.csv.gz").isEqualTo(75_000);
        assertThat(report.balanced()).isTrue();
        assertThat(report.receipts()).isEqualTo(47_243);
        // every receipt of the file: accepted, rejected by the API with a reason, or none of its rows readable
        // (those rows are rejected with their reasons at READ)
        assertThat(report.eventsAccepted() + report.eventsRejected() + report.receiptsWithoutReadableRow())
                .isEqualTo(report.receipts());
        long receiptsRejectedByApi = report.rejections().stream().filter(r -> r.stage() == ImportReport.Stage.INGESTION)
                .mapToLong(ImportReport.Rejection::receipts).sum();
        assertThat(receiptsRejectedByApi).isEqualTo(report.eventsRejected());
        assertThat(report.rejections()).allSatisfy(r -> {
            assertThat(r.reason()).isNotBlank();
            assertThat(r.stage()).isIn(ImportReport.Stage.READ, ImportReport.Stage.INGESTION);
        });
        assertThat(report.residents()).containsEntry("resident.registered accepted", 801L)
                .containsEntry("card.linked accepted", 801L).hasSize(2);
        assertThat(report.mappingUploads()).hasSize(CompleteJourney.storeIds(CJ).size())
                .allSatisfy(u -> assertThat(u.status()).as(u.summary()).isEqualTo(200));

        List<InteractionEvent> purchases = read(Topics.RAW_EVENTS).stream()
                .filter(e -> e.getParticipant().startsWith("cj-store-")).toList();
        assertThat(purchases).hasSize((int) report.eventsAccepted());
        assertThat(purchases.stream().map(InteractionEvent::getEventId).distinct().count()).isEqualTo(report.eventsAccepted());
        long linesInTopic = purchases.stream().mapToLong(e -> ((Purchase) e.getPayload()).getLines().size()).sum();
        assertThat(linesInTopic).isEqualTo(report.rowsImported());

        // a second run: the same report, and every event again under the same id (the stream jobs count it once)
        ImportReport again = CompleteJourney.importAll(CJ, URI.create(server.baseUrl()), keys, CITIES, 1000, Progress.disabled());
        assertThat(again.toJson()).isEqualTo(report.toJson());
        Map<String, Long> timesPerId = read(Topics.RAW_EVENTS).stream().filter(e -> e.getParticipant().startsWith("cj-"))
                .collect(Collectors.groupingBy(InteractionEvent::getEventId, Collectors.counting()));
        assertThat(timesPerId).hasSize((int) report.eventsAccepted() + 2 * 801)
                .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(2L));
    }

    private <V> List<V> read(Topic<V> topic) {
        return read(topic, settings);
    }

    private <V> List<V> read(Topic<V> topic, Settings settings) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        String name = topic.name(settings);
        List<V> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(name).stream()
                    .map(i -> new TopicPartition(name, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) out.add(topic.codec().decode(r.value()));
            }
        }
        return out;
    }
}
