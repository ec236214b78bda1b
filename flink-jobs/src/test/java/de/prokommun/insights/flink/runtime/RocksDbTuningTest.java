package de.prokommun.insights.flink.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.flink.FlinkJobsConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.PredefinedOptions;
import org.apache.flink.state.rocksdb.RocksDBResourceContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/**
 * The column family options every state of the jobs gets, built the way the state backend builds them (the options
 * factory loaded from the job configuration, then {@link RocksDBResourceContainer}): a compaction TTL, so that a
 * deleted value leaves the state files within about that time (issue 14).
 */
class RocksDbTuningTest {

    private static final String SECRET = "district-of-an-erased-person";

    @TempDir
    Path dir;

    private static Configuration jobs(Map<String, String> settings) {
        return JobEnvironment.configuration(Settings.of(settings), "file:///checkpoints");
    }

    /** The column family options of a state under this job configuration (the caller closes them). */
    private static ColumnFamilyOptions columnOptions(Configuration jobConfiguration) throws Exception {
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend()
                .configure(jobConfiguration, RocksDbTuningTest.class.getClassLoader());
        RocksDBResourceContainer container = new RocksDBResourceContainer(jobConfiguration, PredefinedOptions.DEFAULT,
                backend.getRocksDBOptions(), null, null, false);
        return new ColumnFamilyOptions(container.getColumnOptions()); // a copy: the container closes its own
    }

    @Test
    void everyStateGetsACompactionTtlOfOneDayByDefault() throws Exception {
        try (ColumnFamilyOptions options = columnOptions(jobs(Map.of()))) {
            assertThat(options.ttl()).isEqualTo(24 * 3600);
        }
        try (ColumnFamilyOptions options = columnOptions(RocksDbTuning.options())) {
            assertThat(options.ttl()).as("benchmarks and harnesses: the same").isEqualTo(24 * 3600);
        }
    }

    @Test
    void levelZeroWaitsForTenFilesAndOnlyTheDeeperLevelsAreCompressed() throws Exception {
        try (ColumnFamilyOptions options = columnOptions(jobs(Map.of()))) {
            assertThat(options.level0FileNumCompactionTrigger()).isEqualTo(10);
            assertThat(options.level0SlowdownWritesTrigger()).isEqualTo(50);
            assertThat(options.level0StopWritesTrigger()).isEqualTo(90);
            assertThat(options.compressionPerLevel()).containsExactly(CompressionType.NO_COMPRESSION,
                    CompressionType.NO_COMPRESSION, CompressionType.LZ4_COMPRESSION);
        }
        try (ColumnFamilyOptions options = columnOptions(jobs(Map.of(
                FlinkJobsConfig.STATE_L0_COMPACTION_TRIGGER.name(), "4", FlinkJobsConfig.STATE_COMPRESSION.name(), "zstd")))) {
            assertThat(options.level0FileNumCompactionTrigger()).isEqualTo(4);
            assertThat(options.compressionPerLevel()).containsExactly(CompressionType.ZSTD_COMPRESSION);
        }
    }

    @Test
    void anUnknownCompressionNamesTheKey() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jobs(Map.of(FlinkJobsConfig.STATE_COMPRESSION.name(), "none,gzip")))
                .hasMessageContaining("flink.state.compression").hasMessageContaining("gzip");
    }

    @Test
    void theTtlIsConfigurable() throws Exception {
        try (ColumnFamilyOptions options = columnOptions(jobs(Map.of(FlinkJobsConfig.STATE_COMPACTION_TTL.name(), "6h")))) {
            assertThat(options.ttl()).isEqualTo(6 * 3600);
        }
    }

    /**
     * A value deleted while its tombstone sits in an upper level that is not compacted for its size (standing in for
     * a large state: here no level-0 compaction by file count) leaves the files after about the TTL, while the state
     * is written on (a flush every half second); without the TTL it stays.
     */
    @ParameterizedTest
    @ValueSource(strings = {"universal", "level"})
    void aDeletedValueLeavesTheStateFilesAfterAboutTheTtl(String style) throws Exception {
        String styleKey = FlinkJobsConfig.STATE_COMPACTION_STYLE.name();
        long withTtl = secondsUntilTheDeletedValueLeavesTheFiles(Map.of(FlinkJobsConfig.STATE_COMPACTION_TTL.name(), "2s",
                styleKey, style), dir.resolve("ttl"), 20);
        assertThat(withTtl).as("seconds until gone, TTL 2 s, " + style).isBetween(1L, 10L);
        long withoutTtl = secondsUntilTheDeletedValueLeavesTheFiles(Map.of(FlinkJobsConfig.STATE_COMPACTION_TTL.name(), "0s",
                styleKey, style), dir.resolve("off"), 6);
        assertThat(withoutTtl).as("without a TTL the value stays, " + style).isEqualTo(-1L);
    }

    @Test
    void everyStateIsCompactedUniversallyByDefaultAndLeveledOnRequest() throws Exception {
        try (ColumnFamilyOptions options = columnOptions(jobs(Map.of()))) {
            assertThat(options.compactionStyle()).isEqualTo(CompactionStyle.UNIVERSAL);
        }
        try (ColumnFamilyOptions options = columnOptions(RocksDbTuning.options())) {
            assertThat(options.compactionStyle()).as("benchmarks and harnesses: the same").isEqualTo(CompactionStyle.UNIVERSAL);
        }
        try (ColumnFamilyOptions options = columnOptions(jobs(Map.of(FlinkJobsConfig.STATE_COMPACTION_STYLE.name(), "level")))) {
            assertThat(options.compactionStyle()).isEqualTo(CompactionStyle.LEVEL);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jobs(Map.of(FlinkJobsConfig.STATE_COMPACTION_STYLE.name(), "fifo")))
                .hasMessageContaining("flink.state.compaction-style").hasMessageContaining("fifo");
    }

    /**
     * A state written by an earlier version (leveled compaction: data in level 0 and in the bottom level) opens under
     * universal compaction, as when a job restores such a checkpoint's files, and reads and compacts on.
     */
    @Test
    void aStateWrittenUnderLeveledCompactionOpensAndCompactsUnderUniversal() throws Exception {
        Path db = dir.resolve("upgrade");
        Files.createDirectories(db);
        try (ColumnFamilyOptions column = columnOptions(jobs(Map.of(FlinkJobsConfig.STATE_COMPACTION_STYLE.name(), "level")));
             DBOptions dbOptions = new DBOptions().setCreateIfMissing(true);
             Options options = new Options(dbOptions, column);
             RocksDB rocks = RocksDB.open(options, db.toString());
             FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            for (int i = 0; i < 1000; i++) rocks.put(("key-" + i).getBytes(), ("old-" + i).getBytes());
            rocks.flush(flush);
            rocks.compactRange();
            for (int i = 0; i < 1000; i += 2) rocks.put(("key-" + i).getBytes(), ("new-" + i).getBytes());
            rocks.flush(flush);
        }
        try (ColumnFamilyOptions column = columnOptions(jobs(Map.of()));
             DBOptions dbOptions = new DBOptions();
             Options options = new Options(dbOptions, column);
             RocksDB rocks = RocksDB.open(options, db.toString());
             FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            assertThat(options.compactionStyle()).isEqualTo(CompactionStyle.UNIVERSAL);
            for (int i = 0; i < 1000; i += 3) rocks.delete(("key-" + i).getBytes());
            rocks.flush(flush);
            rocks.compactRange();
            for (int i = 0; i < 1000; i++) {
                byte[] value = rocks.get(("key-" + i).getBytes());
                String expected = i % 3 == 0 ? null : (i % 2 == 0 ? "new-" : "old-") + i;
                assertThat(value == null ? null : new String(value, StandardCharsets.UTF_8)).as("key-" + i).isEqualTo(expected);
            }
        }
    }

    /** Seconds until the deleted value is in no state file, or -1 if it still is after {@code waitSeconds}. */
    private static long secondsUntilTheDeletedValueLeavesTheFiles(Map<String, String> settings, Path db, int waitSeconds)
            throws Exception {
        Files.createDirectories(db);
        try (ColumnFamilyOptions column = columnOptions(jobs(settings));
             DBOptions dbOptions = new DBOptions().setCreateIfMissing(true);
             Options options = new Options(dbOptions, column)
                     // the value readable in the files (the jobs compress per level)
                     .setCompressionPerLevel(java.util.Collections.nCopies(7, CompressionType.NO_COMPRESSION))
                     .setCompressionType(CompressionType.NO_COMPRESSION)
                     .setLevel0FileNumCompactionTrigger(1000).setLevel0SlowdownWritesTrigger(2000)
                     .setLevel0StopWritesTrigger(3000);
             RocksDB rocks = RocksDB.open(options, db.toString());
             FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            assertThat(options.compactionStyle().name()).as("the compaction style under test")
                    .isEqualToIgnoringCase(settings.getOrDefault(FlinkJobsConfig.STATE_COMPACTION_STYLE.name(), "universal"));
            for (int i = 0; i < 1000; i++) rocks.put(("key-" + i).getBytes(), ("value-" + i).getBytes());
            rocks.put("erased".getBytes(), SECRET.getBytes(StandardCharsets.UTF_8));
            rocks.flush(flush);
            rocks.compactRange(); // the value in the bottom level, as old state is
            rocks.delete("erased".getBytes());
            rocks.flush(flush); // the tombstone in a newer file
            assertThat(valueInFiles(db)).as("deleted, but still in a file").isTrue();
            long start = System.nanoTime();
            for (int i = 0; i < waitSeconds * 2; i++) {
                Thread.sleep(500);
                rocks.put(("later-" + i).getBytes(), "x".getBytes());
                rocks.flush(flush);
                if (!valueInFiles(db)) return Math.max(1, Math.round((System.nanoTime() - start) / 1e9));
            }
            return -1;
        }
    }

    private static boolean valueInFiles(Path db) throws Exception {
        List<Path> files;
        try (var listing = Files.list(db)) {
            files = listing.filter(p -> p.toString().endsWith(".sst")).toList();
        }
        for (Path file : files) {
            try {
                if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(SECRET)) return true;
            } catch (NoSuchFileException compactedMeanwhile) {
                // a compaction removed it while we listed
            }
        }
        return false;
    }
}
