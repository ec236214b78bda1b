package de.prokommun.insights.resident.api;

import de.prokommun.insights.http.JsonBodyHandler;
import de.prokommun.insights.http.Problem;
import de.prokommun.insights.http.StaticResources;
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
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import de.prokommun.insights.validation.RequestPath;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import de.prokommun.insights.resident.changes.InvalidRequestException;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The resident API for the portal's privacy centre. Every route is listed in {@link #routes()}; every data
 * route is authenticated by the resident's token, and each handler reaches only that resident's data.
 */
public final class ResidentVerticle extends VerticleBase {

    /** Where to listen and how much to accept. Port 0 picks a free port. */
    public record Listen(String host, int port, int maxBodyBytes) {}

    /** Everything the verticle needs that does not depend on its Vert.x instance. */
    public record Dependencies(String jwtKey, String jwtIssuer, ResidentPseudonym pseudonyms, PersonStore store,
                               PersonaExplainer explainer, AuditTrail audit, CityFiles cities, PortalEvents events,
                               ChangeRequests requests, ErasureRegister erasures, Duration erasureWait, Clock clock) {}

    private final Dependencies deps;
    private final Function<io.vertx.core.Vertx, RawEventPublisher> publisherFactory;
    private final Supplier<AutoCloseable> erasureFeedFactory;
    private final Listen listen;
    private final java.util.function.Consumer<de.prokommun.insights.events.IngestionRefusal> refusals;
    private RawEventPublisher publisher;
    private AutoCloseable erasureFeed;
    private HttpServer server;

    /**
     * {@code erasureFeed} starts reading the shared erasure register into {@code deps.erasures()} (the verticle closes it
     * when it stops); until it has read the register, authenticated requests wait and then answer 503.
     */
    public ResidentVerticle(Dependencies deps, Function<io.vertx.core.Vertx, RawEventPublisher> publisherFactory,
                            Supplier<AutoCloseable> erasureFeed, Listen listen) {
        this(deps, publisherFactory, erasureFeed, listen, refusal -> { });
    }

    /** As above; every refused request is also handed to {@code refusals} for the operator's audit (issue 15). */
    public ResidentVerticle(Dependencies deps, Function<io.vertx.core.Vertx, RawEventPublisher> publisherFactory,
                            Supplier<AutoCloseable> erasureFeed, Listen listen,
                            java.util.function.Consumer<de.prokommun.insights.events.IngestionRefusal> refusals) {
        this.refusals = refusals;
        this.deps = deps;
        this.publisherFactory = publisherFactory;
        this.erasureFeedFactory = erasureFeed;
        this.listen = listen;
    }

    @Override
    public Future<?> start() {
        Router router;
        try {
            publisher = publisherFactory.apply(vertx);
            erasureFeed = erasureFeedFactory.get();
            router = routes();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return vertx.createHttpServer(new HttpServerOptions().setHost(listen.host()).setPort(listen.port()))
                .requestHandler(router)
                .listen()
                .onSuccess(s -> server = s);
    }

    /** A path routing cannot decode is the client's mistake: 400 naming it, not an ERROR in the log. */
    private static void decodablePath(RoutingContext ctx) {
        String why = RequestPath.undecodable(ctx.request().path());
        if (why == null) ctx.next();
        else ctx.fail(new InvalidRequestException(List.of(new Problem("path", why))));
    }

    Router routes() {
        Router r = Router.router(vertx);
        var resources = new StaticResources("/resident-openapi.yaml");
        var authenticated = new ResidentAuthentication(
                TokenVerifier.create(vertx, deps.jwtKey(), deps.jwtIssuer(), deps.clock()), deps.pseudonyms(),
                deps.erasures(), deps.erasureWait(), deps.store(), deps.clock());
        var body = BodyHandler.create(false).setBodyLimit(listen.maxBodyBytes());
        var json = new JsonBodyHandler();
        var person = new PersonHandlers(new PersonReader(deps.store(), deps.explainer(), deps.audit(), deps.cities()), deps.cities(), deps.clock());
        var changes = new ChangeHandlers(deps.events(), publisher, deps.requests(), deps.store(), deps.cities(),
                deps.erasures(), deps.clock());
        var status = new RequestStatusHandler(deps.requests(), deps.store(), deps.clock());
        var failures = ResidentFailures.handler(listen.maxBodyBytes());

        // first of all: every refusal (401 of a bad token included) reaches the operator's audit, never the token
        r.route().handler(new de.prokommun.insights.resident.audit.ResidentRefusalReporter(refusals,
                ResidentAuthentication::cityOrNull, deps.clock()));
        r.route().handler(ResidentVerticle::decodablePath); // before any route with a path is matched
        r.get("/health").handler(StaticResources::health);
        r.get("/api/v1/me/openapi.yaml").handler(resources::openApi);
        // The privacy centre page: static files only; the token stays in the browser (URL fragment, header).
        r.get("/privacy-centre/*").handler(ctx -> {
            ctx.response().putHeader("Referrer-Policy", "no-referrer").putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'");
            ctx.next();
        }).handler(io.vertx.ext.web.handler.StaticHandler.create("webroot-resident").setCachingEnabled(false)
                .setIndexPage("index.html").setDefaultContentEncoding("UTF-8"));
        r.get("/api/v1/me").handler(authenticated).handler(person::me);
        r.get("/api/v1/me/export").handler(authenticated).handler(person::export);
        r.get("/api/v1/me/campaigns").handler(authenticated).handler(person::campaigns);
        r.post("/api/v1/me/objections").handler(body).handler(authenticated).handler(json).handler(changes::object);
        r.delete("/api/v1/me/objections/:scope").handler(authenticated).handler(changes::liftObjection);
        r.patch("/api/v1/me/profile").handler(body).handler(authenticated).handler(json).handler(changes::profile);
        r.put("/api/v1/me/consents").handler(body).handler(authenticated).handler(json).handler(changes::consents);
        r.delete("/api/v1/me/purchases/:receipt").handler(authenticated).handler(changes::deletePurchase);
        r.delete("/api/v1/me").handler(authenticated).handler(changes::erase);
        r.get("/api/v1/me/requests/:requestId").handler(authenticated.allowingErased()).handler(status);

        r.route().failureHandler(failures);
        r.errorHandler(404, failures);
        r.errorHandler(405, failures);
        return r;
    }

    /** The port actually bound (useful with port 0). */
    public int actualPort() {
        if (server == null) throw new IllegalStateException("not started");
        return server.actualPort();
    }

    @Override
    public Future<?> stop() {
        Future<?> closed = server == null ? Future.succeededFuture() : server.close();
        return closed.eventually(() -> vertx.executeBlocking(() -> {
            if (erasureFeed != null) erasureFeed.close();
            if (publisher != null) publisher.close();
            if (refusals instanceof AutoCloseable closeable) closeable.close();
            deps.store().close();
            return null;
        }));
    }
}
