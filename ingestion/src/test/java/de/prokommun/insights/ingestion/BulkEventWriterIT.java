package de.prokommun.insights.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.events.InteractionEvent;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.ingestion.bulk.BulkEventWriter;
import de.prokommun.insights.ingestion.dedupe.CityRetention;
import de.prokommun.insights.ingestion.publish.KafkaEventPublisher;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.testkit.EmbeddedKafka;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bulk path for history against a real (embedded) Kafka broker: what it writes is what the HTTP endpoint would
 * have accepted, keyed and encoded the same way, and what the endpoint would refuse it refuses with the same status,
 * field and reason — nothing of a refused event reaches the topic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BulkEventWriterIT {
    private static final String SHOP_KEY = "shop-" + UUID.randomUUID();
    private static final String OPERATOR_KEY = "operator-" + UUID.randomUUID();
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    static Path dir;

    private EmbeddedKafka kafka;
    private Settings settings;
    private BulkEventWriter writer;

    @BeforeAll
    void start() throws Exception {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        Path participants = dir.resolve("participants.json");
        Files.writeString(participants, new JsonArray()
                .add(participant("baeckerei-schmidt", "PARTICIPANT", SHOP_KEY))
                .add(participant("stadtmarketing", "OPERATOR", OPERATOR_KEY)).encodePrettily());
        Path city = Files.createDirectories(dir.resolve("cities").resolve("musterstadt"));
        // a whole city.json: the city module reads it as strictly as every service does
        Files.writeString(city.resolve("city.json"), "{\"city\": \"musterstadt\", \"timeZone\": \"Europe/Berlin\","
                + " \"retention\": {\"purchasesYears\": 3}, \"districts\": {\"45468\": \"Altstadt\"},"
                + " \"ageBands\": [{\"band\": \"alle\", \"from\": 0, \"to\": 150}]}");
        Map<String, String> values = new HashMap<>();
        values.put(CommonConfig.KAFKA_BOOTSTRAP.name(), kafka.bootstrapServers());
        values.put(CommonConfig.TOPIC_PREFIX.name(), "bulk-it.");
        values.put(IngestionConfig.PARTICIPANTS_FILE.name(), participants.toString());
        settings = Settings.of(values);
        kafka.createTopics(settings, 2);
        writer = new BulkEventWriter(settings, ParticipantDirectory.load(participants),
                new CityRetention(dir.resolve("cities")), NOW, KafkaEventPublisher.newProducer(settings));
    }

    @AfterAll
    void stop() throws Exception {
        if (writer != null) writer.close();
        if (kafka != null) kafka.close();
    }

    @Test
    void anAcceptedEventLandsInTheRawTopicLikeOneSentOverHttp() throws Exception {
        String id = "bulk-" + UUID.randomUUID();
        long before = writer.acknowledged();
        assertThat(writer.write(SHOP_KEY, purchase(id, "2025-03-02T10:15:00+01:00"))).isNull();
        writer.flush();
        assertThat(writer.acknowledged()).isEqualTo(before + 1);

        ConsumerRecord<String, InteractionEvent> record = IngestionIT.readTopic(kafka, settings).get(id);
        assertThat(record).as("the event in the raw topic").isNotNull();
        assertThat(record.key()).as("keyed by resident, as the endpoint keys it").isEqualTo("musterstadt/R-000123");
        assertThat(record.value().getParticipant()).as("the sender from its key").isEqualTo("baeckerei-schmidt");
        assertThat(record.value().getCity()).isEqualTo("musterstadt");
        assertThat(((Purchase) record.value().getPayload()).getLines().get(0).getAmountCents()).isEqualTo(540L);
    }

    @Test
    void whatTheEndpointRefusesIsRefusedWithItsStatusFieldAndReasonAndNeverWritten() throws Exception {
        String invalid = "bulk-invalid-" + UUID.randomUUID();
        JsonObject noLines = purchase(invalid, "2025-03-02T10:15:00+01:00");
        noLines.getJsonObject("data").remove("lines");
        assertThat(writer.write(SHOP_KEY, noLines)).satisfies(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.field()).isEqualTo("data.lines");
        });

        String old = "bulk-old-" + UUID.randomUUID();
        assertThat(writer.write(SHOP_KEY, purchase(old, "2023-01-02T10:00:00+01:00"))).satisfies(r -> {
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.field()).isEqualTo("eventTime");
            assertThat(r.reason()).contains("retention of 3 years");
        });

        String portalOnly = "bulk-portal-" + UUID.randomUUID();
        JsonObject registration = new JsonObject().put("eventId", portalOnly).put("type", "consent.changed")
                .put("eventTime", "2025-03-02T10:15:00+01:00").put("resident", "R-000123")
                .put("data", new JsonObject().put("analytics", false));
        assertThat(writer.write(SHOP_KEY, registration).status()).as("a portal-only type from a shop").isEqualTo(403);

        String byOperator = "bulk-operator-" + UUID.randomUUID();
        assertThat(writer.write(OPERATOR_KEY, purchase(byOperator, "2025-03-02T10:15:00+01:00")).status()).isEqualTo(403);
        assertThat(writer.write("no-such-key", purchase("bulk-x-" + UUID.randomUUID(), "2025-03-02T10:15:00+01:00"))
                .status()).isEqualTo(401);

        String valid = "bulk-valid-" + UUID.randomUUID();
        assertThat(writer.write(SHOP_KEY, purchase(valid, "2025-03-02T10:15:00+01:00"))).isNull();
        writer.flush();
        Map<String, ConsumerRecord<String, InteractionEvent>> topic = IngestionIT.readTopic(kafka, settings);
        assertThat(topic).containsKey(valid).doesNotContainKeys(invalid, old, portalOnly, byOperator);
    }

    private static JsonObject purchase(String eventId, String eventTime) {
        return new JsonObject().put("eventId", eventId).put("type", "purchase").put("eventTime", eventTime)
                .put("resident", "R-000123")
                .put("data", new JsonObject().put("receipt", "B-" + eventId).put("lines", new JsonArray()
                        .add(new JsonObject().put("productGroup", "Brot").put("quantity", 2).put("amountCents", 540))));
    }

    private static JsonObject participant(String id, String role, String key) {
        return new JsonObject().put("id", id).put("city", "musterstadt").put("role", role).put("name", id)
                .put("apiKeySha256", ParticipantDirectory.digest(key));
    }
}
