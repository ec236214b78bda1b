package de.prokommun.insights.testkit;

import de.prokommun.insights.config.ConfigKey;
import java.time.Duration;
import java.util.List;

/** How {@link PinotCluster} starts the Pinot child JVM and where it finds its classpath and table files. */
public final class PinotClusterConfig {
    private PinotClusterConfig() {}

    public static final ConfigKey<Duration> STARTUP_TIMEOUT = ConfigKey.duration("pinot.startup.timeout",
            Duration.ofMinutes(4),
            "How long to wait for the Pinot child JVM to report READY (ZooKeeper, controller, broker, server, tables)");
    public static final ConfigKey<String> HEAP = ConfigKey.string("pinot.heap", "1g",
            "Maximum heap of the Pinot child JVM (-Xmx value)");
    public static final ConfigKey<String> JVM_OPTIONS = ConfigKey.string("pinot.jvm-options", "",
            "Further options of the Pinot child JVM, separated by spaces (the integration tests run it with the client"
                    + " compiler only: a JVM that lives a few minutes spends more CPU compiling than it saves)");
    public static final ConfigKey<String> RUNNER_CLASSPATH = ConfigKey.string("pinot.runner.classpath", null,
            "File holding the Pinot child JVM's classpath (pinot-runner/target/pinot-runner.classpath);"
                    + " if unset, searched upwards from the working directory");
    public static final ConfigKey<String> CONFIG_DIR = ConfigKey.string("pinot.config.dir", null,
            "Directory with the Pinot schemas and table configs (the repository's pinot/);"
                    + " if unset, searched upwards from the working directory");

    public static final ConfigKey<String> HOST = ConfigKey.string("pinot.local.host", "127.0.0.1",
            "The one address every listener of the Pinot child JVM binds and is reached at (ZooKeeper, controller,"
                    + " broker, server query and admin ports); loopback in the local mode and tests, never the wildcard"
                    + " address (issue 15)");

    public static final ConfigKey<Duration> PURGE_INTERVAL = ConfigKey.duration("pinot.purge.interval",
            Duration.ofHours(1),
            "How often the Pinot child purges the earlier versions of deleted upsert rows (erased persons' old profile"
                    + " versions, deleted records) from completed segments: Pinot 0.11 keeps and returns them with"
                    + " skipUpsert=true (issue 14, item 8; docs/DSGVO.md section 4)");
    public static final ConfigKey<Duration> PURGE_MAX_DELAY = ConfigKey.duration("pinot.purge.max-delay",
            Duration.ofHours(6),
            "How long after a deletion (erasure, withdrawal, deleted record) a completed segment still holding an earlier"
                    + " version of it is rewritten at the latest: waiting lets one rewrite of a segment take every deletion"
                    + " of that time, where rewriting on sight re-sent the whole table each run. Old versions are gone"
                    + " within the larger of this and the upsert flush time, plus pinot.purge.interval (docs/DSGVO.md"
                    + " section 4)");
    public static final ConfigKey<Double> PURGE_MIN_INVALID_SHARE = ConfigKey.decimal("pinot.purge.min-invalid-share",
            0.5,
            "A completed upsert segment of which at least this share of rows is no longer served (superseded versions) is"
                    + " rewritten by the purge whether or not a deletion is due: the rewrite costs its served rows and"
                    + " frees at least as many (0 < share <= 1)");
    public static final ConfigKey<Duration> UPSERT_FLUSH_TIME = ConfigKey.duration("pinot.upsert.flush-time", null,
            "When the upsert tables' consuming segments complete, overriding realtime.segment.flush.threshold.time of"
                    + " pinot/<table>.table.json (6 h) if set: the purge reaches an old version only once its segment has"
                    + " completed, so an erased person's old versions are gone within this plus pinot.purge.interval");

    public static final ConfigKey<Integer> UPSERT_FLUSH_ROWS = ConfigKey.integer("pinot.upsert.flush-rows", null,
            "After how many rows the upsert tables' consuming segments complete, overriding"
                    + " realtime.segment.flush.threshold.rows (500,000) if set; Pinot 0.11 extends a segment that fetched"
                    + " nothing within its time limit by an hour, so a small count makes the first segments complete too");

    /**
     * The {@link #JVM_OPTIONS} of the tests' Pinot: the client compiler only. A JVM that lives a few minutes spends more
     * CPU in the optimising compiler than its code saves (measured 2026-12-07, local/.../ItSystems.java).
     */
    public static final String CLIENT_COMPILER_ONLY = "-XX:TieredStopAtLevel=1";

    /** The options of a space-separated JVM option setting. */
    public static List<String> words(String options) {
        return java.util.Arrays.stream(options.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    public static final List<ConfigKey<?>> ALL = List.of(STARTUP_TIMEOUT, HEAP, JVM_OPTIONS, RUNNER_CLASSPATH, CONFIG_DIR, HOST,
            PURGE_INTERVAL, PURGE_MAX_DELAY, PURGE_MIN_INVALID_SHARE, UPSERT_FLUSH_TIME, UPSERT_FLUSH_ROWS);
}
