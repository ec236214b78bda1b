package de.prokommun.insights.local;

import de.prokommun.insights.config.ConfigKey;
import java.util.List;

/** Keys of the one-command local mode. */
public final class LocalConfig {
    private LocalConfig() {}

    public static final ConfigKey<String> DATA_DIR = ConfigKey.string("local.data-dir", ".local",
            "Where the local mode keeps Kafka logs, Pinot segments, Flink checkpoints, keys and secrets");
    public static final ConfigKey<String> CITY = ConfigKey.string("local.city", "musterstadt",
            "The city the local mode runs (a directory under cities/), or several separated by commas: one system"
                    + " serving all of them (LocalSettings.cities)");
    public static final ConfigKey<Integer> RESIDENTS = ConfigKey.integer("local.feed.residents", 5000,
            "Residents of the synthetic city fed at the first start");
    public static final ConfigKey<Long> SEED = ConfigKey.longKey("local.feed.seed", 20261129L,
            "Seed of the synthetic city (same seed, same city)");
    public static final ConfigKey<Integer> LIVE_RATE = ConfigKey.integer("local.feed.rate", 200,
            "Events per second the live feed sends after the initial city is loaded (0 = no live feed)");
    public static final ConfigKey<Integer> PARTITIONS = ConfigKey.integer("local.kafka.partitions", 2,
            "Partitions of every topic in local mode");

    public static final ConfigKey<String> COMPLETE_JOURNEY_DIR = ConfigKey.string("local.demo.complete-journey-dir",
            "../shared/data/completejourney",
            "Directory of the Complete Journey sample that ./run-local --demo complete-journey imports (transactions and"
                    + " demographics, docs/IMPORT.md)");

    public static final ConfigKey<String> NODE_JVM_OPTIONS = ConfigKey.string("cluster.node.jvm-options", "",
            "Further options of every node JVM of ./run-cluster, separated by spaces (ClusterIT runs them with the client"
                    + " compiler only: 15 JVMs that live a few minutes spend more CPU compiling than they save)");

    public static final List<ConfigKey<?>> ALL = List.of(DATA_DIR, CITY, RESIDENTS, SEED, LIVE_RATE, PARTITIONS,
            COMPLETE_JOURNEY_DIR, NODE_JVM_OPTIONS);
}
