package de.prokommun.insights.flink.runtime;

import static de.prokommun.insights.flink.Fixtures.at;
import static de.prokommun.insights.flink.Fixtures.raw;
import static de.prokommun.insights.flink.Fixtures.residentRegistered;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.GiftVoucherRedeemed;
import de.prokommun.insights.events.InteractionEvent;
import de.prokommun.insights.events.PaymentKind;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.flink.Fixtures;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.flink.KafkaIO;
import de.prokommun.insights.flink.KafkaTestBed;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three jobs in the local runner: raw events → anonymous events → profile rows (→ a campaign's delivery); after a restart on the same state
 * directory the jobs resume from their retained checkpoints (state kept, nothing read twice).
 */
class LocalFlinkIT {

    @RegisterExtension
    static final KafkaTestBed KAFKA = new KafkaTestBed("local-it.", Map.of(FlinkJobsConfig.CITY_SECRETS.name(), Fixtures.SECRETS));

    @TempDir
    Path dir;

    @Test
    void runsBothJobsAndResumesFromTheRetainedCheckpointAfterARestart() throws Exception {
        Settings settings = KAFKA.settings();
        Path state = dir.resolve("flink");
        try (KafkaIO io = KAFKA.io()) {
            try (LocalFlink flink = LocalFlink.start(settings, state)) {
                assertThat(flink.restUrl().toString()).startsWith("http://127.0.0.1:");
                assertThat(flink.jobs().values()).allSatisfy(j -> assertThat(j.restoredFromCheckpoint()).isFalse());
                send(io, raw("reg", "R-1", null, at(2026, 3, 1), residentRegistered("2001-05-05", "45473", true)));
                send(io, raw("link", "R-1", null, at(2026, 3, 1), Fixtures.cardLinked("C-1")));
                // The profile must exist before the purchase: the two leave the anonymiser on different
                // paths (resident vs card key), so their order on the anonymous topic is not guaranteed.
                assertThat(rows(io, 1)).hasSize(1);
                send(io, raw("buy", null, "C-1", at(2026, 3, 2), Fixtures.purchase("B-1", PaymentKind.GIFT_VOUCHER)));

                List<ProfileRow> rows = rows(io, 2);
                assertThat(rows).hasSize(2);
                assertThat(rows.get(1).getLastActivityDay()).as("card purchase attributed to the resident")
                        .isEqualTo((int) java.time.LocalDate.of(2026, 3, 2).toEpochDay());
                assertThat(rows.get(1).getDistrict()).isEqualTo("Styrum");
                assertThat(flink.jobStates()).containsOnly(Map.entry("anonymise", "RUNNING"), Map.entry("profile", "RUNNING"),
                        Map.entry("campaign", "RUNNING"));
                List<String> metrics = metricNames(flink);
                // the REST API's metric store is filled by fetches it starts on demand
                for (long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                     metrics.stream().noneMatch(m -> m.endsWith(".pendingRecords")) && System.nanoTime() < end;
                     metrics = metricNames(flink)) {
                    Thread.sleep(500);
                }
                assertThat(metrics).as("the sources' unread records, which the health monitor reads")
                        .anyMatch(m -> m.endsWith(".pendingRecords"));
                assertThat(metrics.stream().filter(m -> m.contains("KafkaProducer") || m.contains("KafkaConsumer")))
                        .as("Kafka client metrics registered as Flink gauges").isEmpty();
                // the three jobs chained: the anonymiser's contact and the profile row meet a campaign (issue 18)
                long now = System.currentTimeMillis();
                io.send(Topics.CAMPAIGNS, Fixtures.CITY + "/c-local", de.prokommun.insights.events.Campaign.newBuilder()
                        .setCity(Fixtures.CITY).setCampaignId("c-local").setParticipant("baeckerei-schmidt")
                        .setAudience(de.prokommun.insights.events.CampaignAudience.newBuilder().setInterests(List.of("kultur")).build())
                        .setOffer(de.prokommun.insights.events.CampaignOffer.newBuilder().setTitle("Kulturbrötchen").setText("-")
                                .setValidFrom(now - 60_000).setValidUntil(now + 3_600_000).build())
                        .setChannel(de.prokommun.insights.events.CampaignChannel.PORTAL_INBOX).setControlPerMille(0)
                        .setStatus(de.prokommun.insights.events.CampaignStatus.RUNNING).setCreatedAt(now).setUpdatedAt(now).build());
                assertThat(KafkaIO.decode(Topics.PORTAL_OUTBOX, io.readUntil(Topics.PORTAL_OUTBOX, r -> !r.isEmpty(),
                        Duration.ofSeconds(30)))).singleElement().satisfies(d -> assertThat(d.getResident()).isEqualTo("R-1"));
                awaitCheckpoint(flink, "anonymise");
                awaitCheckpoint(flink, "profile");
                awaitCheckpoint(flink, "campaign");
            }
            try (LocalFlink flink = LocalFlink.start(settings, state)) {
                assertThat(flink.jobs().values()).allSatisfy(j -> assertThat(j.restoredFromCheckpoint()).isTrue());
                send(io, raw("voucher", "R-1", null, at(2026, 3, 3), new GiftVoucherRedeemed("V-9", 500L, null)));
                List<ProfileRow> rows = rows(io, 3);
                assertThat(rows).as("nothing reprocessed: exactly one new row").hasSize(3);
                assertThat(rows.get(2).getPersonas()).as("activity before the restart is still in state")
                        .contains("voucher_user");
                assertThat(io.readUntil(Topics.ANONYMOUS_EVENTS, r -> r.size() > 4, Duration.ofSeconds(3)))
                        .as("no raw event anonymised twice").hasSize(4);
            }
        }
    }

    /** Every metric name of every vertex of the running jobs, as the REST API lists them. */
    private static List<String> metricNames(LocalFlink flink) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<String> names = new ArrayList<>();
        for (String job : ids(get(http, flink, "/jobs/overview"), "jid", "[0-9a-f]{32}")) {
            for (String vertex : ids(get(http, flink, "/jobs/" + job), "id", "[0-9a-f]{32}")) {
                names.addAll(ids(get(http, flink, "/jobs/" + job + "/vertices/" + vertex + "/subtasks/metrics"), "id", "[^\"]+"));
            }
        }
        return names;
    }

    private static String get(HttpClient http, LocalFlink flink, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(flink.restUrl().resolve(path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static List<String> ids(String json, String field, String value) {
        return Pattern.compile("\"" + field + "\":\"(" + value + ")\"").matcher(json).results().map(m -> m.group(1)).distinct().toList();
    }

    private static void awaitCheckpoint(LocalFlink flink, String job) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (flink.latestCheckpoint(job).isEmpty() && System.nanoTime() < deadline) Thread.sleep(200);
        assertThat(flink.latestCheckpoint(job)).hasValueSatisfying(c -> {
            assertThat(c.completedAt()).isPositive();
            assertThat(c.durationMillis()).isNotNegative();
        });
    }

    private static List<ProfileRow> rows(KafkaIO io, int atLeast) {
        List<ProfileRow> rows = KafkaIO.decode(Topics.PROFILES, io.readUntil(Topics.PROFILES, r -> r.size() >= atLeast, Duration.ofSeconds(60)));
        // a moment longer, so that unexpected extra rows would show up
        return KafkaIO.decode(Topics.PROFILES, io.readUntil(Topics.PROFILES, r -> r.size() > atLeast, Duration.ofSeconds(3)));
    }

    private static void send(KafkaIO io, InteractionEvent e) throws Exception {
        io.send(Topics.RAW_EVENTS, e.getResident() != null ? e.getResident() : e.getCard(), e);
    }
}
