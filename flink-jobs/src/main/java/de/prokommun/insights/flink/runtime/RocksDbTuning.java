package de.prokommun.insights.flink.runtime;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.flink.FlinkJobsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;

/**
 * RocksDB options of every job, in one place so that benchmarks of a single operator run on the same state backend
 * as the jobs. Why: the profile operator looks up many keys that do not exist yet (a new event id in the dedupe
 * memory, a new receipt, a new day's or month's distinct count). Without bloom filters RocksDB answers such a miss
 * by reading an index and a data block of every level, so the CPU of a lookup grew with the size of the whole
 * state, i.e. with the history of the city: at 3 years of history 80 % of the operator's CPU was in RocksDB gets
 * (Java Flight Recorder, bench/run history). A bloom filter (10 bits per key, about 1 % false positives) answers
 * almost every miss from memory; its blocks live in the managed-memory block cache with index blocks at high priority.
 * <p>Compaction TTL ({@link FlinkJobsConfig#STATE_COMPACTION_TTL}, one day, through {@link StateFileCompaction}):
 * a deleted key (an erased person's state) leaves the files that incremental checkpoints share within about that
 * time (issue 14).
 * <p>Level-0 compaction trigger and compression per level ({@link FlinkJobsConfig#STATE_L0_COMPACTION_TRIGGER},
 * {@link FlinkJobsConfig#STATE_COMPRESSION}): with a checkpoint a second, RocksDB's background threads took 0.43 of
 * the 2 cores in {@code bench/run pipeline} (0.31 compaction, 0.12 flushes; thread CPU from /proc), more than a
 * third of what the profile operators themselves used; merging level 0 less often and not compressing the upper
 * levels brought that to 0.19 (docs/BENCHMARKS.md, 2026-12-06).
 * <p>Universal compaction ({@link FlinkJobsConfig#STATE_COMPACTION_STYLE}): with leveled compaction, a state under
 * level 1's target size (256 MB) lives in level 0 and level 1, and every merge of level 0 rewrote all of level 1,
 * because the keys of each level-0 file spread over the whole key range; the bytes rewritten per event grew with the
 * state. Universal compaction merges the small new sorted runs among themselves and rewrites the old data only when
 * the new runs have grown large against it. At 2,000 events/s compaction took 0.07 instead of 0.22 of the 2 cores
 * (docs/BENCHMARKS.md, 2026-12-07/08 night). The compaction TTL still removes a deleted value (RocksDbTuningTest).
 */
public final class RocksDbTuning {
    private RocksDbTuning() {}

    /** The RocksDB options of the jobs with the default settings (benchmarks, harnesses). */
    public static Configuration options() {
        return options(Settings.of(Map.of()));
    }

    /** The RocksDB options of the jobs (added to their configuration). */
    public static Configuration options(Settings settings) {
        Configuration c = new Configuration();
        c.set(RocksDBOptions.OPTIONS_FACTORY, StateFileCompaction.class.getName());
        c.set(StateFileCompaction.TTL, settings.get(FlinkJobsConfig.STATE_COMPACTION_TTL));
        c.set(StateFileCompaction.L0_TRIGGER, settings.get(FlinkJobsConfig.STATE_L0_COMPACTION_TRIGGER));
        c.set(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL, compressionPerLevel(settings.get(FlinkJobsConfig.STATE_COMPRESSION)));
        c.set(RocksDBConfigurableOptions.COMPACTION_STYLE, compactionStyle(settings.get(FlinkJobsConfig.STATE_COMPACTION_STYLE)));
        c.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
        c.set(RocksDBConfigurableOptions.BLOOM_FILTER_BITS_PER_KEY, 10.0);
        c.set(RocksDBConfigurableOptions.BLOOM_FILTER_BLOCK_BASED_MODE, false);
        return c;
    }

    static CompactionStyle compactionStyle(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "level" -> CompactionStyle.LEVEL;
            case "universal" -> CompactionStyle.UNIVERSAL;
            default -> throw new IllegalArgumentException(FlinkJobsConfig.STATE_COMPACTION_STYLE.name() + ": unknown"
                    + " compaction style '" + value.trim() + "' (level or universal)");
        };
    }

    /** The compression of each level, from a list like "none,none,lz4". */
    static List<CompressionType> compressionPerLevel(String value) {
        List<CompressionType> levels = new ArrayList<>();
        for (String name : value.split(",")) {
            levels.add(switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "none" -> CompressionType.NO_COMPRESSION;
                case "snappy" -> CompressionType.SNAPPY_COMPRESSION;
                case "lz4" -> CompressionType.LZ4_COMPRESSION;
                case "zstd" -> CompressionType.ZSTD_COMPRESSION;
                default -> throw new IllegalArgumentException(FlinkJobsConfig.STATE_COMPRESSION.name() + ": unknown"
                        + " compression '" + name.trim() + "' (none, snappy, lz4 or zstd per level)");
            });
        }
        return levels;
    }

    /** A RocksDB state backend with the jobs' options (for operator harnesses and benchmarks). */
    public static EmbeddedRocksDBStateBackend backend() {
        return new EmbeddedRocksDBStateBackend().configure(options(), RocksDbTuning.class.getClassLoader());
    }
}
