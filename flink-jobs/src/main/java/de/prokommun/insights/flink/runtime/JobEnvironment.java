package de.prokommun.insights.flink.runtime;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.flink.FlinkJobsConfig;
import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * How every job runs: exactly-once checkpoints at the configured interval (aligned, going unaligned when alignment
 * takes longer than the configured timeout), RocksDB state with incremental checkpoints, checkpoints retained on
 * cancellation (a restart resumes from them), configured parallelism.
 */
public final class JobEnvironment {
    private JobEnvironment() {}

    /** Settings from a properties file named by the first argument, else from system properties and environment. */
    public static Settings settings(String[] args) {
        return args.length > 0 ? Settings.fromFile(Path.of(args[0])) : Settings.fromEnvironment();
    }

    /**
     * State files below Flink's default of 20 KB are kept inside the checkpoint's metadata, and an incremental checkpoint
     * names every file it still shares with the ones before: each checkpoint twice a second re-serialised and wrote every
     * small RocksDB table file still alive (703 of 864 files, 1.5 MB of metadata per checkpoint of the profile job; the
     * JobManager's io thread spent two thirds of its time on it, 2026-12-07). Only a few bytes stay inline now; the small
     * tables are written once, as files.
     */
    static final MemorySize INLINE_THRESHOLD = MemorySize.parse("1kb");

    public static StreamExecutionEnvironment create(Settings settings) {
        return StreamExecutionEnvironment.getExecutionEnvironment(configuration(settings, settings.get(FlinkJobsConfig.CHECKPOINT_DIR)));
    }

    /** The job configuration; {@code checkpointDir} is a path or URI. */
    public static Configuration configuration(Settings settings, String checkpointDir) {
        Configuration c = new Configuration();
        c.set(CoreOptions.DEFAULT_PARALLELISM, settings.get(FlinkJobsConfig.PARALLELISM));
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, settings.get(FlinkJobsConfig.CHECKPOINT_INTERVAL));
        c.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        c.set(CheckpointingOptions.ENABLE_UNALIGNED, settings.get(FlinkJobsConfig.UNALIGNED_CHECKPOINTS));
        c.set(CheckpointingOptions.ALIGNED_CHECKPOINT_TIMEOUT, settings.get(FlinkJobsConfig.ALIGNED_CHECKPOINT_TIMEOUT));
        c.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        c.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, toUri(checkpointDir));
        c.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        c.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 2);
        c.set(CheckpointingOptions.FS_SMALL_FILE_THRESHOLD, INLINE_THRESHOLD);
        c.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        c.addAll(RocksDbTuning.options(settings));
        // Safe because no operator keeps a reference to an input or output record beyond one call (state is RocksDB,
        // which copies on write); saves a deep copy of every record handed to a chained operator or sink.
        c.set(PipelineOptions.OBJECT_REUSE, true);
        // Every record and state type has a serializer of its own (Avro, POJO, hand-written): a type that would fall
        // back to Kryo fails the job at submission instead of silently costing a generic serializer per record.
        c.set(PipelineOptions.GENERIC_TYPES, false);
        return c;
    }

    /** Applies the job configuration to an environment created elsewhere (tests, the local runner). */
    public static StreamExecutionEnvironment configure(StreamExecutionEnvironment env, Settings settings, String checkpointDir) {
        Configuration c = configuration(settings, checkpointDir);
        env.configure(c, JobEnvironment.class.getClassLoader());
        env.setParallelism(settings.get(FlinkJobsConfig.PARALLELISM));
        return env;
    }

    static String toUri(String dir) {
        return dir.contains("://") ? dir : Path.of(dir).toAbsolutePath().toUri().toString();
    }
}
