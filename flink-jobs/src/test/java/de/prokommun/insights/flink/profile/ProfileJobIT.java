package de.prokommun.insights.flink.profile;

import static de.prokommun.insights.flink.Fixtures.anonymous;
import static de.prokommun.insights.flink.Fixtures.at;
import static de.prokommun.insights.flink.Fixtures.registration;
import static de.prokommun.insights.flink.Fixtures.startOfYear;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.AnonymousProfileChange;
import de.prokommun.insights.events.DeadLetter;
import de.prokommun.insights.events.ErasureRequested;
import de.prokommun.insights.events.GiftVoucherRedeemed;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.events.PaymentKind;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.flink.Fixtures;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.flink.KafkaIO;
import de.prokommun.insights.flink.runtime.JobEnvironment;
import de.prokommun.insights.testkit.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The profile job on a Flink MiniCluster (parallelism 2) against a real Kafka broker, exactly-once. */
class ProfileJobIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static Settings settings;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        settings = Settings.of(Map.of(
                CommonConfig.KAFKA_BOOTSTRAP.name(), kafka.bootstrapServers(),
                CommonConfig.TOPIC_PREFIX.name(), "profile-it.",
                FlinkJobsConfig.CITIES_DIR.name(), Fixtures.CITIES_DIR.toString(),
                FlinkJobsConfig.CHECKPOINT_INTERVAL.name(), "500ms",
                FlinkJobsConfig.SOURCE_IDLENESS.name(), "1s",
                FlinkJobsConfig.PARALLELISM.name(), "2"));
        kafka.createTopics(settings, 2);
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) kafka.close();
    }

    @Test
    void anonymousEventsBecomeProfileRows() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobEnvironment.configure(env, settings, dir.resolve("checkpoints").toString());
        ProfileJob.buildOnKafka(env, settings);
        JobClient job = env.executeAsync("profile-it");
        try (KafkaIO io = new KafkaIO(kafka.bootstrapServers(), settings)) {
            send(io, anonymous("dora", "d-reg", at(2025, 6, 1), registration(2008, HouseholdType.FAMILY, true)));
            send(io, anonymous("anna", "a-reg", at(2026, 3, 1), registration(2003, HouseholdType.SINGLE, true, "uni")));
            send(io, anonymous("anna", "a-v1", at(2026, 3, 2), new GiftVoucherRedeemed("V1", 1000L, null)));
            send(io, anonymous("anna", "a-v1", at(2026, 3, 2), new GiftVoucherRedeemed("V1", 1000L, null)));
            io.sendBytes(Topics.ANONYMOUS_EVENTS, "anna", "poison".getBytes(StandardCharsets.UTF_8));
            send(io, anonymous("anna", "a-move", at(2026, 3, 3), AnonymousProfileChange.newBuilder().setDistrict("Broich").build()));
            send(io, anonymous("anna", "a-v2", at(2026, 3, 4), new GiftVoucherRedeemed("V2", 1000L, null)));
            send(io, anonymous("bert", "b-reg", at(2026, 3, 1), registration(1980, HouseholdType.COUPLE, false)));
            send(io, anonymous("bert", "b-buy", at(2026, 3, 2), Fixtures.purchase("B-1", PaymentKind.CARD)));
            send(io, anonymous("carla", "c-reg", at(2026, 3, 1), registration(1950, HouseholdType.SINGLE, true)));
            send(io, anonymous("carla", "c-erase", at(2026, 3, 5), new ErasureRequested(null)));

            Predicate<List<ProfileRow>> done = rows ->
                    rows.stream().anyMatch(r -> r.getPseudonym().equals("anna") && r.getPersonas().contains("voucher_user"))
                    && rows.stream().anyMatch(r -> r.getPseudonym().equals("carla") && r.getDeleted())
                    && rows.stream().anyMatch(r -> r.getPseudonym().equals("dora") && Integer.valueOf(18).equals(r.getAge()));
            List<ConsumerRecord<byte[], byte[]>> records = io.readUntil(Topics.PROFILES,
                    r -> done.test(KafkaIO.decode(Topics.PROFILES, r)), Duration.ofSeconds(60));
            List<ProfileRow> rows = KafkaIO.decode(Topics.PROFILES, records);
            assertThat(done.test(rows)).as("rows seen: %s", rows).isTrue();

            List<ProfileRow> anna = of(rows, "anna");
            assertThat(anna).hasSize(4);
            ProfileRow moved = anna.stream().filter(r -> "Broich".equals(r.getDistrict())).findFirst().orElseThrow();
            assertThat(moved.getPersonas()).as("the duplicate voucher redemption counted once").doesNotContain("voucher_user");
            assertThat(anna.get(3).getPersonas()).contains("voucher_user", "student", "young_adult", "single");
            assertThat(anna).extracting(ProfileRow::getVersion).isSorted().doesNotHaveDuplicates();

            assertThat(of(rows, "bert")).as("no analytics consent, no profile").isEmpty();

            List<ProfileRow> carla = of(rows, "carla");
            assertThat(carla).hasSize(2);
            assertThat(carla.get(1).getDeleted()).isTrue();
            assertThat(carla.get(1).getBirthYear()).isNull();

            List<ProfileRow> dora = of(rows, "dora");
            assertThat(dora.get(0).getAgeBand()).isEqualTo("14-17");
            assertThat(dora.get(1).getAgeBand()).isEqualTo("18-24");
            assertThat(dora.get(1).getUpdatedAt()).as("rolled over by the watermark on 1 January").isEqualTo(startOfYear(2026));

            for (ConsumerRecord<byte[], byte[]> r : records) {
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(Topics.PROFILES.codec().decode(r.value()).getPseudonym());
            }

            List<DeadLetter> dead = KafkaIO.decode(Topics.DEAD_LETTERS,
                    io.readUntil(Topics.DEAD_LETTERS, r -> !r.isEmpty(), Duration.ofSeconds(30)));
            assertThat(dead).singleElement().satisfies(d -> {
                assertThat(d.getStage()).isEqualTo(AnonymousEventDecoder.STAGE);
                assertThat(d.getReason()).startsWith("undecodable AnonymousEvent");
                assertThat(d.getSourceTopic()).isEqualTo(Topics.ANONYMOUS_EVENTS.name(settings));
            });
        } finally {
            job.cancel().get();
        }
    }

    private static List<ProfileRow> of(List<ProfileRow> rows, String pseudonym) {
        return rows.stream().filter(r -> r.getPseudonym().equals(pseudonym)).toList();
    }

    private static void send(KafkaIO io, AnonymousEvent e) throws Exception {
        io.send(Topics.ANONYMOUS_EVENTS, e.getPseudonym(), e);
    }
}
