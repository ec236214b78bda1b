package de.prokommun.insights.query.health;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.contract.Topics;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
    private final Map<String, StageDelay> stages = new LinkedHashMap<>();
    private final TileTrends trends;
    private final String rawTopic;
    private final String anonymousTopic;
    private final String profileTopic;
    private final String profileTable;
    private final String anonymiseGroup;
    private final String profileGroup;

    public StreamingHealthMonitor(Settings settings, Clock clock) {
        this.clock = clock;
        this.thresholds = Thresholds.from(settings);
        this.trends = new TileTrends(settings.get(HealthConfig.TREND_WINDOW), settings.get(HealthConfig.TREND_RESOLUTION));
        RestJson http = new RestJson();
        this.ingestion = new IngestionProbe(uri(settings, HealthConfig.INGESTION_METRICS_URL), http);
        this.flink = new FlinkProbe(uri(settings, HealthConfig.FLINK_REST_URL), http);
        this.kafka = settings.isSet(CommonConfig.KAFKA_BOOTSTRAP)
                ? new KafkaProbe(settings.get(CommonConfig.KAFKA_BOOTSTRAP), Topics.DEAD_LETTERS.name(settings)) : null;
        this.pinot = settings.isSet(CommonConfig.PINOT_CONTROLLER)
                ? new PinotConsumption(URI.create("http://" + settings.get(CommonConfig.PINOT_CONTROLLER)), http) : null;
        this.rawTopic = Topics.RAW_EVENTS.name(settings);
        this.anonymousTopic = Topics.ANONYMOUS_EVENTS.name(settings);
        this.profileTopic = Topics.PROFILES.name(settings);
        this.profileTable = PinotTables.PROFILES.name();
        this.anonymiseGroup = settings.get(HealthConfig.ANONYMISE_GROUP);
        this.profileGroup = settings.get(HealthConfig.PROFILE_GROUP);
    }

    /**
     * Samples only the end offsets of the stages' topics (cheap, often): the freshness bound errs high by up to the
     * time between two of these samples per stage.
     */
    public void sampleEndOffsets() {
        if (kafka == null) return;
        long now = clock.millis();
        for (String topic : List.of(rawTopic, anonymousTopic, profileTopic)) {
            try {
                stage(topic).sawEndOffsets(now, endOffsets(topic));
            } catch (Exception e) {
                return; // the next full sample reports Kafka's failure
            }
        }
    }

    private StageDelay stage(String topic) {
        synchronized (stages) {
            return stages.computeIfAbsent(topic, t -> new StageDelay());
        }
    }

    private Map<Integer, Long> endOffsets(String topic) throws Exception {
        Map<Integer, Long> ends = new HashMap<>();
        kafka.endOffsets(topic).forEach((tp, end) -> ends.put(tp.partition(), end));
        return ends;
    }

    public StreamingHealthReport sample() {
        long now = clock.millis();
        StreamingFigures figures = new StreamingFigures(clock.instant(), ingestion.read(now),
                kafka == null ? Reading.notConfigured("Kafka bootstrap") : kafka.consumerLag(), flink.read(now),
                kafka == null ? Reading.notConfigured("Kafka bootstrap") : kafka.deadLetters(), pinotFreshness(now),
                flink.cardEvents());
        List<Tile> tiles = TileRules.tiles(figures, thresholds);
        return new StreamingHealthReport(figures.sampledAt(), tiles, trends.record(now, tiles));
    }

    /**
     * Freshness from acceptance, stage by stage: an event accepted by the ingestion waits on the raw topic until the
     * anonymise job's checkpoint commits past it, on the anonymous topic until the profile job's does, and on the
     * profile topic until Pinot has consumed it. The sum of the three delays is how long the oldest accepted event
     * not yet visible has been on its way (an upper bound when several are in flight). A record starts waiting for a
     * stage when it can be read there: when the transaction of the job that wrote it commits (stable end offsets), so
     * no checkpoint's wait is counted in two stages.
     */
    private Reading<StreamingFigures.PinotLag> pinotFreshness(long now) {
        if (kafka == null || pinot == null) return Reading.notConfigured("Kafka bootstrap or Pinot controller");
        try {
            Map<String, Long> delays = new LinkedHashMap<>();
            delays.put("accepted → anonymised", delay(rawTopic, kafka.committedOffsets(anonymiseGroup, rawTopic), now));
            delays.put("anonymised → profiled", delay(anonymousTopic, kafka.committedOffsets(profileGroup, anonymousTopic), now));
            Map<Integer, Long> ends = endOffsets(profileTopic);
            Map<Integer, Long> consumed = new HashMap<>(pinot.consumedOffsets(profileTable));
            delays.put("profiled → visible in Pinot", delay(profileTopic, ends, consumed, now));
            long total = delays.values().stream().mapToLong(Long::longValue).sum();
            return Reading.of(new StreamingFigures.PinotLag(total, delays, ends, consumed));
        } catch (Exception e) {
            return Reading.failed("Pinot consumption unknown: " + e.getMessage());
        }
    }

    private long delay(String topic, Map<Integer, Long> consumed, long now) throws Exception {
        Map<Integer, Long> ends = endOffsets(topic);
        Map<Integer, Long> all = new HashMap<>();
        ends.keySet().forEach(p -> all.put(p, consumed.getOrDefault(p, 0L))); // no commit yet: nothing is visible
        return delay(topic, ends, all, now);
    }

    private long delay(String topic, Map<Integer, Long> ends, Map<Integer, Long> consumed, long now) {
        StageDelay stage = stage(topic);
        stage.sawEndOffsets(now, ends);
        // A Flink source commits the offset after the last record it read; the commit markers of exactly-once writers
        // follow it. The oldest record not yet consumed is the first real one from there: counted from the offset
        // itself, every end offset that only added markers looked unconsumed, and the stage grew by one of the
        // writer's checkpoint intervals (the profile stage read 2.5 s while its job committed every second).
        for (var e : consumed.entrySet()) {
            long end = ends.getOrDefault(e.getKey(), e.getValue());
            if (end > e.getValue()) e.setValue(kafka.firstCommittedRecord(topic, e.getKey(), e.getValue(), end));
        }
        return stage.behindMillis(now, consumed);
    }

    private static URI uri(Settings settings, de.prokommun.insights.config.ConfigKey<String> key) {
        return settings.isSet(key) ? URI.create(settings.get(key)) : null;
    }

    @Override
    public void close() {
        if (kafka != null) kafka.close();
    }
}
