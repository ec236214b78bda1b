package de.prokommun.insights.ingestion;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.ConfigException;
import de.prokommun.insights.ingestion.dedupe.CityRetention;
import de.prokommun.insights.ingestion.dedupe.RecentEventIds;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.ingestion.audit.KafkaRefusalSink;
import de.prokommun.insights.ingestion.audit.RefusalSink;
import de.prokommun.insights.ingestion.publish.EventPublisher;
import de.prokommun.insights.ingestion.publish.KafkaEventPublisher;
import de.prokommun.insights.participants.ParticipantDirectory;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A deployed ingestion endpoint: where it listens, its metrics, and how to stop it. */
public final class IngestionServer {

    private static final Logger LOG = LoggerFactory.getLogger(IngestionServer.class);

    private final Vertx vertx;
    private final String deploymentId;
    private final String host;
    private final int port;
    private final IngestionMetrics metrics;
    private final EventPublisher publisher;
    private final RefusalSink refusals;

    private IngestionServer(Vertx vertx, String deploymentId, String host, int port, IngestionMetrics metrics,
                            EventPublisher publisher, RefusalSink refusals) {
        this.refusals = refusals;
        this.vertx = vertx;
        this.deploymentId = deploymentId;
        this.host = host;
        this.port = port;
        this.metrics = metrics;
        this.publisher = publisher;
    }

    /**
     * Deploys the endpoint with a Kafka publisher (kafka.bootstrap.servers) and the participant directory
     * (participants.file) named in the settings.
     */
    public static Future<IngestionServer> deploy(Vertx vertx, Settings settings) {
        ParticipantDirectory directory;
        try {
            directory = ParticipantDirectory.load(Path.of(settings.get(IngestionConfig.PARTICIPANTS_FILE)));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return vertx.executeBlocking(() -> KafkaEventPublisher.create(vertx, settings))
                .compose(publisher -> deploy(vertx, settings, directory, publisher, Clock.systemUTC()));
    }

    /**
     * Deploys the endpoint with the given collaborators; the publisher is closed on {@link #undeploy()}.
     * {@code ingestion.instances} verticles share the port, each on its own event loop, so parsing and
     * validation use every core; they share one producer, whose batches then fill from all of them.
     */
    public static Future<IngestionServer> deploy(Vertx vertx, Settings settings, ParticipantDirectory directory,
                                                 EventPublisher publisher, Clock clock) {
        IngestionMetrics metrics = new IngestionMetrics();
        int instances = instances(settings);
        Settings listen;
        try {
            listen = settings.get(IngestionConfig.PORT) == 0 && instances > 1
                    ? settings.with(IngestionConfig.PORT, freePort(settings.get(IngestionConfig.HOST))) : settings;
        } catch (UncheckedIOException e) {
            return publisher.close().transform(ignored -> Future.failedFuture(e));
        }
        List<IngestionVerticle> verticles = new CopyOnWriteArrayList<>();
        int remembered = settings.get(IngestionConfig.RECENT_EVENT_IDS);
        if (remembered < 0) {
            return publisher.close().transform(ignored -> Future.failedFuture(new ConfigException(
                    IngestionConfig.RECENT_EVENT_IDS.name(), "must be 0 or more, got " + remembered)));
        }
        RecentEventIds recentIds = new RecentEventIds(remembered);
        CityRetention retention = settings.get(IngestionConfig.RETENTION_ENFORCED)
                ? new CityRetention(Path.of(settings.get(CommonConfig.CITIES_DIR))) : CityRetention.NONE;
        RefusalSink refusals = refusalSink(settings);
        Supplier<IngestionVerticle> instance = () -> {
            IngestionVerticle v = new IngestionVerticle(listen, directory, publisher, metrics, clock, recentIds, retention,
                    refusals);
            verticles.add(v);
            return v;
        };
        return vertx.deployVerticle(instance, new DeploymentOptions().setInstances(instances))
                .map(id -> new IngestionServer(vertx, id, settings.get(IngestionConfig.HOST),
                        verticles.get(0).actualPort(), metrics, publisher, refusals))
                .recover(failure -> {
                    refusals.close();
                    return publisher.close().transform(ignored -> Future.failedFuture(failure));
                });
    }

    /** The topic ingestion-refusals where Kafka is configured and the audit is on; nowhere otherwise. */
    static RefusalSink refusalSink(Settings settings) {
        if (!settings.get(IngestionConfig.AUDIT_REFUSALS) || !settings.isSet(CommonConfig.KAFKA_BOOTSTRAP)) {
            LOG.warn("refused requests are not written to the operator's audit ({} off or {} unset)",
                    IngestionConfig.AUDIT_REFUSALS.name(), CommonConfig.KAFKA_BOOTSTRAP.name());
            return RefusalSink.NONE;
        }
        return KafkaRefusalSink.create(settings);
    }

    /**
     * Vert.x binds port 0 once per instance (each its own port), and its negative "shared random port"
     * is shared with every other server of the Vert.x instance: several instances need one concrete port.
     */
    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
        }
    }

    static int instances(Settings settings) {
        int configured = settings.get(IngestionConfig.INSTANCES);
        if (configured < 0) {
            throw new ConfigException(IngestionConfig.INSTANCES.name(), "must be 0 (one per core) or more, got " + configured);
        }
        return configured == 0 ? Math.max(1, Runtime.getRuntime().availableProcessors()) : configured;
    }

    public String host() { return host; }

    /** The port actually bound. */
    public int port() { return port; }

    /** {@code http://host:port}. */
    public String baseUrl() { return "http://" + host + ":" + port; }

    public IngestionMetrics metrics() { return metrics; }

    /** Stops accepting requests, then flushes and closes the publisher. */
    public Future<Void> undeploy() {
        return vertx.undeploy(deploymentId).eventually(publisher::close).eventually(() -> vertx.executeBlocking(() -> {
            refusals.close();
            return null;
        }));
    }

    /** Standalone: settings from the properties file given as first argument, else from the environment. */
    public static void main(String[] args) throws InterruptedException {
        Settings settings = args.length > 0 ? Settings.fromFile(Path.of(args[0])) : Settings.fromEnvironment();
        LOG.info("Ingestion settings:\n{}", settings.describe(IngestionConfig.all()));
        Vertx vertx = Vertx.vertx();
        IngestionServer server;
        try {
            server = deploy(vertx, settings).await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.error("Ingestion failed to start", e);
            vertx.close();
            System.exit(1);
            return;
        }
        LOG.info("Ingestion ready at {}", server.baseUrl());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.undeploy().eventually(vertx::close).onComplete(ar -> stopped.countDown());
            try {
                stopped.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ingestion-shutdown"));
    }
}
