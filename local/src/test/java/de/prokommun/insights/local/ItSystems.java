package de.prokommun.insights.local;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.testkit.PinotClusterConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * The local system as the local-mode ITs start it. They checkpoint every second, not every 500 ms (the default): two
 * whole systems share the CI machine's 2 cores (two failsafe forks), the ITs assert what becomes visible and never how
 * fast, and at 500 ms their checkpoints alone took CI from 28 to 36 minutes. The default is measured by
 * {@code bench/run soak}; an IT that sets the interval keeps its own.
 * <p>Pinot's JVM runs with the client compiler only, as the test forks do (failsafe's argLine): a JVM that lives a
 * few minutes spends more CPU in the optimising compiler than the optimised code saves. Measured 2026-12-07 on a quiet
 * machine: ErrorShapeIT 55 → 42 CPU-seconds, CompleteJourneyImportIT 247 → 162 CPU-seconds and 161 → 138 s.
 */
final class ItSystems {
    private ItSystems() {}

    static final String CHECKPOINT_INTERVAL = "1s";

    static LocalSystem start(Path dataDir, Settings settings) throws Exception {
        return LocalSystem.start(dataDir, withItCompiler(withItCheckpoints(settings)), 2);
    }

    static Settings withItCompiler(Settings settings) {
        if (settings.isSet(PinotClusterConfig.JVM_OPTIONS)) return settings;
        return settings.with(PinotClusterConfig.JVM_OPTIONS, PinotClusterConfig.CLIENT_COMPILER_ONLY);
    }

    static Settings withItCheckpoints(Settings settings) {
        if (settings.isSet(FlinkJobsConfig.CHECKPOINT_INTERVAL)) return settings;
        return settings.with(Map.of(FlinkJobsConfig.CHECKPOINT_INTERVAL.name(), CHECKPOINT_INTERVAL));
    }
}
