package de.prokommun.insights.query;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topic;
import de.prokommun.insights.query.api.QueryVerticle;
import de.prokommun.insights.testkit.EmbeddedKafka;
import de.prokommun.insights.testkit.PinotCluster;
import de.prokommun.insights.testkit.PinotClusterConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the query-service ITs share: an embedded Kafka broker with the registry's topics and a real Pinot fed from
 * it ({@link #start}); a city directory with copies of the repository's city files ({@link #city}); and the query
 * service deployed over HTTP on that Pinot with the test's policy, participants and a fresh noise key
 * ({@link #serve}). {@link #close} stops everything in reverse order.
 */
final class QueryServiceTestBed implements AutoCloseable {

    private final Path dir;
    private final EmbeddedKafka kafka;
    private final PinotCluster pinot;
    private final Settings base = Settings.of(Map.of());
    private final byte[] prfKey = new byte[32];
    private Vertx vertx;
    private QueryVerticle verticle;
    private WebClient http;
    private Settings settings;

    private QueryServiceTestBed(Path dir, EmbeddedKafka kafka, PinotCluster pinot) {
        this.dir = dir;
        this.kafka = kafka;
        this.pinot = pinot;
        new SecureRandom().nextBytes(prfKey);
    }

    static QueryServiceTestBed start(Path dir) throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        try {
            kafka.createTopics(Settings.of(Map.of()), 1);
            return new QueryServiceTestBed(dir, kafka, PinotCluster.start(dir.resolve("pinot"), kafka.bootstrapServers(),
                    Settings.of(Map.of(PinotClusterConfig.JVM_OPTIONS.name(), PinotClusterConfig.CLIENT_COMPILER_ONLY))));
        } catch (Exception | Error e) {
            kafka.close();
            throw e;
        }
    }

    EmbeddedKafka kafka() { return kafka; }

    PinotCluster pinot() { return pinot; }

    /** Settings without any service key (topic names, defaults). */
    Settings base() { return base; }

    /** The noise key the service releases with, so a test can make the same releases independently. */
    byte[] prfKey() { return prfKey.clone(); }

    Path citiesDir() { return dir.resolve("cities"); }

    /** Where the service keeps each city's latest publication. */
    Path publicationDir() { return dir.resolve("query/publications"); }

    /** Waits (up to two minutes) until the service has written the city's first publication. */
    Path awaitPublication(String city) throws InterruptedException {
        Path file = publicationDir().resolve(city + ".json");
        for (long until = System.nanoTime() + Duration.ofMinutes(2).toNanos(); System.nanoTime() < until; Thread.sleep(200)) {
            if (Files.isRegularFile(file)) return file;
        }
        throw new AssertionError("no publication of " + city + " after 2 minutes in " + publicationDir());
    }

    /** Copies these files of the repository's {@code cities/<city>/} into the test's cities directory. */
    Path city(String city, String... files) throws Exception {
        Path target = Files.createDirectories(citiesDir().resolve(city));
        for (String f : files) Files.copy(Path.of("..", "cities", city, f), target.resolve(f));
        return target;
    }

    /**
     * Deploys the query service (and, with {@code dashboards}, its live hub and health monitor, as QueryServer.deploy
     * does) on this Pinot; {@code more} adds or overrides settings.
     */
    WebClient serve(Path policyFile, Path participantsFile, Clock clock, boolean dashboards, PoolOptions pool,
                    Map<String, String> more) throws Exception {
        Map<String, String> s = new HashMap<>(Map.of(
                CommonConfig.PINOT_BROKER.name(), pinot.brokerHostPort(),
                QueryConfig.PARTICIPANTS_FILE.name(), participantsFile.toString(),
                QueryConfig.CITIES_DIR.name(), citiesDir().toString(),
                QueryConfig.PRIVACY_POLICY_FILE.name(), policyFile.toString(),
                QueryConfig.PRF_KEY.name(), Base64.getUrlEncoder().withoutPadding().encodeToString(prfKey),
                QueryConfig.AUDIT_LOG.name(), dir.resolve("query/audit.log").toString(),
                QueryConfig.BUDGET_LEDGER.name(), dir.resolve("query/ledger.log").toString(),
                QueryConfig.DATA_VERSION_PERIOD.name(), "PT1H"));
        s.put(QueryConfig.CITY_BUDGET.name(), dir.resolve("query/city-budget.log").toString());
        s.put(QueryConfig.PUBLICATION_DIR.name(), publicationDir().toString());
        // The per-question ITs ask with large ε that no city-wide cap could pay; PublicationIT enforces the cap.
        s.put(QueryConfig.CITY_BUDGET_ENFORCED.name(), "false");
        // The journey ITs compare ad-hoc journey answers with an independent release; PublicationIT switches the
        // journey publication (on by default) on again.
        s.put(QueryConfig.JOURNEY_PUBLICATION_ENABLED.name(), "false");
        // The fixtures' profiles were last active on fixed days long ago: publish them at once.
        s.put(QueryConfig.PUBLICATION_MAX_WAIT.name(), "PT0S");
        s.putAll(more);
        settings = base.with(s);
        vertx = Vertx.vertx();
        verticle = QueryServer.create(settings, clock);
        vertx.deployVerticle(verticle).await();
        if (dashboards) {
            de.prokommun.insights.query.web.DashboardSupport.deploy(vertx, settings,
                    "http://127.0.0.1:" + verticle.actualPort()).await();
        }
        http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(verticle.actualPort()), pool);
        return http;
    }

    WebClient serve(Path policyFile, Path participantsFile) throws Exception {
        return serve(policyFile, participantsFile, Clock.systemUTC(), false, new PoolOptions(), Map.of());
    }

    Settings settings() { return settings; }

    QueryVerticle verticle() { return verticle; }

    /** Writes the records in one Kafka transaction (as the Flink jobs' exactly-once sinks do). */
    <T> void writeCommitted(Topic<T> topic, List<T> records, Function<T, String> key) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "query-it-" + topic.name(base));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (T r : records) producer.send(new ProducerRecord<>(topic.name(base), key.apply(r), topic.codec().encode(r)));
            producer.commitTransaction();
        }
    }

    /** Waits (up to two minutes) until Pinot counts exactly {@code expected} rows in the table. */
    void awaitRows(String table, long expected) throws InterruptedException {
        long seen = -1;
        for (long until = System.nanoTime() + Duration.ofMinutes(2).toNanos(); System.nanoTime() < until; Thread.sleep(200)) {
            try {
                seen = pinot.queryCount("SELECT COUNT(*) FROM " + table);
            } catch (IllegalStateException consumingSegmentNotReady) {
                continue;
            }
            if (seen == expected) return;
        }
        throw new AssertionError(table + ": Pinot shows " + seen + " of " + expected + " rows; log " + pinot.logFile());
    }

    @Override
    public void close() {
        if (http != null) http.close();
        if (vertx != null) vertx.close().await();
        pinot.close();
        kafka.close();
    }
}
