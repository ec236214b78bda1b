package de.prokommun.insights.resident;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.ConfigException;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.resident.api.ResidentVerticle;
import de.prokommun.insights.resident.auth.ErasureFeed;
import de.prokommun.insights.resident.auth.ErasureRegister;
import de.prokommun.insights.resident.auth.ResidentPseudonym;
import de.prokommun.insights.resident.auth.TokenVerifier;
import de.prokommun.insights.resident.changes.ChangeRequests;
import de.prokommun.insights.resident.changes.PortalEvents;
import de.prokommun.insights.resident.changes.RawEventPublisher;
import de.prokommun.insights.resident.data.AuditTrail;
import de.prokommun.insights.resident.data.CityFiles;
import de.prokommun.insights.resident.data.PersonStore;
import de.prokommun.insights.resident.personas.PersonaExplainer;
import de.prokommun.insights.resident.personas.PersonaRules;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the resident API from configuration: in-process for the local mode, or on its own via {@link #main}. */
public final class ResidentServer {

    private static final Logger LOG = LoggerFactory.getLogger(ResidentServer.class);

    private ResidentServer() {}

    /** Deploys the resident API into the given Vert.x and completes with the port it listens on. */
    public static Future<Integer> deploy(Vertx vertx, Settings settings) {
        ResidentVerticle verticle;
        try {
            verticle = create(settings, Clock.systemUTC());
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return vertx.deployVerticle(verticle).map(id -> {
            LOG.info("Resident API listening on {}:{}", settings.get(ResidentConfig.HOST), verticle.actualPort());
            return verticle.actualPort();
        });
    }

    /** The verticle with every dependency built from the settings (not yet deployed). */
    public static ResidentVerticle create(Settings settings, Clock clock) {
        LOG.info("Resident API configuration:\n{}", settings.describe(ResidentConfig.all()));
        String jwtKey = settings.get(ResidentConfig.JWT_KEY);
        try {
            TokenVerifier.options(jwtKey);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ResidentConfig.JWT_KEY.name(), e.getMessage());
        }
        ResidentPseudonym pseudonyms;
        try {
            pseudonyms = ResidentPseudonym.parse(settings.get(ResidentConfig.CITY_SECRETS));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ResidentConfig.CITY_SECRETS.name(), e.getMessage());
        }
        // one reading of the city files (through the city module) for the districts, zones and persona rules
        CityFiles cityFiles = new CityFiles(Path.of(settings.get(ResidentConfig.CITIES_DIR)));
        settings.get(CommonConfig.KAFKA_BOOTSTRAP); // fail at start, not at the first change
        PersonStore store = PersonStore.connect(settings.get(CommonConfig.PINOT_BROKER),
                settings.get(ResidentConfig.PINOT_TIMEOUT), settings.get(ResidentConfig.MAX_RECORDS));
        var erasures = new ErasureRegister(settings.get(ResidentConfig.JWT_MAX_LIFETIME),
                settings.get(ResidentConfig.MAX_REMEMBERED_ERASURES), clock);
        var deps = new ResidentVerticle.Dependencies(jwtKey, settings.get(ResidentConfig.JWT_ISSUER), pseudonyms, store,
                new PersonaExplainer(new PersonaRules(cityFiles)), new AuditTrail(Path.of(settings.get(ResidentConfig.AUDIT_LOG))),
                cityFiles, new PortalEvents(settings.get(ResidentConfig.PORTAL_PARTICIPANT), clock),
                new ChangeRequests(settings.get(ResidentConfig.MAX_PENDING_REQUESTS)),
                erasures, settings.get(ResidentConfig.ERASURES_MAX_WAIT), clock);
        var listen = new ResidentVerticle.Listen(settings.get(ResidentConfig.HOST), settings.get(ResidentConfig.PORT),
                settings.get(ResidentConfig.MAX_BODY_BYTES));
        java.util.function.Consumer<de.prokommun.insights.events.IngestionRefusal> refusals =
                settings.get(ResidentConfig.AUDIT_REFUSALS)
                        ? de.prokommun.insights.http.RefusalTopicWriter.create(settings, "prokommun-resident-refusals") : refusal -> { };
        return new ResidentVerticle(deps, vertx -> RawEventPublisher.create(vertx, settings,
                settings.get(ResidentConfig.KAFKA_TIMEOUT)), () -> ErasureFeed.start(settings, erasures, clock), listen,
                refusals);
    }

    public static void main(String[] args) throws InterruptedException {
        Settings settings = args.length > 0 ? Settings.fromFile(Path.of(args[0])) : Settings.fromEnvironment();
        Vertx vertx = Vertx.vertx();
        CountDownLatch stopped = new CountDownLatch(1);
        deploy(vertx, settings).onFailure(e -> {
            LOG.error("resident API failed to start", e);
            vertx.close().onComplete(x -> System.exit(1));
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            vertx.close().toCompletionStage().toCompletableFuture().join();
            stopped.countDown();
        }, "resident-api-stop"));
        stopped.await();
    }
}
