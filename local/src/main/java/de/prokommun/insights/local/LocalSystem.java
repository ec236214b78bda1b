package de.prokommun.insights.local;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.flink.runtime.LocalFlink;
import de.prokommun.insights.ingestion.IngestionConfig;
import de.prokommun.insights.ingestion.IngestionServer;
import de.prokommun.insights.local.demo.DemoPortalVerticle;
import de.prokommun.insights.local.demo.OpenedReport;
import de.prokommun.insights.local.demo.PortalInbox;
import de.prokommun.insights.local.demo.PortalOutboxReader;
import de.prokommun.insights.local.demo.PortalTokens;
import de.prokommun.insights.query.QueryConfig;
import de.prokommun.insights.query.QueryServer;
import de.prokommun.insights.resident.ResidentConfig;
import de.prokommun.insights.testkit.EmbeddedKafka;
import de.prokommun.insights.testkit.PinotCluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline in one process tree: embedded Kafka, Pinot (child JVM), both Flink jobs on a
 * MiniCluster, ingestion and query service. Used by {@link LocalMain}, the end-to-end test and the
 * benchmarks. Everything it starts is stopped by {@link #close()} in reverse order.
 */
public final class LocalSystem implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalSystem.class);
    private static final Duration SERVICE_START = Duration.ofSeconds(60);

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private Settings settings;
    private EmbeddedKafka kafka;
    private PinotCluster pinot;
    private LocalFlink flink;
    private IngestionServer ingestion;
    private String queryUrl;

    private Path dataDir;
    private Vertx vertx;

    private LocalSystem() {}

    /**
     * Starts every component with data in {@code dataDir}; a second start on the same directory reuses
     * ports, secrets, Kafka logs, Pinot segments and the latest Flink checkpoint. {@code settings} must
     * name the participants file; secrets not set there are generated into the data directory.
     */
    public static LocalSystem start(Path dataDir, Settings settings, int partitions) throws Exception {
        LocalSystem system = new LocalSystem();
        try {
            system.startAll(dataDir, settings, partitions);
            return system;
        } catch (Exception | Error e) {
            system.close();
            throw e;
        }
    }

    private void startAll(Path dataDir, Settings base, int partitions) throws Exception {
        this.dataDir = dataDir;
        Files.createDirectories(dataDir);
        LocalPorts ports = LocalPorts.in(dataDir);
        settings = base.with(secretsFor(dataDir, base));

        kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), ports.port("kafka.broker"), ports.port("kafka.controller"));
        running.push(kafka);
        settings = settings.with(CommonConfig.KAFKA_BOOTSTRAP, kafka.bootstrapServers());
        kafka.createTopics(settings, partitions);
        LOG.info("Kafka up at {}", kafka.bootstrapServers());

        pinot = PinotCluster.start(dataDir.resolve("pinot"), kafka.bootstrapServers(), settings, pinotPorts(ports));
        running.push(pinot);
        settings = settings.with(Map.of(CommonConfig.PINOT_BROKER.name(), pinot.brokerHostPort(),
                CommonConfig.PINOT_CONTROLLER.name(), pinot.controllerHostPort()));
        LOG.info("Pinot up: controller {}, broker {}", pinot.controllerHostPort(), pinot.brokerHostPort());

        flink = LocalFlink.start(settings, dataDir.resolve("flink"));
        running.push(flink);
        LOG.info("Flink jobs running, web UI {}", flink.restUrl());

        vertx = Vertx.vertx();
        running.push(() -> await(vertx.close()));
        // the streaming-health probe scrapes /metrics without a key; local mode listens on loopback only (issue 15)
        Settings ingestionSettings = settings.with(IngestionConfig.PORT, ports.port("ingestion.http"));
        if (!settings.isSet(IngestionConfig.METRICS_OPEN)) ingestionSettings = ingestionSettings.with(IngestionConfig.METRICS_OPEN, true);
        ingestion = await(IngestionServer.deploy(vertx, ingestionSettings));
        running.push(() -> await(ingestion.undeploy()));
        Settings querySettings = LocalSettings.forQueryService(settings, dataDir).with(Map.of(QueryConfig.PORT.name(), Integer.toString(ports.port("query.http")),
                de.prokommun.insights.query.health.HealthConfig.INGESTION_METRICS_URL.name(), ingestion.baseUrl() + "/metrics",
                de.prokommun.insights.query.health.HealthConfig.FLINK_REST_URL.name(), flink.restUrl().toString()));
        int queryPort = await(QueryServer.deploy(vertx, querySettings));
        queryUrl = "http://" + settings.get(QueryConfig.HOST) + ":" + queryPort;
        int residentPort = await(de.prokommun.insights.resident.ResidentServer.deploy(vertx, settings.with(Map.of(
                de.prokommun.insights.resident.ResidentConfig.PORT.name(), Integer.toString(ports.port("resident.http")),
                de.prokommun.insights.resident.ResidentConfig.AUDIT_LOG.name(), settings.get(QueryConfig.AUDIT_LOG),
                de.prokommun.insights.resident.ResidentConfig.JWT_KEY.name(), residentJwtKey(dataDir)))));
        residentUrl = "http://" + settings.get(de.prokommun.insights.resident.ResidentConfig.HOST) + ":" + residentPort;
        LOG.info("ingestion {} and query service {} up", ingestion.baseUrl(), queryUrl);
    }

    /** Signs resident tokens as the city's portal would (local mode only), valid for the resident API's longest lifetime. */
    public PortalTokens demoTokens() {
        return demoTokens(LocalSettings.firstCity(settings));
    }

    /** Signs tokens of one of the cities served. */
    public PortalTokens demoTokens(String city) {
        return new PortalTokens(vertx, residentJwtKey(dataDir), city,
                settings.get(ResidentConfig.JWT_ISSUER), settings.get(ResidentConfig.JWT_MAX_LIFETIME), Clock.systemUTC());
    }

    /** The key the resident API verifies the portal's tokens with: the configured one, else the local secret. */
    private String residentJwtKey(Path dataDir) {
        return settings.isSet(ResidentConfig.JWT_KEY) ? settings.get(ResidentConfig.JWT_KEY)
                : LocalSecrets.in(dataDir).secret("resident.jwt");
    }

    /**
     * Starts the demo portal for these residents (local mode only: it signs tokens with the resident API's key, as
     * the city portal would) and returns its URL.
     */
    public String startDemoPortal(List<String> residents) throws Exception {
        String host = settings.get(ResidentConfig.HOST);
        return startDemoPortal(new DemoPortalVerticle(demoTokens(), residents, residentUrl, host,
                LocalPorts.in(dataDir).port("demo.portal.http")));
    }

    /**
     * As above with the residents' inbox: offers read from portal-outbox, an opened one reported to ingestion as
     * {@code campaign.opened} with the portal's API key.
     */
    public String startDemoPortal(List<String> residents, String portalApiKey) throws Exception {
        String city = LocalSettings.firstCity(settings);
        PortalInbox inbox = new PortalInbox(city, residents);
        running.push(new PortalOutboxReader(kafka.bootstrapServers(), settings, inbox));
        String host = settings.get(ResidentConfig.HOST);
        return startDemoPortal(new DemoPortalVerticle(demoTokens(), residents, inbox,
                OpenedReport.toIngestion(ingestion.baseUrl(), portalApiKey, Clock.systemUTC()),
                residentUrl, host, LocalPorts.in(dataDir).port("demo.portal.http")));
    }

    private String startDemoPortal(DemoPortalVerticle portal) throws Exception {
        String host = settings.get(ResidentConfig.HOST);
        await(vertx.deployVerticle(portal));
        return "http://" + host + ":" + portal.actualPort() + "/";
    }

    private static PinotCluster.Ports pinotPorts(LocalPorts ports) {
        return new PinotCluster.Ports(ports.port("pinot.zookeeper"), ports.port("pinot.controller"),
                ports.port("pinot.broker"), ports.port("pinot.server.netty"), ports.port("pinot.server.admin"),
                ports.port("pinot.server.grpc"));
    }

    /** Secrets the caller did not set are generated once and kept in the data directory. */
    public static Map<String, String> secretsFor(Path dataDir, Settings base) {
        LocalSecrets secrets = LocalSecrets.in(dataDir);
        Map<String, String> generated = new HashMap<>();
        if (!base.isSet(de.prokommun.insights.flink.FlinkJobsConfig.CITY_SECRETS)) {
            List<String> entries = new ArrayList<>();
            for (String city : LocalSettings.cities(base)) entries.add(city + ":" + secrets.secret("pseudonym." + city));
            generated.put(de.prokommun.insights.flink.FlinkJobsConfig.CITY_SECRETS.name(), String.join(",", entries));
        }
        if (!base.isSet(QueryConfig.PRF_KEY)) {
            generated.put(QueryConfig.PRF_KEY.name(), secrets.secret("noise.prf"));
        }
        return generated;
    }

    public Settings settings() { return settings; }
    public EmbeddedKafka kafka() { return kafka; }
    public PinotCluster pinot() { return pinot; }
    public LocalFlink flink() { return flink; }
    public IngestionServer ingestion() { return ingestion; }
    /** {@code http://host:port} of the query service. */
    public String queryUrl() { return queryUrl; }
    private String residentUrl;
    /** {@code http://host:port} of the resident API (its JWT key is resident.jwt in the data directory's secrets). */
    public String residentUrl() { return residentUrl; }

    @Override
    public void close() {
        while (!running.isEmpty()) {
            AutoCloseable next = running.pop();
            try {
                next.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", next, e.toString());
            }
        }
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(SERVICE_START.toSeconds(), TimeUnit.SECONDS);
    }
}
