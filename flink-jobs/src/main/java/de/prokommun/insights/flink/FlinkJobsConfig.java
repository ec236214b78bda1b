package de.prokommun.insights.flink;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.ConfigKey;
import java.time.Duration;
import java.util.List;

/** Every configuration key of the Flink jobs (anonymiser, profile builder) and of the local runner. */
public final class FlinkJobsConfig {
    private FlinkJobsConfig() {}

    /** Declared in {@link CommonConfig}: the resident API derives the same pseudonyms. */
    public static final ConfigKey<String> CITY_SECRETS = CommonConfig.CITY_SECRETS;
    /** Declared in {@link CommonConfig}: every component reads the same city configuration. */
    public static final ConfigKey<String> CITIES_DIR = CommonConfig.CITIES_DIR;
    public static final ConfigKey<Duration> CARD_LINK_WAIT = ConfigKey.duration("anonymise.card-link-wait",
            Duration.ofDays(3 * 365),
            "How long (processing time) a card-only event waits for its card to be linked; by default as long as a city"
                    + " keeps purchases (3 years). An event whose wait ends is counted (cardEventsExpiredUnlinked), not a dead letter");
    public static final ConfigKey<Integer> CARD_LINK_BUFFER = ConfigKey.integer("anonymise.card-link-buffer", 2000,
            "At most this many events per card wait for its link (an unregistered card holder may shop for years);"
                    + " further ones are counted (cardEventsOverflowedUnlinked) and not kept");
    public static final ConfigKey<String> PORTAL_PARTICIPANT = ConfigKey.string("anonymise.portal-participant", "portal",
            "Participant id of the city portal: the only reporter whose follows may name another participant and that may"
                    + " retract any of a resident's receipts (a shop reports follows of itself and retracts its own receipts"
                    + " only; a forged event is a dead letter, docs/PRIVACY.md)");
    public static final ConfigKey<Duration> DEDUPE_HORIZON = ConfigKey.duration("profile.dedupe-horizon",
            Duration.ofDays(30),
            "How long (processing time) an event id is remembered per person to count duplicates once; also how long"
                    + " the anonymiser keeps an erasure tombstone (cut-off time, pseudonym generation) after an erasure");
    public static final ConfigKey<Duration> MAX_OUT_OF_ORDERNESS = ConfigKey.duration("profile.watermark.out-of-orderness",
            Duration.ofSeconds(5), "Bounded out-of-orderness of the anonymous events' event time (watermark lag)");
    public static final ConfigKey<Duration> SOURCE_IDLENESS = ConfigKey.duration("profile.watermark.idleness",
            Duration.ofSeconds(10), "After this time without events a partition no longer holds the watermark back");
    public static final ConfigKey<Duration> UNKNOWN_PERSON_WAIT = ConfigKey.duration("profile.unknown-person-wait",
            Duration.ofSeconds(30),
            "How long (processing time) events of a pseudonym without a profile wait for its registration before they are dropped (counted)");
    public static final ConfigKey<Integer> UNKNOWN_PERSON_BUFFER = ConfigKey.integer("profile.unknown-person-buffer", 100,
            "At most this many events per pseudonym wait for its registration; further ones are dropped (counted)");
    public static final ConfigKey<Integer> CAMPAIGN_MAX_PER_WEEK = ConfigKey.integer("campaign.max-per-week", 2,
            "At most this many campaign offers per resident and calendar week (city time zone) across all campaigns of the"
                    + " city: protects residents from spam (issue 18); an offer over it waits for the next change of the"
                    + " person or campaign in a later week");
    public static final ConfigKey<Boolean> CAMPAIGN_JOB = ConfigKey.bool("flink.campaign-job", true,
            "Whether the local Flink cluster (LocalFlink) runs the campaign job beside the anonymise and profile jobs;"
                    + " bench/run pipeline measures the profile pipeline without it unless asked");
    public static final ConfigKey<Integer> PARALLELISM = ConfigKey.integer("flink.parallelism", 2,
            "Parallelism of every job");
    public static final ConfigKey<Duration> CHECKPOINT_INTERVAL = ConfigKey.duration("flink.checkpoint.interval",
            Duration.ofMillis(500),
            "Exactly-once checkpoint interval; output becomes visible to read_committed readers at each checkpoint, so"
                    + " an event waits for it twice on its way to Pinot (anonymise, then profile). At the default rate the"
                    + " freshness p99 was 3.1-3.2 s at 1 s and 1.3 s at 500 ms; a sustained 2,000 events/s on 2 cores"
                    + " fell behind in episodes at 500 ms (checkpoints cost CPU), so PT1S suits a sustained 10x load"
                    + " (docs/BENCHMARKS.md, 2026-12-07)");
    public static final ConfigKey<Duration> ALIGNED_CHECKPOINT_TIMEOUT = ConfigKey.duration(
            "flink.checkpoint.aligned-timeout", Duration.ofMillis(200),
            "How long a checkpoint barrier may wait behind buffered records for alignment before the checkpoint goes on"
                    + " unaligned (the records in flight are stored with it); 0 = always unaligned. Under backpressure an"
                    + " aligned barrier queues behind every buffered record, and the outputs, committed at the checkpoint,"
                    + " wait with it (issue 12: checkpoint p99 6.8 s at 2,000 events/s)");
    public static final ConfigKey<Boolean> UNALIGNED_CHECKPOINTS = ConfigKey.bool("flink.checkpoint.unaligned", true,
            "Whether checkpoints may go unaligned after flink.checkpoint.aligned-timeout; false = always aligned");
    public static final ConfigKey<String> CHECKPOINT_DIR = ConfigKey.string("flink.checkpoint.dir", "state/checkpoints",
            "Directory (or URI) of the retained checkpoints");
    public static final ConfigKey<Duration> TRANSACTION_TIMEOUT = ConfigKey.duration("flink.kafka.transaction-timeout",
            Duration.ofSeconds(60), "transaction.timeout.ms of the exactly-once Kafka sinks (below the broker maximum)");
    public static final ConfigKey<String> SINK_COMPRESSION = ConfigKey.string("flink.kafka.compression", "lz4",
            "compression.type of the jobs' Kafka sinks (none, gzip, snappy, lz4, zstd): the contribution rows are JSON for"
                    + " Pinot, several per event, and uncompressed they were most of the bytes the broker and Pinot handle");
    public static final ConfigKey<Integer> SINK_BATCH_BYTES = ConfigKey.integer("flink.kafka.batch-bytes", 262_144,
            "batch.size of the jobs' Kafka sinks per partition: fewer, larger produce requests per checkpoint");
    public static final ConfigKey<Duration> SINK_LINGER = ConfigKey.duration("flink.kafka.linger", Duration.ofMillis(50),
            "linger.ms of the jobs' Kafka sinks: their records become visible only when the checkpoint commits the"
                    + " transaction, so waiting longer to fill a batch costs no freshness and saves produce requests,"
                    + " which cost the broker per request");
    public static final ConfigKey<String> TRANSACTIONAL_ID_PREFIX = ConfigKey.string("flink.kafka.transactional-id-prefix",
            "prokommun", "Prefix of the Kafka transactional ids; each job and sink appends its own name");
    public static final ConfigKey<String> CONSUMER_GROUP_PREFIX = ConfigKey.string("flink.kafka.group-prefix",
            "prokommun-", "Prefix of the jobs' Kafka consumer group ids (the job name is appended)");
    public static final ConfigKey<Integer> REST_PORT = ConfigKey.integer("flink.rest.port", 0,
            "REST/web port of the local MiniCluster (0 = any free port)");

    public static final ConfigKey<String> MANAGED_MEMORY = ConfigKey.string("flink.managed-memory", "1g",
            "Managed (off-heap) memory of the local MiniCluster's TaskManager, shared by the RocksDB instances of all"
                    + " slots as block cache and write buffers; with Flink's local default (128m) each instance had 32m and"
                    + " every lookup that missed the cache read from disk (bench/run history: 2-3x slower). With 512m the"
                    + " write buffers of some 40 states per slot were so small that RocksDB flushed and compacted 0.3 of"
                    + " the 2 cores away; 1g halved that and the pipeline ran 23 % faster (docs/BENCHMARKS.md, 2026-12-06)");

    public static final ConfigKey<Duration> STATE_COMPACTION_TTL = ConfigKey.duration(
            "flink.state.compaction-ttl", Duration.ofDays(1),
            "RocksDB compaction TTL of every state: files older than this are compacted into the next level, down to the"
                    + " bottom, so that what an erasure or withdrawal deleted leaves the state files (and the checkpoints"
                    + " sharing them) within about this time once the state is written again; 0 turns it off (RocksDB's"
                    + " own default is 30 days). Costs more compaction the shorter it is");

    public static final ConfigKey<Integer> STATE_L0_COMPACTION_TRIGGER = ConfigKey.integer(
            "flink.state.l0-compaction-trigger", 10,
            "Level-0 files of a RocksDB state (one per checkpoint that wrote it) before they are compacted into level 1;"
                    + " RocksDB's default of 4 rewrote level 1 every few seconds at a checkpoint a second. Writes slow"
                    + " down at 5 and stop at 9 times this");

    public static final ConfigKey<String> STATE_COMPRESSION = ConfigKey.string("flink.state.compression",
            "none,none,lz4",
            "Compression of the RocksDB state files per level (none, snappy, lz4, zstd; comma-separated from level 0,"
                    + " the last applies to every deeper level): the small, often rewritten upper levels are not"
                    + " compressed, the large bottom ones are");

    public static final ConfigKey<String> STATE_COMPACTION_STYLE = ConfigKey.string("flink.state.compaction-style",
            "universal",
            "How RocksDB merges a state's files: universal (newer sorted runs merged by size, the old data rewritten"
                    + " rarely) or level (each merge of level 0 rewrites the level-1 files it overlaps, which for keys spread"
                    + " over the whole key range is all of level 1, i.e. the whole state while it is under 256 MB). With"
                    + " two checkpoints a second, level took 0.22 of the 2 cores for compaction at 2,000 events/s, universal"
                    + " 0.07 (docs/BENCHMARKS.md, 2026-12-07/08 night)");

    public static final List<ConfigKey<?>> ALL = List.of(CITY_SECRETS, CARD_LINK_WAIT, CARD_LINK_BUFFER, PORTAL_PARTICIPANT,
            DEDUPE_HORIZON, MAX_OUT_OF_ORDERNESS, SOURCE_IDLENESS, UNKNOWN_PERSON_WAIT, UNKNOWN_PERSON_BUFFER, PARALLELISM,
            CHECKPOINT_INTERVAL, ALIGNED_CHECKPOINT_TIMEOUT, UNALIGNED_CHECKPOINTS, CHECKPOINT_DIR, TRANSACTION_TIMEOUT,
            SINK_COMPRESSION, SINK_BATCH_BYTES, SINK_LINGER, TRANSACTIONAL_ID_PREFIX, CONSUMER_GROUP_PREFIX, REST_PORT, MANAGED_MEMORY, STATE_COMPACTION_TTL,
            STATE_L0_COMPACTION_TRIGGER, STATE_COMPRESSION, STATE_COMPACTION_STYLE,
            CAMPAIGN_MAX_PER_WEEK, CAMPAIGN_JOB);
}
