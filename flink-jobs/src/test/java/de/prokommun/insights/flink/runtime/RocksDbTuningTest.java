package de.prokommun.insights.flink.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.flink.FlinkJobsConfig;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.state.rocksdb.PredefinedOptions;
import org.apache.flink.state.rocksdb.RocksDBResourceContainer;
import org.junit.jupiter.api.Test;
import org.rocksdb.ColumnFamilyOptions;

/**
 * The column family options every state of the jobs gets from RocksDB, built the way the backend builds them
 * ({@link RocksDBResourceContainer} from the job configuration): files older than the configured period are
 * compacted, so that deleted state leaves the files checkpoints share (issue 14).
 */
class RocksDbTuningTest {

    private static long periodicCompactionSeconds(Configuration jobConfiguration) throws Exception {
        try (RocksDBResourceContainer container = new RocksDBResourceContainer(jobConfiguration,
                PredefinedOptions.DEFAULT, null, null, null, false)) {
            ColumnFamilyOptions options = container.getColumnOptions();
            return options.periodicCompactionSeconds();
        }
    }

    @Test
    void everyStateFileIsCompactedWithinADayByDefault() throws Exception {
        Configuration jobs = JobEnvironment.configuration(Settings.of(Map.of()), "file:///checkpoints");
        assertThat(periodicCompactionSeconds(jobs)).isEqualTo(24 * 3600);
    }

    @Test
    void thePeriodIsConfigurable() throws Exception {
        Settings sixHours = Settings.of(Map.of(FlinkJobsConfig.STATE_PERIODIC_COMPACTION.name(), "PT6H"));
        assertThat(periodicCompactionSeconds(JobEnvironment.configuration(sixHours, "file:///checkpoints")))
                .isEqualTo(6 * 3600);
        assertThat(periodicCompactionSeconds(RocksDbTuning.options())).as("benchmarks and harnesses: the default")
                .isEqualTo(24 * 3600);
    }
}
