package de.prokommun.insights.query.api;

import de.prokommun.insights.http.StaticResources;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.query.audience.AudienceService;
import de.prokommun.insights.query.campaign.CampaignService;
import de.prokommun.insights.query.insights.InsightAnswer;
import de.prokommun.insights.query.insights.InsightsService;
import de.prokommun.insights.query.journey.JourneyService;
import de.prokommun.insights.validation.RequestPath;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The query API. Every route is listed in {@link #routes()}; every data route is authenticated, and every
 * route that returns figures (audience sizes, insights, journeys, unmapped product groups) runs them through a
 * privacy step before the responder.
 */
public final class QueryVerticle extends VerticleBase {

    /** Where to listen and how much to accept. Port 0 picks a free port. */
    public record Listen(String host, int port, int maxBodyBytes) {}

    private final ParticipantDirectory directory;
    private final AudienceService audiences;
    private final InsightsService insights;
    private final JourneyService journeys;
    private final Listen listen;
    private final Clock clock;
    private final AutoCloseable onStop;
    private final List<VerticleBase> companions;
    private HttpServer server;
    private Router router;
    private Handler<RoutingContext> refusalWatch;
    private Handler<RoutingContext> refusalView;
    private de.prokommun.insights.query.campaign.CampaignService campaigns;

    public QueryVerticle(ParticipantDirectory directory, AudienceService audiences, InsightsService insights,
                         JourneyService journeys, Listen listen, Clock clock, AutoCloseable onStop) {
        this(directory, audiences, insights, journeys, listen, clock, List.of(), onStop);
    }

    /**
     * @param companions verticles that live and die with the API (the publisher of the published statistics),
     *                   deployed before it listens and undeployed with it
     */
    public QueryVerticle(ParticipantDirectory directory, AudienceService audiences, InsightsService insights,
                         JourneyService journeys, Listen listen, Clock clock, List<VerticleBase> companions,
                         AutoCloseable onStop) {
        this.companions = List.copyOf(companions);
        this.directory = directory;
        this.audiences = audiences;
        this.insights = insights;
        this.journeys = journeys;
        this.listen = listen;
        this.clock = clock;
        this.onStop = onStop;
    }

    /**
     * Audits refused requests (issue 15): {@code watch} runs ahead of every route, {@code view} serves the operator's
     * view of them at {@code GET /api/v1/audit/refusals} (both from query.audit). Call before deploying.
     */
    public QueryVerticle auditingRefusals(Handler<RoutingContext> watch, Handler<RoutingContext> view) {
        this.refusalWatch = watch;
        this.refusalView = view;
        return this;
    }

    /** Serves the campaign routes (docs/CAMPAIGNS.md) from this service. Call before deploying. */
    public QueryVerticle withCampaigns(de.prokommun.insights.query.campaign.CampaignService campaigns) {
        this.campaigns = campaigns;
        return this;
    }

    @Override
    public Future<?> start() {
        router = routes();
        Future<?> deployed = Future.succeededFuture();
        for (VerticleBase companion : companions) {
            deployed = deployed.compose(x -> vertx.deployVerticle(companion));
        }
        return deployed.compose(x -> vertx.createHttpServer(new HttpServerOptions().setHost(listen.host()).setPort(listen.port()))
                .requestHandler(router)
                .listen()
                .onSuccess(s -> server = s));
    }

    /** A path routing cannot decode is the client's mistake: 400 naming it, not an ERROR in the log. */
    private static void decodablePath(RoutingContext ctx) {
        String why = RequestPath.undecodable(ctx.request().path());
        if (why == null) ctx.next();
        else ctx.fail(new de.prokommun.insights.query.audience.InvalidRequestException("path", why));
    }

    Router routes() {
        Router r = Router.router(vertx);
        var resources = new StaticResources("/openapi.yaml");
        var authenticated = new ApiKeyAuthentication(directory);
        var failures = QueryFailures.handler(clock, listen.maxBodyBytes());
        if (refusalWatch != null) r.route().handler(refusalWatch); // ahead of every route
        r.route().handler(QueryVerticle::decodablePath); // before any route with a path is matched

        r.get("/health").handler(StaticResources::health);
        r.get("/api/v1/openapi.yaml").handler(resources::openApi);
        r.post("/api/v1/audiences/size")
                .handler(BodyHandler.create(false).setBodyLimit(listen.maxBodyBytes()))
                .handler(authenticated)
                .handler(new JsonContentType())
                .handler(new AudienceRequestValidation(audiences))
                .handler(new DisclosureStep(audiences))
                .handler(new ReleaseResponder());
        insights(r, "/api/v1/insights/affinity", authenticated, insights::parseAffinity, insights::affinity);
        insights(r, "/api/v1/insights/product-history", authenticated, insights::parseHistory, insights::history);
        insights(r, "/api/v1/insights/assortment-check", authenticated, insights::parseAssortment, insights::assortment);
        insights(r, "/api/v1/insights/trend", authenticated, insights::parseTrend, insights::trend);
        insights(r, "/api/v1/insights/customers", authenticated, insights::parseCustomers, insights::customers);
        insights(r, "/api/v1/journey/cross-shopping", authenticated, journeys::parseCrossShopping, journeys::crossShopping);
        insights(r, "/api/v1/journey/flows", authenticated, journeys::parseFlows, journeys::flows);
        insights(r, "/api/v1/journey/first-visits", authenticated, journeys::parseFirstVisits, journeys::firstVisits);
        insights(r, "/api/v1/journey/when-where", authenticated, journeys::parseWhenWhere, journeys::whenWhere);
        insights(r, "/api/v1/journey/vouchers", authenticated, journeys::parseVouchers, journeys::vouchers);
        insights(r, "/api/v1/journey/engagement", authenticated, journeys::parseEngagement, journeys::engagement);
        r.get("/api/v1/product-groups/unmapped")
                .handler(authenticated)
                .handler(new InsightsDisclosureStep<Void>((asker, none) -> insights.unmappedProductGroups(asker)))
                .handler(new InsightsResponder());
        r.get("/api/v1/audiences/dimensions").handler(authenticated).handler(new DimensionsHandler(audiences));
        r.get("/api/v1/privacy/budget").handler(authenticated).handler(new BudgetHandler(audiences));
        if (refusalView != null) r.get("/api/v1/audit/refusals").handler(refusalView);
        if (campaigns != null) campaigns(r, authenticated);
        de.prokommun.insights.query.web.Dashboards.mount(r, directory, audiences);

        r.route().failureHandler(failures);
        r.errorHandler(404, failures);
        r.errorHandler(405, failures);
        return r;
    }

    /**
     * The campaign routes: reach and results are figures (released by the privacy layer); a campaign itself holds no
     * personal data. The participant is always the key's owner.
     */
    private void campaigns(Router r, ApiKeyAuthentication authenticated) {
        var c = new CampaignHandlers(campaigns);
        var body = BodyHandler.create(false).setBodyLimit(listen.maxBodyBytes());
        r.post("/api/v1/campaigns/reach").handler(body).handler(authenticated).handler(new JsonContentType())
                .handler(c::reach);
        r.post("/api/v1/campaigns").handler(body).handler(authenticated).handler(new JsonContentType()).handler(c::create);
        r.get("/api/v1/campaigns").handler(authenticated).handler(c::list);
        r.get("/api/v1/campaigns/:id").handler(authenticated).handler(c::get);
        r.post("/api/v1/campaigns/:id/pause").handler(authenticated).handler(c.change(CampaignService.Action.PAUSE));
        r.post("/api/v1/campaigns/:id/resume").handler(authenticated).handler(c.change(CampaignService.Action.RESUME));
        r.post("/api/v1/campaigns/:id/end").handler(authenticated).handler(c.change(CampaignService.Action.END));
        r.get("/api/v1/campaigns/:id/results").handler(authenticated).handler(c::results);
        r.get("/api/v1/operator/campaigns").handler(authenticated).handler(c::operator);
        r.get("/api/v1/operator/campaigns/weekly-cap").handler(authenticated).handler(c::operatorWeeklyCap);
    }

    /** One insights question: the same chain as an audience size (validation, privacy step, released answer). */
    private <R> void insights(Router r, String path, ApiKeyAuthentication authenticated,
                              BiFunction<Asker, String, R> parse, BiFunction<Asker, R, InsightAnswer> answer) {
        r.post(path)
                .handler(BodyHandler.create(false).setBodyLimit(listen.maxBodyBytes()))
                .handler(authenticated)
                .handler(new JsonContentType())
                .handler(new InsightsValidation<>(parse))
                .handler(new InsightsDisclosureStep<>(answer))
                .handler(new InsightsResponder());
    }

    /** The port actually bound (useful with port 0). */
    public int actualPort() {
        if (server == null) throw new IllegalStateException("not started");
        return server.actualPort();
    }

    /** The routes as deployed, so tests can call every one of them. */
    public Router router() {
        if (router == null) throw new IllegalStateException("not started");
        return router;
    }

    @Override
    public Future<?> stop() {
        Future<?> closed = server == null ? Future.succeededFuture() : server.close();
        return closed.eventually(() -> vertx.executeBlocking(() -> {
            onStop.close();
            return null;
        }));
    }
}
