package de.prokommun.insights.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.ProfileRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Kafka (embedded KRaft) feeding a real Pinot cluster in its child JVM through the repository's own
 * table definition. Each test writes rows of its own city, so the tests do not depend on each other; the
 * restart test runs last because it replaces the cluster.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PinotClusterIT {

    private static final int PARTITIONS = 2;
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(90);
    // A prefix other than the default proves that the runner points the table at the registry's topic name.
    private static final Settings SETTINGS = Settings.of(Map.of("topics.prefix", "pinotit."));
    private static final String TABLE = PinotTables.PROFILES.name();

    @TempDir
    static Path dataDir;

    private static EmbeddedKafka kafka;
    private static PinotCluster pinot;
    private static KafkaProducer<String, byte[]> producer;
    private static long version = 1;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(dataDir.resolve("kafka"));
        kafka.createTopics(SETTINGS, PARTITIONS);
        pinot = PinotCluster.start(dataDir.resolve("pinot"), kafka.bootstrapServers(), SETTINGS);
        producer = transactionalProducer();
        producer.initTransactions();
    }

    @AfterAll
    static void stop() {
        if (producer != null) producer.close();
        if (pinot != null) pinot.close();
        if (kafka != null) kafka.close();
    }

    @Test
    @Order(1)
    void countsTheCommittedRowsThatAreNotDeleted() {
        commit(row("c1", "count", "SINGLE", List.of("single")), row("c2", "count", "COUPLE", List.of("couple")),
                row("c3", "count", "FAMILY", List.of("family")));
        awaitCount("SELECT COUNT(*) FROM " + TABLE + " WHERE city = 'count' AND deleted = false", 3);
        assertThat(pinot.controllerHostPort()).startsWith("127.0.0.1:");
        assertThat(pinot.brokerHostPort()).startsWith("127.0.0.1:");
    }

    @Test
    @Order(2)
    void anUpsertOfTheSamePseudonymReplacesTheRow() {
        commit(row("u1", "upsert", "SINGLE", List.of("single")), row("u2", "upsert", "SINGLE", List.of("single")));
        awaitCount("SELECT COUNT(*) FROM " + TABLE + " WHERE city = 'upsert' AND deleted = false", 2);

        commit(row("u1", "upsert", "FAMILY", List.of("family")));
        awaitCount("SELECT COUNT(*) FROM " + TABLE + " WHERE city = 'upsert' AND householdType = 'FAMILY'", 1);
        assertThat(pinot.queryCount("SELECT COUNT(*) FROM " + TABLE + " WHERE city = 'upsert' AND deleted = false"))
                .isEqualTo(2);
        assertThat(pinot.queryCount("SELECT COUNT(*) FROM " + TABLE + " WHERE city = 'upsert' AND householdType = 'SINGLE'"))
                .isEqualTo(1);
        assertThat(pinot.query("SELECT householdType FROM " + TABLE + " WHERE pseudonym = 'u1'")
                .path("resultTable").path("rows").toString()).isEqualTo("[[\"FAMILY\"]]");
    }

    @Test
    @Order(3)
    void aDeletedRowDropsOutOfTheFilteredCount() {
        commit(row("d1", "deleted", "SINGLE", List.of()), row("d2", "deleted", "SINGLE", List.of()));
        awaitCount("SELECT COUNT(*) FROM " + TABLE + " WHERE city = 'deleted' AND deleted = false", 2);

        ProfileRow erased = ProfileRow.newBuilder(row("d1", "deleted", "SINGLE", List.of())).setDeleted(true).build();
        commit(erased);
        awaitCount("SELECT COUNT(*) FROM " + TABLE + " WHERE city = 'deleted' AND deleted = true", 1);
        assertThat(pinot.queryCount("SELECT COUNT(*) FROM " + TABLE + " WHERE city = 'deleted' AND deleted = false"))
                .isEqualTo(1);
    }

    @Test
    @Order(4)
    void rowsOfAnAbortedTransactionNeverAppear() throws Exception {
        producer.beginTransaction();
        producer.send(record(row("a1", "aborted", "SINGLE", List.of()))).get();
        producer.send(record(row("a2", "aborted", "SINGLE", List.of()))).get();
        producer.abortTransaction();

        // A committed marker behind the aborted rows in every partition: once all markers are visible,
        // Pinot has read past the aborted rows in each partition.
        producer.beginTransaction();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            ProfileRow marker = row("marker-" + partition, "aborted", "COUPLE", List.of());
            producer.send(new ProducerRecord<>(topic(), partition, marker.getPseudonym(), Topics.PROFILES.codec().encode(marker))).get();
        }
        producer.commitTransaction();

        awaitCount("SELECT COUNT(*) FROM " + TABLE + " WHERE city = 'aborted' AND householdType = 'COUPLE'", PARTITIONS);
        assertThat(pinot.queryCount("SELECT COUNT(*) FROM " + TABLE + " WHERE city = 'aborted'")).isEqualTo(PARTITIONS);
    }

    @Test
    @Order(5)
    void filtersOnMultiValuePersonasAndInterests() {
        ProfileRow sporty = ProfileRow.newBuilder(row("m1", "multi", "FAMILY", List.of("family", "club_member")))
                .setInterests(List.of("sport", "music")).build();
        commit(sporty, row("m2", "multi", "SINGLE", List.of("student")), row("m3", "multi", "FAMILY", List.of("family")));
        awaitCount("SELECT COUNT(*) FROM " + TABLE + " WHERE city = 'multi' AND deleted = false", 3);
        assertThat(pinot.queryCount("SELECT COUNT(*) FROM " + TABLE + " WHERE city = 'multi' AND personas = 'family'"))
                .isEqualTo(2);
        assertThat(pinot.queryCount("SELECT COUNT(*) FROM " + TABLE
                + " WHERE city = 'multi' AND personas IN ('student', 'club_member')")).isEqualTo(2);
        assertThat(pinot.queryCount("SELECT COUNT(*) FROM " + TABLE + " WHERE city = 'multi' AND interests = 'sport'"))
                .isEqualTo(1);
        assertThat(pinot.queryCount("SELECT COUNT(*) FROM " + TABLE
                + " WHERE city = 'multi' AND consentOffers = true AND personas = 'family'")).isEqualTo(2);
    }

    @Test
    @Order(6)
    void aRestartOnTheSameDataDirectoryKeepsTheRows() throws Exception {
        commit(row("r1", "restart", "SINGLE", List.of("single")), row("r2", "restart", "FAMILY", List.of("family")));
        awaitCount("SELECT COUNT(*) FROM " + TABLE + " WHERE city = 'restart' AND deleted = false", 2);
        long before = pinot.queryCount("SELECT COUNT(*) FROM " + TABLE + " WHERE deleted = false");
        PinotCluster.Ports ports = pinot.ports();
        pinot.close();

        pinot = PinotCluster.start(dataDir.resolve("pinot"), kafka.bootstrapServers(), SETTINGS, ports);
        assertThat(Files.readString(pinot.logFile())).contains("Table " + TABLE + "_REALTIME updated");
        awaitCount("SELECT COUNT(*) FROM " + TABLE + " WHERE deleted = false", before);
        assertThat(pinot.queryCount("SELECT COUNT(*) FROM " + TABLE + " WHERE city = 'restart' AND personas = 'family'"))
                .isEqualTo(1);

        commit(row("r3", "restart", "SINGLE", List.of("single")));
        awaitCount("SELECT COUNT(*) FROM " + TABLE + " WHERE city = 'restart' AND deleted = false", 3);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private static ProfileRow row(String pseudonym, String city, String household, List<String> personas) {
        return ProfileRow.newBuilder()
                .setPseudonym(pseudonym)
                .setCity(city)
                .setBirthYear(1985)
                .setAge(40)
                .setAgeBand("35-44")
                .setGender("FEMALE")
                .setDistrict("Altstadt")
                .setHouseholdType(household)
                .setPersonas(personas)
                .setInterests(List.of())
                .setConsentOffers(true)
                .setConsentNewsletter(false)
                .setDeleted(false)
                .setUpdatedAt(Instant.now().toEpochMilli())
                .setVersion(version++)
                .build();
    }

    private static void commit(ProfileRow... rows) {
        producer.beginTransaction();
        try {
            for (ProfileRow row : rows) producer.send(record(row)).get();
            producer.commitTransaction();
        } catch (Exception e) {
            producer.abortTransaction();
            throw new IllegalStateException("cannot write profile rows", e);
        }
    }

    private static ProducerRecord<String, byte[]> record(ProfileRow row) {
        return new ProducerRecord<>(topic(), row.getPseudonym(), Topics.PROFILES.codec().encode(row));
    }

    private static String topic() {
        return Topics.PROFILES.name(SETTINGS);
    }

    /** Pinot consumes asynchronously: poll until the count is reached, then require it exactly. */
    private static void awaitCount(String sql, long expected) {
        Instant deadline = Instant.now().plus(VISIBLE_WITHIN);
        long last = -1;
        while (Instant.now().isBefore(deadline)) {
            try {
                last = pinot.queryCount(sql);
            } catch (IllegalStateException partialOrStarting) {
                last = -1;
            }
            if (last == expected) return;
            sleep();
        }
        assertThat(last).as("%s (waited %s)", sql, VISIBLE_WITHIN).isEqualTo(expected);
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static KafkaProducer<String, byte[]> transactionalProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "pinot-it-" + UUID.randomUUID());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }
}
