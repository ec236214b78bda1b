package de.prokommun.insights.flink.runtime;

import de.prokommun.insights.flink.FlinkJobsConfig;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;

/**
 * RocksDB options of every job, in one place so that benchmarks of a single operator run on the same state backend
 * as the jobs. Why: the profile operator looks up many keys that do not exist yet (a new event id in the dedupe
 * memory, a new receipt, a new day's or month's distinct count). Without bloom filters RocksDB answers such a miss
 * by reading an index and a data block of every level, so the CPU of a lookup grew with the size of the whole
 * state, i.e. with the history of the city: at 3 years of history 80 % of the operator's CPU was in RocksDB gets
 * (Java Flight Recorder, bench/run history). A bloom filter (10 bits per key, about 1 % false positives) answers
 * almost every miss from memory; its blocks live in the managed-memory block cache with index blocks at high priority.
 * <p>Compaction TTL ({@link FlinkJobsConfig#STATE_COMPACTION_TTL}, one day, through {@link DeletedStateCompaction}):
 * a deleted key (an erased person's state) leaves the files that incremental checkpoints share within about that
 * time (issue 14).
 */
public final class RocksDbTuning {
    private RocksDbTuning() {}

    /** The RocksDB options of the jobs with the default compaction TTL (benchmarks, harnesses). */
    public static Configuration options() {
        return options(FlinkJobsConfig.STATE_COMPACTION_TTL.defaultValue());
    }

    /** The RocksDB options of the jobs (added to their configuration); {@code compactionTtl} 0 = off. */
    public static Configuration options(Duration compactionTtl) {
        Configuration c = new Configuration();
        c.set(RocksDBOptions.OPTIONS_FACTORY, DeletedStateCompaction.class.getName());
        c.set(DeletedStateCompaction.TTL, compactionTtl);
        c.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
        c.set(RocksDBConfigurableOptions.BLOOM_FILTER_BITS_PER_KEY, 10.0);
        c.set(RocksDBConfigurableOptions.BLOOM_FILTER_BLOCK_BASED_MODE, false);
        return c;
    }

    /** A RocksDB state backend with the jobs' options (for operator harnesses and benchmarks). */
    public static EmbeddedRocksDBStateBackend backend() {
        return new EmbeddedRocksDBStateBackend().configure(options(), RocksDbTuning.class.getClassLoader());
    }
}
