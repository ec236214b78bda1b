package de.prokommun.insights.simulator;

import de.prokommun.insights.config.ConfigKey;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.simulator.economy.EventStream;
import de.prokommun.insights.simulator.emit.JsonLinesWriter;
import de.prokommun.insights.simulator.emit.LiveLoad;
import de.prokommun.insights.simulator.emit.ParticipantsFile;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Command line of the simulator.
 * <pre>
 *   backfill: --residents 200000 --seed 42 --years 3 --out events.jsonl.gz
 *   keys:     --participants-out participants.json --keys-out keys.json
 *   live:     --live --url http://127.0.0.1:8080 --keys keys.json --rate 5000 --duration 60s [--batch 100 --connections 4]
 * </pre>
 * Every option is also a configuration key (see {@link SimulatorConfig}), settable by system property or
 * environment variable.
 */
public final class SimulatorMain {

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    static int run(String[] args) {
        boolean live = false;
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) { printHelp(); return 0; }
            if (a.equals("--live")) { live = true; continue; }
            ConfigKey<?> key = keyFor(a);
            if (i + 1 >= args.length) throw new IllegalArgumentException(a + ": a value is required");
            values.put(key.name(), args[++i]);
        }
        Settings s = Settings.fromEnvironment().with(values);
        String cityDir = s.get(SimulatorConfig.CITY_DIR);
        SimCity city = cityDir.isBlank() ? SimCity.load(s.get(SimulatorConfig.CITY)) : SimCity.load(Path.of(cityDir));

        boolean didSomething = false;
        if (!s.get(SimulatorConfig.PARTICIPANTS_OUT).isBlank()) {
            writeKeys(city, s);
            didSomething = true;
        }
        long seed = s.get(SimulatorConfig.SEED);
        int residents = s.get(SimulatorConfig.RESIDENTS);
        if (residents < 1 || residents > 2_000_000) throw new IllegalArgumentException("residents: must be 1..2000000, got " + residents);
        int years = s.get(SimulatorConfig.YEARS);
        if (years < 1) throw new IllegalArgumentException("years: must be at least 1, got " + years);
        ZoneId zone = city.city().timeZone();
        Instant from = parseFrom(s.get(SimulatorConfig.FROM), years, zone);

        if (live) {
            runLive(city, s, seed, residents, from);
            return 0;
        }
        if (!s.get(SimulatorConfig.OUT).isBlank()) {
            Instant to = ZonedDateTime.ofInstant(from, zone).plusYears(years).toInstant();
            long t0 = System.nanoTime();
            long n = JsonLinesWriter.write(city.generate(seed, residents, from, to), Path.of(s.get(SimulatorConfig.OUT)));
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("wrote %d events of %d residents, %s .. %s, to %s in %.1f s (%.0f events/s)%n",
                    n, residents, from, to, s.get(SimulatorConfig.OUT), secs, n / secs);
            didSomething = true;
        }
        if (!didSomething) {
            printHelp();
            return 1;
        }
        return 0;
    }

    private static void writeKeys(SimCity city, Settings s) {
        String keysOut = s.get(SimulatorConfig.KEYS_OUT);
        if (keysOut.isBlank()) throw new IllegalArgumentException("keys-out: required with --participants-out (the keys are shown only once)");
        Map<String, String> keys = ParticipantsFile.write(city.participants().all(), city.city().id(),
                Path.of(s.get(SimulatorConfig.PARTICIPANTS_OUT)), Path.of(keysOut), new SecureRandom());
        System.out.println("participant directory: " + s.get(SimulatorConfig.PARTICIPANTS_OUT) + ", keys file: " + keysOut);
        System.out.println("API keys (shown once; they are stored only in the keys file):");
        keys.forEach((id, key) -> System.out.printf("  %-28s %s%n", id, key));
    }

    private static void runLive(SimCity city, Settings s, long seed, int residents, Instant from) {
        String url = s.get(SimulatorConfig.LIVE_URL);
        String keys = s.get(SimulatorConfig.LIVE_KEYS);
        if (url.isBlank()) throw new IllegalArgumentException("url: required in live mode (base URL of the ingestion service)");
        if (keys.isBlank()) throw new IllegalArgumentException("keys: required in live mode (the keys file of --keys-out)");
        Instant horizon = ZonedDateTime.ofInstant(from, city.city().timeZone()).plusYears(100).toInstant();
        String prefix = "l" + seed + "-" + Instant.now().getEpochSecond();
        Iterator<SimEvent> events = new EventStream(city, seed, residents, from, horizon, prefix);
        String skip = s.get(SimulatorConfig.LIVE_SKIP_UNTIL);
        if (!skip.isBlank()) events = skipBefore(events, parseInstant("skip-until", skip, city.city().timeZone()));
        LiveLoad.Options options = new LiveLoad.Options(URI.create(url), s.get(SimulatorConfig.LIVE_RATE),
                s.get(SimulatorConfig.LIVE_BATCH), s.get(SimulatorConfig.LIVE_CONNECTIONS), s.get(SimulatorConfig.LIVE_DURATION),
                0, java.time.Duration.ofMillis(200), true, java.time.Duration.ofSeconds(30));
        System.out.println("live load: " + options.eventsPerSecond() + " events/s to " + url + " for " + options.duration());
        LiveLoad.Report report = LiveLoad.run(events, ParticipantsFile.readKeys(Path.of(keys)), options);
        System.out.println(report.describe());
    }

    /** Events from {@code instant} on (the part before it was backfilled with the same seed). */
    static Iterator<SimEvent> skipBefore(Iterator<SimEvent> events, Instant instant) {
        long t = instant.toEpochMilli();
        return new Iterator<>() {
            SimEvent next = advance();

            private SimEvent advance() {
                while (events.hasNext()) {
                    SimEvent e = events.next();
                    if (e.eventTimeMillis() >= t) return e;
                }
                return null;
            }

            @Override public boolean hasNext() { return next != null; }

            @Override public SimEvent next() {
                if (next == null) throw new NoSuchElementException();
                SimEvent e = next;
                next = advance();
                return e;
            }
        };
    }

    static Instant parseFrom(String raw, int years, ZoneId zone) {
        if (raw.isBlank()) return LocalDate.now(zone).withDayOfYear(1).minusYears(years).atStartOfDay(zone).toInstant();
        return parseInstant("from", raw, zone);
    }

    static Instant parseInstant(String option, String raw, ZoneId zone) {
        try {
            if (raw.length() == 10) return LocalDate.parse(raw).atStartOfDay(zone).toInstant();
            return Instant.parse(raw);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(option + ": expected an ISO date (2024-01-01) or instant (2024-01-01T00:00:00Z), got '" + raw + "'");
        }
    }

    private static ConfigKey<?> keyFor(String arg) {
        if (!arg.startsWith("--")) throw new IllegalArgumentException("unexpected argument '" + arg + "'; options start with --");
        String name = arg.substring(2);
        for (ConfigKey<?> k : SimulatorConfig.ALL) if (SimulatorConfig.cliName(k).equals(name) || k.name().equals(name)) return k;
        throw new IllegalArgumentException("unknown option '" + arg + "'; see --help");
    }

    private static void printHelp() {
        System.out.println("Simulator of a synthetic city (--city musterstadt|jena). Options (also settable as configuration keys):");
        System.out.println("  --live                         live mode: send to the ingestion service at a constant rate");
        for (ConfigKey<?> k : SimulatorConfig.ALL) {
            System.out.printf("  --%-28s %s (key %s, default '%s')%n", SimulatorConfig.cliName(k) + " <v>", k.description(),
                    k.name(), k.defaultValue());
        }
    }
}
