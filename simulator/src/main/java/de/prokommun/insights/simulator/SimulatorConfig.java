package de.prokommun.insights.simulator;

import de.prokommun.insights.config.ConfigKey;
import java.time.Duration;
import java.util.List;

/** The simulator's settings. On the command line each key is also accepted as {@code --<cli name> value}. */
public final class SimulatorConfig {
    private SimulatorConfig() {}

    public static final ConfigKey<Long> SEED = ConfigKey.longKey("simulator.seed", 42L,
            "Seed of the synthetic city: the same seed, size and period give the same events");
    public static final ConfigKey<Integer> RESIDENTS = ConfigKey.integer("simulator.residents", 10_000,
            "Inhabitants of the synthetic city (5,000 to 1,000,000)");
    public static final ConfigKey<String> FROM = ConfigKey.string("simulator.from", "",
            "Start of the simulated period (ISO date or instant; the portal's launch). Empty: Jan 1st, <years> years ago");
    public static final ConfigKey<Integer> YEARS = ConfigKey.integer("simulator.years", 1,
            "Length of the simulated period in years");
    public static final ConfigKey<String> OUT = ConfigKey.string("simulator.out", "",
            "Backfill: JSON-lines file the events are written to (.gz compresses)");
    public static final ConfigKey<String> CITY = ConfigKey.string("simulator.city", "musterstadt",
            "The city to simulate: a directory name under cities/ (musterstadt, jena), read from the jar unless city-dir is set");
    public static final ConfigKey<String> CITY_DIR = ConfigKey.string("simulator.city.dir", "",
            "Directory with city.json, taxonomy.json, participants-catalogue.json, population.json, behaviour.json; empty:"
                    + " the files of <city> in the jar");
    public static final ConfigKey<String> PARTICIPANTS_OUT = ConfigKey.string("simulator.participants.out", "",
            "Write a participant directory (API key digests) here, with fresh random keys");
    public static final ConfigKey<String> KEYS_OUT = ConfigKey.string("simulator.keys.out", "",
            "Where the fresh API keys (participant -> key) are written; a secret file");

    public static final ConfigKey<String> LIVE_URL = ConfigKey.string("live.url", "",
            "Live mode: base URL of the ingestion service, e.g. http://127.0.0.1:8080");
    public static final ConfigKey<String> LIVE_KEYS = ConfigKey.string("live.keys", "",
            "Live mode: keys file written by --keys-out (participant -> API key)");
    public static final ConfigKey<Double> LIVE_RATE = ConfigKey.decimal("live.rate", 1000.0,
            "Live mode: target events per second");
    public static final ConfigKey<Integer> LIVE_BATCH = ConfigKey.integer("live.batch", 100,
            "Live mode: events per request (per sending participant)");
    public static final ConfigKey<Integer> LIVE_CONNECTIONS = ConfigKey.integer("live.connections", 4,
            "Live mode: concurrent keep-alive HTTP connections");
    public static final ConfigKey<Duration> LIVE_DURATION = ConfigKey.duration("live.duration", Duration.ofMinutes(1),
            "Live mode: how long to send");
    public static final ConfigKey<String> LIVE_SKIP_UNTIL = ConfigKey.string("live.skip.until", "",
            "Live mode: skip generated events before this instant (they were backfilled with the same seed)");

    public static final List<ConfigKey<?>> ALL = List.of(SEED, RESIDENTS, FROM, YEARS, OUT, CITY, CITY_DIR, PARTICIPANTS_OUT,
            KEYS_OUT, LIVE_URL, LIVE_KEYS, LIVE_RATE, LIVE_BATCH, LIVE_CONNECTIONS, LIVE_DURATION, LIVE_SKIP_UNTIL);

    /** The command-line spelling: the part after the first dot, dots as dashes ("live.rate" → "rate"). */
    public static String cliName(ConfigKey<?> key) {
        String n = key.name();
        if (n.startsWith("simulator.")) n = n.substring("simulator.".length());
        else if (n.startsWith("live.")) n = n.substring("live.".length());
        return n.replace('.', '-');
    }
}
