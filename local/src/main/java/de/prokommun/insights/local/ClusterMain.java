package de.prokommun.insights.local;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.local.cluster.ClusterClasspath;
import de.prokommun.insights.local.cluster.ClusterLayout;
import de.prokommun.insights.local.cluster.ClusterSystem;
import de.prokommun.insights.local.demo.DemoResidents;
import de.prokommun.insights.simulator.SimCity;
import de.prokommun.insights.simulator.emit.LiveLoad;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./run-cluster}: the system as a multi-process cluster on this machine ({@link ClusterSystem}), with the same
 * options and the same synthetic city as {@code ./run-local}. Prints every node (role, pid, port, log) and the
 * addresses; Ctrl-C stops every node. The city's history goes through the first ingestion instance and the live
 * feed through the second: both write to the same topics, as instances behind one address would.
 */
public final class ClusterMain {
    private ClusterMain() {}

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) {
            System.err.println("proKommun Insights (Cluster) konnte nicht starten: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        if (LocalMain.LocalArguments.demo(args) != null) {
            throw new IllegalArgumentException("--demo: only ./run-local runs the demos");
        }
        Settings settings = Settings.fromEnvironment().with(LocalMain.LocalArguments.parse(args));
        if (!settings.isSet(LocalConfig.DATA_DIR)) {
            settings = settings.with(LocalConfig.DATA_DIR, ".cluster" + suffix(settings.get(LocalConfig.CITY)));
        }
        Path dataDir = Path.of(settings.get(LocalConfig.DATA_DIR)).toAbsolutePath();
        if (LocalMain.LocalArguments.fresh(args)) LocalMain.deleteRecursively(dataDir);
        Files.createDirectories(dataDir);
        System.setProperty("local.log.file", dataDir.resolve("cluster.log").toString());

        String cityName = settings.get(LocalConfig.CITY);
        Path citiesDir = LocalSettings.citiesDir(settings);
        SimCity city = SimCity.load(LocalSettings.cityDir(citiesDir, cityName));
        Map<String, String> apiKeys = LocalMain.apiKeys(city, cityName, dataDir);
        settings = LocalSettings.forDataDir(settings, dataDir, citiesDir, cityName);

        long started = System.nanoTime();
        out("Starte proKommun Insights als Cluster in " + dataDir + " (jeder Knoten ein eigener Prozess) ...");
        ClusterSystem cluster = ClusterSystem.start(dataDir, settings, ClusterLayout.standard(dataDir), ClusterClasspath.ofBuild());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out("Stoppe alle Knoten ...");
            cluster.close();
            stopped.countDown();
        }, "cluster-shutdown"));
        out(String.format("Alle Knoten laufen (%.0f s):", (System.nanoTime() - started) / 1e9));
        cluster.describe().forEach(ClusterMain::out);
        printAddresses(cluster, apiKeys, city);

        List<String> ingestions = cluster.ingestionUrls();
        long seed = settings.get(LocalConfig.SEED);
        int residents = settings.get(LocalConfig.RESIDENTS);
        CityFeed history = new CityFeed(city, apiKeys, URI.create(ingestions.get(0)), seed, residents, dataDir);
        CityFeed live = new CityFeed(city, apiKeys, URI.create(ingestions.get(ingestions.size() - 1)), seed, residents, dataDir);
        if (!history.historyFed()) {
            out("Händler ordnen ihre Warengruppen zu: " + history.uploadProductGroupMappings() + " Zuordnungen.");
            out("Lade die Geschichte von " + city.city().name() + " (" + residents + " Einwohner) über " + ingestions.get(0) + " ...");
            DemoResidents demo = new DemoResidents();
            LiveLoad.Report report = history.feedHistory(Instant.now(), demo);
            DemoResidents.save(dataDir, demo.chosen());
            out("Geschichte geladen: " + report.describe());
        }
        int rate = settings.get(LocalConfig.LIVE_RATE);
        if (rate > 0) {
            Thread feed = new Thread(() -> out("Live-Feed beendet: "
                    + live.feedLive(Instant.now(), rate, Duration.ofDays(365)).describe()), "live-feed");
            feed.setDaemon(true);
            feed.start();
            out("Live-Feed: " + rate + " Ereignisse/s über " + ingestions.get(ingestions.size() - 1) + ". Strg-C beendet alles.");
        }
        superviseUntil(cluster, stopped);
    }

    /** Every few seconds: a node that ended is started again and the console says so. */
    private static void superviseUntil(ClusterSystem cluster, CountDownLatch stopped) throws InterruptedException {
        while (!stopped.await(5, java.util.concurrent.TimeUnit.SECONDS)) {
            for (String role : cluster.restartEnded()) out("Knoten " + role + " war beendet und wurde neu gestartet.");
        }
    }

    private static String suffix(String city) {
        return city.equals(LocalConfig.CITY.defaultValue()) ? "" : "-" + city;
    }

    private static void printAddresses(ClusterSystem cluster, Map<String, String> apiKeys, SimCity city) {
        String operator = city.participants().operator().id();
        out("");
        out("  Dashboards  " + cluster.queryUrl() + "/ui/   (Anmeldung mit einem API-Schlüssel aus "
                + cluster.dataDir().resolve("api-keys.json") + ")");
        out("  Ingestion   " + String.join(" und ", cluster.ingestionUrls().stream().map(u -> u + "/api/v1/events").toList()));
        out("  Abfragen    " + cluster.queryUrl() + "/api/v1/audiences/size");
        out("  Einwohner   " + cluster.residentUrl() + "/api/v1/me");
        out("  Flink UI    " + cluster.flinkRestUrl());
        out("  Kafka       " + cluster.kafkaBootstrap());
        out("  Betreiber " + operator + ": " + apiKeys.get(operator));
        out("");
    }

    private static void out(String line) {
        System.out.println(line);
    }
}
