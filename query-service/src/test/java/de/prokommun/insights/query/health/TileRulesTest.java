package de.prokommun.insights.query.health;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.query.health.StreamingFigures.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TileRulesTest {

    private static final Thresholds LIMITS = new Thresholds(100, Duration.ofSeconds(60), 5.0, 0.5, 0,
            Duration.ofSeconds(10));
    private static final Job HEALTHY = new Job("profile-job", "RUNNING", 5_000L, 120L, 0, 0.1, 3L);

    private static Map<String, Tile> tiles(StreamingFigures f) {
        return TileRules.tiles(f, LIMITS).stream().collect(Collectors.toMap(Tile::id, Function.identity()));
    }

    private static StreamingFigures healthy() {
        return new StreamingFigures(Instant.EPOCH,
                Reading.of(new StreamingFigures.Ingestion(250, 0.5, 10_000, Map.of("malformed_json", 1L))),
                Reading.of(Map.of("ledger", 40L, "profiles", 0L)), Reading.of(List.of(HEALTHY)), Reading.of(0L),
                Reading.of(new StreamingFigures.PinotLag(800, Map.of("accepted → anonymised", 800L), Map.of(0, 12L), Map.of(0, 11L))),
                Reading.of(Map.of(CardWaits.HELD, 30L, CardWaits.ATTRIBUTED_LATE, 20L, CardWaits.EXPIRED, 4L)));
    }

    private static StreamingFigures withCardEvents(Map<String, Long> counters) {
        StreamingFigures h = healthy();
        return new StreamingFigures(h.sampledAt(), h.ingestion(), h.consumerLag(), h.flinkJobs(), h.deadLetters(),
                h.pinotFreshness(), Reading.of(counters));
    }

    @Test
    void cardEventsWaitingForTheirLinkAreNotDeadLettersAndOnlyAnOverflowIsRed() {
        Map<String, Tile> t = tiles(healthy());
        assertThat(t.get("cards.waiting").value()).as("30 held − 20 attributed after the link − 4 expired").isEqualTo(6.0);
        assertThat(t.get("cards.waiting").status()).isEqualTo(Tile.Status.OK);
        assertThat(t.get("deadletters").value()).isZero();
        Tile overflow = tiles(withCardEvents(Map.of(CardWaits.HELD, 5L, CardWaits.OVERFLOWED, 1L))).get("cards.waiting");
        assertThat(overflow.status()).isEqualTo(Tile.Status.RED);
        assertThat(overflow.reason()).contains("dropped");
        // after a restart events restored from the checkpoint are attributed without having been counted as held
        assertThat(tiles(withCardEvents(Map.of(CardWaits.ATTRIBUTED_LATE, 7L))).get("cards.waiting").value()).isZero();
    }

    @Test
    void operatorMetricsAreRecognisedByTheirCounterName() {
        assertThat(CardWaits.counterOf("cards → residents.cardEventsHeld")).isEqualTo(CardWaits.HELD);
        assertThat(CardWaits.counterOf("cardEventsOverflowedUnlinked")).isEqualTo(CardWaits.OVERFLOWED);
        assertThat(CardWaits.counterOf("numRecordsIn")).isNull();
        assertThat(CardWaits.counterOf("x.notcardEventsHeld")).isNull();
    }

    @Test
    void aHealthyPipelineIsGreenEverywhere() {
        Map<String, Tile> t = tiles(healthy());
        assertThat(t).hasSize(11);
        assertThat(t.values()).allMatch(tile -> tile.status() == Tile.Status.OK, "all OK");
        assertThat(t.get("ingestion.accepted").value()).isEqualTo(250.0);
        assertThat(t.get("kafka.lag").value()).isEqualTo(40.0);
        assertThat(t.get("pinot.freshness").value()).isEqualTo(0.8);
        assertThat(t.get("pinot.freshness").detail()).containsEntry("partition 0", "consumed 11 of 12");
    }

    @Test
    void eachThresholdTurnsItsOwnTileRed() {
        StreamingFigures h = healthy();
        StreamingFigures bad = new StreamingFigures(Instant.EPOCH,
                Reading.of(new StreamingFigures.Ingestion(250, 9, 10_000, Map.of())),
                Reading.of(Map.of("ledger", 101L)),
                Reading.of(List.of(new Job("profile-job", "RUNNING", 61_000L, 120L, 2, 0.9, 101L))),
                Reading.of(1L), Reading.of(new StreamingFigures.PinotLag(10_001, Map.of("profiled → visible in Pinot", 10_001L), Map.of(0, 40L), Map.of(0, 20L))));
        Map<String, Tile> t = tiles(bad);
        for (String id : List.of("ingestion.rejected", "kafka.lag", "flink.unread", "flink.checkpoints", "flink.backpressure",
                "deadletters", "pinot.freshness")) {
            assertThat(t.get(id).status()).as(id).isEqualTo(Tile.Status.RED);
            assertThat(t.get(id).reason()).as(id).isNotBlank();
        }
        assertThat(t.get("flink.jobs").status()).isEqualTo(Tile.Status.OK);
        assertThat(tiles(h).get("kafka.lag").status()).isEqualTo(Tile.Status.OK);
    }

    @Test
    void theUnreadTileShowsHowFarTheSourcesAreBehindPerJobAndIsUnknownUntilOneReports() {
        StreamingFigures two = new StreamingFigures(Instant.EPOCH, healthy().ingestion(), healthy().consumerLag(),
                Reading.of(List.of(new Job("anonymise", "RUNNING", 900L, 80L, 0, 0, 12L),
                        new Job("profile", "RUNNING", 900L, 80L, 0, 0, 40L),
                        new Job("campaigns", "CANCELED", 900L, 80L, 0, 0))),
                healthy().deadLetters(), healthy().pinotFreshness());
        Tile unread = tiles(two).get("flink.unread");
        assertThat(unread.status()).isEqualTo(Tile.Status.OK);
        assertThat(unread.value()).as("the job furthest behind").isEqualTo(40.0);
        assertThat(unread.detail()).containsEntry("anonymise", 12L).containsEntry("profile", 40L).doesNotContainKey("campaigns");

        StreamingFigures starting = new StreamingFigures(Instant.EPOCH, healthy().ingestion(), healthy().consumerLag(),
                Reading.of(List.of(new Job("profile", "RUNNING", null, null, 0, 0))), healthy().deadLetters(),
                healthy().pinotFreshness());
        assertThat(tiles(starting).get("flink.unread").status()).isEqualTo(Tile.Status.UNKNOWN);
        assertThat(tiles(starting).get("flink.unread").value()).isNull();
    }

    @Test
    void sourceMetricsAreRecognisedByTheirName() {
        assertThat(FlinkProbe.unreadOf("Source__anonymous_events.pendingRecords")).isEqualTo("pendingRecords");
        assertThat(FlinkProbe.unreadOf("pendingRecords")).isEqualTo("pendingRecords");
        assertThat(FlinkProbe.unreadOf("Source__anonymous_events.pendingBytes")).isNull();
    }

    @Test
    void aStoppedOrMissingJobTurnsTheJobTileRed() {
        StreamingFigures stopped = new StreamingFigures(Instant.EPOCH, healthy().ingestion(), healthy().consumerLag(),
                Reading.of(List.of(HEALTHY, new Job("ledger-job", "CANCELED", 3_000L, 50L, 0, 0))),
                healthy().deadLetters(), healthy().pinotFreshness());
        Tile jobs = tiles(stopped).get("flink.jobs");
        assertThat(jobs.status()).isEqualTo(Tile.Status.RED);
        assertThat(jobs.value()).isEqualTo(1.0);
        assertThat(jobs.detail()).containsEntry("ledger-job", "CANCELED");

        StreamingFigures none = new StreamingFigures(Instant.EPOCH, healthy().ingestion(), healthy().consumerLag(),
                Reading.of(List.of()), healthy().deadLetters(), healthy().pinotFreshness());
        assertThat(tiles(none).get("flink.jobs").status()).isEqualTo(Tile.Status.RED);
    }

    @Test
    void unreachableIsRedButNotConfiguredIsUnknown() {
        StreamingFigures f = new StreamingFigures(Instant.EPOCH, Reading.notConfigured("ingestion metrics URL"),
                Reading.failed("Kafka unreachable: timeout"), Reading.failed("Flink REST API unreachable"),
                Reading.of(0L), Reading.notConfigured("Pinot controller"));
        Map<String, Tile> t = tiles(f);
        assertThat(t.get("ingestion.accepted").status()).isEqualTo(Tile.Status.UNKNOWN);
        assertThat(t.get("kafka.lag").status()).isEqualTo(Tile.Status.RED);
        assertThat(t.get("flink.jobs").status()).isEqualTo(Tile.Status.RED);
        assertThat(t.get("flink.jobs").reason()).contains("unreachable");
    }

    @Test
    void theReportSpeaksJsonAndPrometheus() {
        StreamingHealthReport report = new StreamingHealthReport(Instant.EPOCH, TileRules.tiles(healthy(), LIMITS));
        assertThat(report.overall()).isEqualTo(Tile.Status.OK);
        assertThat(report.toJson().getJsonArray("tiles")).hasSize(11);
        String text = report.toPrometheus();
        assertThat(text).contains("prokommun_health_tile_status{tile=\"flink.jobs\"} 0");
        assertThat(text).contains("prokommun_health_tile_value{tile=\"ingestion.accepted\",unit=\"events/s\"} 250");
        assertThat(text).contains("prokommun_health_detail{tile=\"kafka.lag\",key=\"ledger\"} 40");
        assertThat(PrometheusText.parse(text)).isNotEmpty();
    }
}
