package de.prokommun.insights.local;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.simulator.SimCity;
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
import de.prokommun.insights.importer.ImportReport;
import de.prokommun.insights.importer.Progress;
import de.prokommun.insights.importer.completejourney.CompleteJourney;
import de.prokommun.insights.local.demo.CompleteJourneyDemo;
import de.prokommun.insights.local.demo.DemoResidents;
import de.prokommun.insights.local.demo.PortalTokens;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code ./run-local}: the whole system with a synthetic city on this machine (Musterstadt, or the city of
 * {@code --city}: its own participants, keys, secrets and privacy policy in its own data directory). Prints
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
        String demo = LocalArguments.demo(args);
        Settings settings = Settings.fromEnvironment().with(LocalArguments.parse(args));
        // a demo keeps its own data: its participants and residents are not the synthetic city's
        if (demo != null && !settings.isSet(LocalConfig.DATA_DIR)) settings = settings.with(LocalConfig.DATA_DIR, ".local-" + demo);
        // another city keeps its own data too: its participants, keys, secrets, topics and state are not Musterstadt's
        settings = LocalSettings.withCityDataDir(settings);
        Path dataDir = Path.of(settings.get(LocalConfig.DATA_DIR)).toAbsolutePath();
        if (LocalArguments.fresh(args)) deleteRecursively(dataDir);
        Files.createDirectories(dataDir);
        System.setProperty("local.log.file", dataDir.resolve("local.log").toString());

        String cityName = settings.get(LocalConfig.CITY);
        List<String> cityNames = LocalSettings.cities(settings);
        Path citiesDir = LocalSettings.citiesDir(settings);
        if (demo != null) {
            if (cityNames.size() > 1) throw new IllegalArgumentException("--demo runs one city, not " + cityNames);
            runCompleteJourneyDemo(settings, dataDir, citiesDir, cityName);
            return;
        }
        List<ServedCity> cities = new ArrayList<>();
        for (String name : cityNames) {
            SimCity city = SimCity.load(LocalSettings.cityDir(citiesDir, name));
            // one city keeps its files where they always were; several keep theirs apart and share one directory
            Path cityDir = cityNames.size() == 1 ? dataDir : dataDir.resolve(name);
            cities.add(new ServedCity(name, city, apiKeys(city, name, cityDir), cityDir));
        }
        if (cities.size() > 1) {
            ParticipantDirectories.merge(cities.stream().map(c -> LocalSettings.participantsFile(c.dir())).toList(),
                    LocalSettings.participantsFile(dataDir));
        }
        settings = LocalSettings.forDataDir(settings, dataDir, citiesDir, cityName);

        Running running = start(dataDir, settings);
        LocalSystem system = running.system();
        printAddresses(system, true);
        for (ServedCity c : cities) printKeys(c, system.queryUrl());
        int rate = settings.get(LocalConfig.LIVE_RATE);
        int ratePerCity = rate == 0 ? 0 : Math.max(1, rate / cities.size());
        try {
            for (ServedCity c : cities) {
                CityFeed feed = new CityFeed(c.city(), c.apiKeys(), URI.create(system.ingestion().baseUrl()),
                        settings.get(LocalConfig.SEED), settings.get(LocalConfig.RESIDENTS), c.dir());
                feed(feed, c.city(), settings, c.dir(), ratePerCity);
            }
            printDemoPortal(system, cities.get(0), DemoResidents.read(cities.get(0).dir()));
            for (ServedCity c : cities.subList(1, cities.size())) printDemoTokens(system, c, DemoResidents.read(c.dir()));
        } catch (RuntimeException e) {
            out("Fehler beim Einspeisen der Stadt: " + e);
            System.exit(1);
        }
        running.stopped().await();
    }

    /** One city the local mode serves: its synthetic model, its participants' API keys and its own files. */
    private record ServedCity(String name, SimCity city, Map<String, String> apiKeys, Path dir) {
        String operator() {
            return city.participants().operator().id();
        }

        String portal() {
            return city.participants().portal().id();
        }
    }

    private record Running(LocalSystem system, CountDownLatch stopped) {}

    /** Starts every component; Ctrl-C stops them all. */
    private static Running start(Path dataDir, Settings settings) throws Exception {
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
        return new Running(system, stopped);
    }

    /** {@code --demo complete-journey}: the Complete Journey sample instead of the synthetic city (docs/JOURNEY.md). */
    private static void runCompleteJourneyDemo(Settings base, Path dataDir, Path citiesDir, String cityName) throws Exception {
        Path sample = Path.of(base.get(LocalConfig.COMPLETE_JOURNEY_DIR)).toAbsolutePath().normalize();
        if (!Files.isRegularFile(sample.resolve(CompleteJourney.TRANSACTIONS))) {
            throw new IllegalArgumentException(LocalConfig.COMPLETE_JOURNEY_DIR.name() + ": no Complete Journey sample ("
                    + CompleteJourney.TRANSACTIONS + ") in " + sample);
        }
        Map<String, String> keys = CompleteJourneyDemo.participants(sample, LocalSettings.participantsFile(dataDir),
                dataDir.resolve("api-keys.json"));
        Settings settings = LocalSettings.forDataDir(base.with(CompleteJourneyDemo.settings()), dataDir, citiesDir, cityName);
        Running running = start(dataDir, settings);
        LocalSystem system = running.system();
        printAddresses(system, false);
        printKeysOf(null, keys, CompleteJourney.OPERATOR, CompleteJourney.PORTAL, CompleteJourneyDemo.EXAMPLE_STORES.get(1),
                dataDir.resolve("api-keys.json"), system.queryUrl());
        out("  Demo Complete Journey: " + sample + " (Daten von 2017; \"heute\" ist für den Abfragedienst der "
                + CompleteJourneyDemo.TODAY + ", Fragen werden einzeln beantwortet wie im Beispiel von docs/JOURNEY.md)");
        URI ingestion = URI.create(system.ingestion().baseUrl());
        if (!CompleteJourneyDemo.imported(dataDir)) {
            out("Die Märkte laden ihre Warengruppen-Zuordnung hoch ...");
            int stores = CompleteJourneyDemo.uploadMappingsAndAwaitThem(ingestion, keys, system.settings(), Duration.ofMinutes(5));
            out("Zuordnungen von " + stores + " Märkten sind im Profil-Job angekommen. Importiere die Einkäufe ...");
            ImportReport report = CompleteJourney.importAll(sample, ingestion, keys, citiesDir, 1000, Progress.forConsole());
            report.print(System.out, false);
            if (report.abortedBecause() != null) throw new IllegalStateException("import aborted: " + report.abortedBecause());
            CompleteJourneyDemo.markImported(dataDir, report.toJson() + "\n");
        }
        printWorkedExample(system, keys);
        running.stopped().await();
    }

    /** The question of docs/JOURNEY.md's worked example, ready to paste (figures settle within a few minutes). */
    private static void printWorkedExample(LocalSystem system, Map<String, String> keys) {
        String stores = CompleteJourneyDemo.EXAMPLE_STORES.stream().map(s -> "\"" + s + "\"")
                .collect(java.util.stream.Collectors.joining(","));
        out("");
        out("  Beispiel aus docs/JOURNEY.md (Stadtmarketing: gemeinsame Kundschaft der großen Märkte 2017):");
        out("    curl -s -H 'Authorization: Bearer " + keys.get(CompleteJourney.OPERATOR) + "' -H 'Content-Type: application/json' \\");
        out("         -d '{\"period\":{\"year\":2017},\"participants\":[" + stores + "]}' "
                + system.queryUrl() + "/api/v1/journey/cross-shopping");
        out("  (die Zahlen stehen fest, sobald der Profil-Job alle Einkäufe verarbeitet hat: wenige Minuten nach dem Import)");
        out("");
    }

    private static void feed(CityFeed feed, SimCity city, Settings settings, Path dataDir, int rate) {
        if (!feed.historyFed()) {
            out("Händler ordnen ihre Warengruppen der Kategorien der Stadt zu: "
                    + feed.uploadProductGroupMappings() + " Zuordnungen.");
            out("Lade die Geschichte von " + city.city().name() + " (" + settings.get(LocalConfig.RESIDENTS)
                    + " Einwohner, " + CityFeed.HISTORY.toDays() + " Tage) über die HTTP-Ingestion ...");
            DemoResidents demo = new DemoResidents();
            LiveLoad.Report history = feed.feedHistory(Instant.now(), demo);
            DemoResidents.save(dataDir, demo.chosen());
            out("Geschichte geladen: " + history.describe());
        }
        if (rate > 0) {
            Thread live = new Thread(() -> out("Live-Feed von " + city.city().name() + " beendet: "
                    + feed.feedLive(Instant.now(), rate, Duration.ofDays(365)).describe()), "live-feed-" + city.city().name());
            live.setDaemon(true);
            live.start();
            out("Live-Feed von " + city.city().name() + ": " + rate + " Ereignisse/s. Strg-C beendet alles.");
        }
    }

    static Map<String, String> apiKeys(SimCity city, String cityName, Path dataDir) {
        Path keysFile = dataDir.resolve("api-keys.json");
        if (Files.exists(keysFile)) return ParticipantsFile.readKeys(keysFile);
        return ParticipantsFile.write(city.participants().all(), cityName, LocalSettings.participantsFile(dataDir),
                keysFile, new SecureRandom());
    }

    private static void printAddresses(LocalSystem system, boolean demoPortal) {
        out("");
        out("  Dashboards  " + system.queryUrl() + "/ui/   (Anmeldung mit einem API-Schlüssel unten)");
        out("  Datenschutz " + system.residentUrl() + "/privacy-centre/#token=<vom Portal signiertes Token>"
                + (demoPortal ? "   (Demo-Portal zum Anmelden: sobald die Stadt geladen ist, siehe unten)" : ""));
        out("  Ingestion   " + system.ingestion().baseUrl() + "/api/v1/events");
        out("  Abfragen    " + system.queryUrl() + "/api/v1/audiences/size   (OpenAPI: " + system.queryUrl() + "/api/v1/openapi.yaml)");
        out("  Einwohner   " + system.residentUrl() + "/api/v1/me   (Token des Portals, OpenAPI: " + system.residentUrl() + "/api/v1/me/openapi.yaml)");
        out("  Flink UI    " + system.flink().restUrl());
        out("  Pinot       http://" + system.pinot().controllerHostPort() + " (Controller), broker " + system.pinot().brokerHostPort());
        out("  Kafka       " + system.kafka().bootstrapServers());
    }

    private static void printKeys(ServedCity c, String queryUrl) {
        printKeysOf(c.city().city().name(), c.apiKeys(), c.operator(), c.portal(), firstMerchant(c.apiKeys(), c.operator(), c.portal()),
                c.dir().toAbsolutePath().resolve("api-keys.json"), queryUrl);
    }

    private static void printKeysOf(String cityName, Map<String, String> apiKeys, String operator, String portal,
                                    String merchant, Path keysFile, String queryUrl) {
        out("");
        out("  Demo-API-Schlüssel" + (cityName == null ? "" : " von " + cityName) + " (alle in " + keysFile + "):");
        out("    Händler  " + merchant + ": " + apiKeys.get(merchant));
        out("    Betreiber " + operator + ": " + apiKeys.get(operator));
        out("    Portal   " + portal + ": " + apiKeys.get(portal));
        out("");
        out("  Beispiel:");
        out("    curl -s -H 'Authorization: Bearer " + apiKeys.get(merchant) + "' -H 'Content-Type: application/json' \\");
        out("         -d '{\"filter\":{\"ageFrom\":25,\"ageTo\":49},\"breakdown\":\"district\"}' " + queryUrl + "/api/v1/audiences/size");
        out("");
    }

    /** The demo portal: where a newcomer signs in as a resident and reaches the privacy centre. */
    private static void printDemoPortal(LocalSystem system, ServedCity city, List<String> residents) throws Exception {
        String portal = system.startDemoPortal(residents, city.apiKeys().get(city.portal()));
        out("");
        out("  Demo-Portal " + portal + "   (Anmeldung als Demo-Einwohner: "
                + (residents.isEmpty() ? "keine gefunden" : String.join(", ", residents)) + ")");
        out("              öffnet das Datenschutz-Center mit einem frisch signierten Token (nur im lokalen Modus);");
        out("              Postfach " + portal + "postfach/<Einwohner>: die Angebote der Kampagnen aus portal-outbox");
        printDemoTokens(system, city, residents);
    }

    /** Tokens of a city's demo residents (the demo portal signs in to the first city only). */
    private static void printDemoTokens(LocalSystem system, ServedCity city, List<String> residents) {
        PortalTokens tokens = system.demoTokens(city.name());
        List<String> shown = residents.subList(0, Math.min(3, residents.size()));
        if (!shown.isEmpty()) {
            out("  Demo-Token von " + city.city().city().name() + " (gültig " + tokens.lifetime().toMinutes()
                    + " Minuten; neue gibt das Demo-Portal):");
            for (String resident : shown) out("    " + resident + ": " + tokens.tokenFor(resident));
            out("  Datenschutz-Center als " + shown.get(0) + ": " + system.residentUrl() + "/privacy-centre/#token="
                    + tokens.tokenFor(shown.get(0)));
        }
        out("");
    }

    private static String firstMerchant(Map<String, String> keys, String operator, String portal) {
        return keys.keySet().stream().filter(k -> !k.equals(portal) && !k.equals(operator)).findFirst().orElseThrow();
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

    /** Command-line options: --fresh, --city NAME[,NAME], --residents N, --rate R, --seed S, --demo complete-journey. */
    static final class LocalArguments {
        private LocalArguments() {}

        static boolean fresh(String[] args) {
            return java.util.Arrays.asList(args).contains("--fresh");
        }

        /** The demo named by {@code --demo}, or null; only {@value CompleteJourneyDemo#NAME} exists. */
        static String demo(String[] args) {
            List<String> list = java.util.Arrays.asList(args);
            int i = list.indexOf("--demo");
            if (i < 0) return null;
            String name = value(args, i + 1);
            if (!CompleteJourneyDemo.NAME.equals(name)) {
                throw new IllegalArgumentException("--demo: unknown demo '" + name + "' (known: " + CompleteJourneyDemo.NAME + ")");
            }
            return name;
        }

        static Map<String, String> parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--fresh" -> { }
                    case "--city" -> values.put(LocalConfig.CITY.name(), city(value(args, ++i)));
                    case "--residents" -> values.put(LocalConfig.RESIDENTS.name(), value(args, ++i));
                    case "--rate" -> values.put(LocalConfig.LIVE_RATE.name(), value(args, ++i));
                    case "--seed" -> values.put(LocalConfig.SEED.name(), value(args, ++i));
                    case "--demo" -> i++; // read by demo()
                    default -> throw new IllegalArgumentException("unknown option '" + args[i]
                            + "' (known: --fresh, --city NAME[,NAME], --residents N, --rate EVENTS_PER_SECOND, --seed S, --demo "
                            + CompleteJourneyDemo.NAME + ")");
                }
            }
            return values;
        }

        /**
         * A city is a directory name under cities/ (several separated by commas): checked here so that a typo cannot
         * name a path elsewhere.
         */
        static String city(String names) {
            for (String name : names.split(",", -1)) {
                if (!name.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
                    throw new IllegalArgumentException("--city: '" + name + "' is not a city name (a directory under cities/:"
                            + " lower-case letters, digits, '-' and '_', e.g. jena or musterstadt,jena)");
                }
            }
            return names;
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) throw new IllegalArgumentException("option '" + args[i - 1] + "' needs a value");
            return args[i];
        }
    }
}
