package de.prokommun.insights.flink.runtime;

import de.prokommun.insights.flink.FlinkJobsConfig;
import java.time.Duration;
import java.util.Collection;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.state.rocksdb.ConfigurableRocksDBOptionsFactory;
import org.apache.flink.state.rocksdb.RocksDBOptionsFactory;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;

/**
 * When RocksDB compacts the state files of the jobs: after a TTL, and only once a number of level-0 files wait.
 * <p>It gives every RocksDB column family of the jobs a compaction TTL ({@code ColumnFamilyOptions.setTtl}), so that a
 * deleted key's value — an erased person's profile, ledger, records — leaves the state files, and with them the
 * incremental checkpoints that share those files, within about that time (issue 14). A deletion is only a tombstone
 * in a newer file; the old value goes when a compaction merges the two, which in a large state, with the tombstone in
 * an upper level that is not full, may not happen for a long time. With a TTL RocksDB compacts every non-bottom file
 * older than it into the next level, in a cascade down to the bottom, where tombstone and value meet.
 * <p>Why not periodic compaction ({@code state.backend.rocksdb.compaction.filter.periodic-compaction-time}, which Flink
 * applies to every column family, 30 days by default): it rewrites an old file in its own level, so tombstone and
 * value never meet (measured with RocksDB 8.10: the value stayed while the files were rewritten over and over; with a
 * TTL of 5 s it was gone after 6 s). Flink has no option for the TTL, hence this factory; RocksDB's own default for
 * leveled compaction is 30 days.
 * <p>Level-0 trigger ({@link FlinkJobsConfig#STATE_L0_COMPACTION_TRIGGER}): every checkpoint (one a second) flushes
 * each written state's memtable into a small level-0 file, and with RocksDB's default trigger of 4 such files each
 * state merged them into level 1 every few seconds, rewriting the level-1 files their keys (spread over the whole key
 * range) overlap: in {@code bench/run pipeline} RocksDB's compaction threads took 0.31 of the 2 cores. Waiting for
 * more files merges more per rewrite; a lookup checks the bloom filter of each level-0 file. Under universal
 * compaction (the jobs' default since 2026-12-07, {@link FlinkJobsConfig#STATE_COMPACTION_STYLE}) the trigger counts
 * sorted runs, each level-0 file being one, and the TTL still removes a deleted value (RocksDbTuningTest, both styles).
 */
public final class StateFileCompaction implements ConfigurableRocksDBOptionsFactory {
    private static final long serialVersionUID = 1L;

    /** How the jobs hand {@link FlinkJobsConfig#STATE_COMPACTION_TTL} to the factory in the state backend. */
    static final ConfigOption<Duration> TTL = ConfigOptions.key("prokommun.state.compaction-ttl").durationType()
            .defaultValue(FlinkJobsConfig.STATE_COMPACTION_TTL.defaultValue())
            .withDescription("Value of the configuration key " + FlinkJobsConfig.STATE_COMPACTION_TTL.name());

    /** How the jobs hand {@link FlinkJobsConfig#STATE_L0_COMPACTION_TRIGGER} to the factory. */
    static final ConfigOption<Integer> L0_TRIGGER = ConfigOptions.key("prokommun.state.l0-compaction-trigger").intType()
            .defaultValue(FlinkJobsConfig.STATE_L0_COMPACTION_TRIGGER.defaultValue())
            .withDescription("Value of the configuration key " + FlinkJobsConfig.STATE_L0_COMPACTION_TRIGGER.name());

    private long ttlSeconds = TTL.defaultValue().getSeconds();
    private int l0Trigger = L0_TRIGGER.defaultValue();

    @Override
    public RocksDBOptionsFactory configure(ReadableConfig configuration) {
        ttlSeconds = configuration.get(TTL).getSeconds();
        l0Trigger = configuration.get(L0_TRIGGER);
        return this;
    }

    @Override
    public DBOptions createDBOptions(DBOptions currentOptions, Collection<AutoCloseable> handlesToClose) {
        return currentOptions;
    }

    @Override
    public ColumnFamilyOptions createColumnOptions(ColumnFamilyOptions currentOptions,
                                                   Collection<AutoCloseable> handlesToClose) {
        // writes slow down and stop at RocksDB's default ratios to the trigger (20 and 36 for 4)
        return currentOptions.setTtl(ttlSeconds).setLevel0FileNumCompactionTrigger(l0Trigger)
                .setLevel0SlowdownWritesTrigger(l0Trigger * 5).setLevel0StopWritesTrigger(l0Trigger * 9);
    }
}
