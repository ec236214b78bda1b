package de.prokommun.insights.local;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.simulator.Musterstadt;
import de.prokommun.insights.simulator.emit.LiveLoad;
import de.prokommun.insights.simulator.emit.ParticipantsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code ./run-local}: the whole system with the synthetic city Musterstadt on this machine. Prints
 * where everything is and the demo API keys; Ctrl-C stops every process it started.
 */
public final class LocalMain {

    private LocalMain() {}

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) {
            // Engines leave non-daemon threads behind: a failed start must still end the process.
            System.err.println("proKommun Insights konnte nicht starten: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        Settings settings = Settings.fromEnvironment().with(LocalArguments.parse(args));
        Path dataDir = Path.of(settings.get(LocalConfig.DATA_DIR)).toAbsolutePath();
        if (LocalArguments.fresh(args)) deleteRecursively(dataDir);
        Files.createDirectories(dataDir);
        System.setProperty("local.log.file", dataDir.resolve("local.log").toString());

        String cityName = settings.get(LocalConfig.CITY);
        Path citiesDir = LocalSettings.citiesDir(settings);
        Musterstadt city = Musterstadt.load(citiesDir.resolve(cityName));
        Map<String, String> apiKeys = apiKeys(city, cityName, dataDir);
        settings = LocalSettings.forDataDir(settings, dataDir, citiesDir, cityName);

        long started = System.nanoTime();
        out("Starte proKommun Insights (lokal) in " + dataDir + " ...");
        LocalSystem system = LocalSystem.start(dataDir, settings, settings.get(LocalConfig.PARTITIONS));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out("Stoppe alle Prozesse ...");
            system.close();
            stopped.countDown();
        }, "local-shutdown"));
        out(String.format("Alle Komponenten laufen (%.0f s).", (System.nanoTime() - started) / 1e9));
        printBanner(system, apiKeys);

        CityFeed feed = new CityFeed(city, apiKeys, URI.create(system.ingestion().baseUrl()),
                settings.get(LocalConfig.SEED), settings.get(LocalConfig.RESIDENTS), dataDir);
        try {
            feed(feed, city, settings);
        } catch (RuntimeException e) {
            out("Fehler beim Einspeisen der Stadt: " + e);
            System.exit(1);
        }
        stopped.await();
    }

    private static void feed(CityFeed feed, Musterstadt city, Settings settings) {
        if (!feed.historyFed()) {
            out("Händler ordnen ihre Warengruppen der Kategorien der Stadt zu: "
                    + feed.uploadProductGroupMappings() + " Zuordnungen.");
            out("Lade die Geschichte von " + city.city().name() + " (" + settings.get(LocalConfig.RESIDENTS)
                    + " Einwohner, " + CityFeed.HISTORY.toDays() + " Tage) über die HTTP-Ingestion ...");
            LiveLoad.Report history = feed.feedHistory(Instant.now());
            out("Geschichte geladen: " + history.describe());
        }
        int rate = settings.get(LocalConfig.LIVE_RATE);
        if (rate > 0) {
            Thread live = new Thread(() -> out("Live-Feed beendet: "
                    + feed.feedLive(Instant.now(), rate, Duration.ofDays(365)).describe()), "live-feed");
            live.setDaemon(true);
            live.start();
            out("Live-Feed: " + rate + " Ereignisse/s. Strg-C beendet alles.");
        }
    }

    private static Map<String, String> apiKeys(Musterstadt city, String cityName, Path dataDir) {
        Path keysFile = dataDir.resolve("api-keys.json");
        if (Files.exists(keysFile)) return ParticipantsFile.readKeys(keysFile);
        return ParticipantsFile.write(city.participants().all(), cityName, LocalSettings.participantsFile(dataDir),
                keysFile, new SecureRandom());
    }

    private static void printBanner(LocalSystem system, Map<String, String> apiKeys) {
        String operator = firstWithPrefix(apiKeys, "stadtmarketing");
        String merchant = apiKeys.keySet().stream().filter(k -> !k.equals("portal") && !k.equals("stadtmarketing"))
                .findFirst().orElseThrow();
        out("");
        out("  Dashboards  " + system.queryUrl() + "/ui/   (Anmeldung mit einem API-Schlüssel unten)");
        out("  Datenschutz " + system.residentUrl() + "/privacy-centre/#token=<vom Portal signiertes Token>");
        out("  Ingestion   " + system.ingestion().baseUrl() + "/api/v1/events");
        out("  Abfragen    " + system.queryUrl() + "/api/v1/audiences/size   (OpenAPI: " + system.queryUrl() + "/api/v1/openapi.yaml)");
        out("  Einwohner   " + system.residentUrl() + "/api/v1/me   (Token des Portals, OpenAPI: " + system.residentUrl() + "/api/v1/me/openapi.yaml)");
        out("  Flink UI    " + system.flink().restUrl());
        out("  Pinot       http://" + system.pinot().controllerHostPort() + " (Controller), broker " + system.pinot().brokerHostPort());
        out("  Kafka       " + system.kafka().bootstrapServers());
        out("");
        out("  Demo-API-Schlüssel (alle in " + Path.of(system.settings().get(LocalConfig.DATA_DIR)).toAbsolutePath().resolve("api-keys.json") + "):");
        out("    Händler  " + merchant + ": " + apiKeys.get(merchant));
        out("    Betreiber stadtmarketing: " + operator);
        out("    Portal   portal: " + apiKeys.get("portal"));
        out("");
        out("  Beispiel:");
        out("    curl -s -H 'Authorization: Bearer " + apiKeys.get(merchant) + "' -H 'Content-Type: application/json' \\");
        out("         -d '{\"filter\":{\"ageFrom\":25,\"ageTo\":49},\"breakdown\":\"district\"}' "
                + system.queryUrl() + "/api/v1/audiences/size");
        out("");
    }

    private static String firstWithPrefix(Map<String, String> keys, String id) {
        String key = keys.get(id);
        return key != null ? key : "(none)";
    }

    private static void out(String line) {
        System.out.println(line);
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** Command-line options: --fresh, --residents N, --rate R, --seed S. */
    static final class LocalArguments {
        private LocalArguments() {}

        static boolean fresh(String[] args) {
            return java.util.Arrays.asList(args).contains("--fresh");
        }

        static Map<String, String> parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--fresh" -> { }
                    case "--residents" -> values.put(LocalConfig.RESIDENTS.name(), value(args, ++i));
                    case "--rate" -> values.put(LocalConfig.LIVE_RATE.name(), value(args, ++i));
                    case "--seed" -> values.put(LocalConfig.SEED.name(), value(args, ++i));
                    default -> throw new IllegalArgumentException("unknown option '" + args[i]
                            + "' (known: --fresh, --residents N, --rate EVENTS_PER_SECOND, --seed S)");
                }
            }
            return values;
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) throw new IllegalArgumentException("option '" + args[i - 1] + "' needs a value");
            return args[i];
        }
    }
}
