package de.prokommun.insights.ingestion;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.http.StaticResources;
import de.prokommun.insights.ingestion.api.Refusals;
import de.prokommun.insights.ingestion.api.ApiKeyAuthHandler;
import de.prokommun.insights.ingestion.api.EventSubmissionHandler;
import de.prokommun.insights.ingestion.audit.RefusalReporter;
import de.prokommun.insights.ingestion.audit.RefusalSink;
import de.prokommun.insights.ingestion.dedupe.CityRetention;
import de.prokommun.insights.ingestion.dedupe.RecentEventIds;
import de.prokommun.insights.ingestion.events.EventParser;
import de.prokommun.insights.ingestion.publish.EventPublisher;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.validation.StrictText;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import de.prokommun.insights.validation.RequestPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP endpoint: accepts interaction events, health and metrics. */
public final class IngestionVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(IngestionVerticle.class);
    static final String EVENTS_PATH = "/api/v1/events";

    private final Settings settings;
    private final ParticipantDirectory directory;
    private final EventPublisher publisher;
    private final IngestionMetrics metrics;
    private final Clock clock;
    private final Refusals errors;
    private final RecentEventIds recentIds;
    private final CityRetention retention;
    private final RefusalSink refusals;
    private HttpServer server;

    /** {@code recentIds} and {@code retention} are shared by every instance of the deployment. */
    public IngestionVerticle(Settings settings, ParticipantDirectory directory, EventPublisher publisher,
                             IngestionMetrics metrics, Clock clock, RecentEventIds recentIds, CityRetention retention) {
        this(settings, directory, publisher, metrics, clock, recentIds, retention, RefusalSink.NONE);
    }

    /** {@code refusals} (shared too) receives every refused request for the operator's audit (issue 15). */
    public IngestionVerticle(Settings settings, ParticipantDirectory directory, EventPublisher publisher,
                             IngestionMetrics metrics, Clock clock, RecentEventIds recentIds, CityRetention retention,
                             RefusalSink refusals) {
        this.refusals = refusals;
        this.settings = settings;
        this.directory = directory;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
        this.errors = new Refusals(metrics);
        this.recentIds = recentIds;
        this.retention = retention;
    }

    @Override
    public Future<?> start() {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(settings.get(IngestionConfig.HOST))
                .setPort(settings.get(IngestionConfig.PORT));
        return vertx.createHttpServer(options)
                .requestHandler(routes())
                .listen()
                .onSuccess(s -> {
                    server = s;
                    LOG.info("Ingestion listening on http://{}:{}{}", options.getHost(), s.actualPort(), EVENTS_PATH);
                });
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    /** The port actually bound (the configured one, or the free port picked for 0). */
    public int actualPort() {
        if (server == null) throw new IllegalStateException("not started");
        return server.actualPort();
    }

    private Router routes() {
        Router router = Router.router(vertx);
        router.route().handler(this::timeRequest);
        // ahead of every route, so that every refusal (401 of a guessed key included) is reported
        router.route().handler(new RefusalReporter(directory, refusals, clock));
        router.route().handler(this::decodablePath); // before any route with a path is matched
        router.get("/health").handler(StaticResources::health);
        if (settings.get(IngestionConfig.METRICS_OPEN)) router.get("/metrics").handler(this::metrics);
        else router.get("/metrics").handler(ApiKeyAuthHandler.operatorsOnly(directory, errors)).handler(this::metrics);
        // Vert.x 5 requires the body handler ahead of every user handler; the limit bounds what anyone can upload
        router.post(EVENTS_PATH)
                .handler(BodyHandler.create(false).setBodyLimit(settings.get(IngestionConfig.MAX_BODY_BYTES)))
                .handler(new ApiKeyAuthHandler(directory, errors))
                .handler(this::requireJson)
                .handler(new EventSubmissionHandler(new EventParser(), publisher,
                        settings.get(IngestionConfig.RETRY_AFTER), errors, metrics,
                        settings.get(IngestionConfig.MAX_BATCH_EVENTS), clock, recentIds, retention));
        // product groups onto the city's taxonomy (issue 5): PUT mapping, POST mapping.csv, GET taxonomy
        new de.prokommun.insights.ingestion.mapping.ProductGroupMappingRoutes(vertx, settings, directory, errors, clock)
                .mount(router);

        router.errorHandler(404, ctx -> errors.reject(ctx, RejectionReason.NOT_FOUND,
                "no resource at " + ctx.request().path() + "; events go to POST " + EVENTS_PATH));
        router.errorHandler(405, ctx -> errors.reject(ctx, RejectionReason.METHOD_NOT_ALLOWED,
                ctx.request().method() + " is not allowed on " + ctx.request().path()));
        router.errorHandler(413, ctx -> errors.reject(ctx, RejectionReason.PAYLOAD_TOO_LARGE,
                "the request body exceeds " + settings.get(IngestionConfig.MAX_BODY_BYTES) + " bytes; split the batch",
                0, new JsonObject().put("accepted", 0)));
        router.errorHandler(500, this::internalError);
        return router;
    }

    /** A path routing cannot decode is the client's mistake: 400 naming it, not an ERROR in the log. */
    private void decodablePath(RoutingContext ctx) {
        String why = RequestPath.undecodable(ctx.request().path());
        if (why == null) ctx.next();
        else errors.reject(ctx, RejectionReason.MALFORMED_PATH, why);
    }

    private void timeRequest(RoutingContext ctx) {
        long start = System.nanoTime();
        ctx.addBodyEndHandler(v -> metrics.requestCompleted(System.nanoTime() - start));
        ctx.next();
    }

    private void requireJson(RoutingContext ctx) {
        String contentType = ctx.request().getHeader("Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim();
        if (!mediaType.equalsIgnoreCase("application/json")) {
            ctx.response().putHeader("Accept", "application/json");
            errors.reject(ctx, RejectionReason.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json but is "
                    + (contentType == null ? "missing" : "'" + contentType + "'"));
            return;
        }
        String charset = StrictText.unsupportedCharset(contentType);
        if (charset != null) {
            ctx.response().putHeader("Accept", "application/json; charset=utf-8");
            errors.reject(ctx, RejectionReason.UNSUPPORTED_MEDIA_TYPE, "charset '" + charset
                    + "' is not accepted; send UTF-8 (Content-Type: application/json; charset=utf-8)");
            return;
        }
        ctx.next();
    }

    private void metrics(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.prometheusText());
    }

    private void internalError(RoutingContext ctx) {
        LOG.error("Request to {} failed", ctx.request().path(), ctx.failure());
        errors.reject(ctx, RejectionReason.INTERNAL_ERROR, "internal error; the request was not accepted");
    }
}
