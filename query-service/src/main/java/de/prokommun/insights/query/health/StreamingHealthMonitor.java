package de.prokommun.insights.query.health;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.contract.Topics;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Samples every stage of the pipeline once per call (blocking) and evaluates the tiles. */
public final class StreamingHealthMonitor implements AutoCloseable {

    private final Clock clock;
    private final Thresholds thresholds;
    private final IngestionProbe ingestion;
    private final FlinkProbe flink;
    private final KafkaProbe kafka;
    private final PinotConsumption pinot;
    private final PinotFreshness freshness = new PinotFreshness();
    private final String profileTopic;
    private final String profileTable;

    public StreamingHealthMonitor(Settings settings, Clock clock) {
        this.clock = clock;
        this.thresholds = Thresholds.from(settings);
        RestJson http = new RestJson();
        this.ingestion = new IngestionProbe(uri(settings, HealthConfig.INGESTION_METRICS_URL), http);
        this.flink = new FlinkProbe(uri(settings, HealthConfig.FLINK_REST_URL), http);
        this.kafka = settings.isSet(CommonConfig.KAFKA_BOOTSTRAP)
                ? new KafkaProbe(settings.get(CommonConfig.KAFKA_BOOTSTRAP), Topics.DEAD_LETTERS.name(settings)) : null;
        this.pinot = settings.isSet(CommonConfig.PINOT_CONTROLLER)
                ? new PinotConsumption(URI.create("http://" + settings.get(CommonConfig.PINOT_CONTROLLER)), http) : null;
        this.profileTopic = Topics.PROFILES.name(settings);
        this.profileTable = PinotTables.PROFILES.name();
    }

    public StreamingHealthReport sample() {
        long now = clock.millis();
        StreamingFigures figures = new StreamingFigures(clock.instant(), ingestion.read(now),
                kafka == null ? Reading.notConfigured("Kafka bootstrap") : kafka.consumerLag(), flink.read(now),
                kafka == null ? Reading.notConfigured("Kafka bootstrap") : kafka.deadLetters(), pinotFreshness(now));
        List<Tile> tiles = TileRules.tiles(figures, thresholds);
        return new StreamingHealthReport(figures.sampledAt(), tiles);
    }

    private Reading<StreamingFigures.PinotLag> pinotFreshness(long now) {
        if (kafka == null || pinot == null) return Reading.notConfigured("Kafka bootstrap or Pinot controller");
        try {
            Map<Integer, Long> ends = new HashMap<>();
            kafka.endOffsets(profileTopic).forEach((tp, end) -> ends.put(tp.partition(), end));
            freshness.sawEndOffsets(now, ends);
            Map<Integer, Long> consumed = new HashMap<>(pinot.consumedOffsets(profileTable));
            // Exactly-once sinks leave commit markers after the last row: a gap of markers only is no lag.
            for (var e : consumed.entrySet()) {
                long end = ends.getOrDefault(e.getKey(), e.getValue());
                if (end > e.getValue() && !kafka.committedRecordsBetween(profileTopic, e.getKey(), e.getValue(), end)) {
                    e.setValue(end);
                }
            }
            return Reading.of(new StreamingFigures.PinotLag(freshness.behindMillis(now, consumed), ends, consumed));
        } catch (Exception e) {
            return Reading.failed("Pinot consumption unknown: " + e.getMessage());
        }
    }

    private static URI uri(Settings settings, de.prokommun.insights.config.ConfigKey<String> key) {
        return settings.isSet(key) ? URI.create(settings.get(key)) : null;
    }

    @Override
    public void close() {
        if (kafka != null) kafka.close();
    }
}
