package de.prokommun.insights.ingestion;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.ingestion.publish.EventPublisher;
import de.prokommun.insights.ingestion.publish.KafkaEventPublisher;
import de.prokommun.insights.participants.ParticipantDirectory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
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

    private IngestionServer(Vertx vertx, String deploymentId, String host, int port, IngestionMetrics metrics,
                            EventPublisher publisher) {
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

    /** Deploys the endpoint with the given collaborators; the publisher is closed on {@link #undeploy()}. */
    public static Future<IngestionServer> deploy(Vertx vertx, Settings settings, ParticipantDirectory directory,
                                                 EventPublisher publisher, Clock clock) {
        IngestionMetrics metrics = new IngestionMetrics();
        IngestionVerticle verticle = new IngestionVerticle(settings, directory, publisher, metrics, clock);
        return vertx.deployVerticle(verticle)
                .map(id -> new IngestionServer(vertx, id, settings.get(IngestionConfig.HOST), verticle.actualPort(),
                        metrics, publisher))
                .recover(failure -> publisher.close().transform(ignored -> Future.failedFuture(failure)));
    }

    public String host() { return host; }

    /** The port actually bound. */
    public int port() { return port; }

    /** {@code http://host:port}. */
    public String baseUrl() { return "http://" + host + ":" + port; }

    public IngestionMetrics metrics() { return metrics; }

    /** Stops accepting requests, then flushes and closes the publisher. */
    public Future<Void> undeploy() {
        return vertx.undeploy(deploymentId).eventually(publisher::close);
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
