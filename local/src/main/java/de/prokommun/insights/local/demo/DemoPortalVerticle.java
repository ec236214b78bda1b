package de.prokommun.insights.local.demo;

import de.prokommun.insights.http.ApiError;
import de.prokommun.insights.http.Problem;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The local mode's stand-in for the city portal's login: a page listing the demo residents, each a link that signs a
 * fresh token and opens the privacy centre with it (the token travels in the URL fragment, as the portal sends it).
 * Local mode only, on loopback; it signs tokens for the listed synthetic residents and for nobody else.
 */
public final class DemoPortalVerticle extends VerticleBase {
    private final PortalTokens tokens;
    private final List<String> residents;
    private final PortalInbox inbox;
    private final OpenedReport report;
    private final String privacyCentreUrl;
    private final String host;
    private final int port;
    private HttpServer server;

    /** Without offers: an empty inbox, and opening is impossible (nothing to open). */
    public DemoPortalVerticle(PortalTokens tokens, List<String> residents, String residentApiUrl, String host, int port) {
        this(tokens, residents, new PortalInbox("", residents),
                (resident, campaign) -> java.util.concurrent.CompletableFuture.completedFuture(404), residentApiUrl, host, port);
    }

    /** With the inbox fed from portal-outbox and openings reported to ingestion in the portal's name. */
    public DemoPortalVerticle(PortalTokens tokens, List<String> residents, PortalInbox inbox, OpenedReport report,
                              String residentApiUrl, String host, int port) {
        this.tokens = tokens;
        this.residents = List.copyOf(residents);
        this.inbox = inbox;
        this.report = report;
        this.privacyCentreUrl = residentApiUrl + "/privacy-centre/";
        this.host = host;
        this.port = port;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        router.get("/").handler(this::page);
        router.get("/anmelden/:resident").handler(this::signIn);
        router.get("/postfach/:resident").handler(this::inbox);
        router.post("/postfach/:resident/:campaign").handler(this::open);
        return vertx.createHttpServer().requestHandler(router).listen(port, host).onSuccess(s -> server = s);
    }

    /** The port the page listens on (the configured one, or the one chosen when 0 was configured). */
    public int actualPort() {
        return server.actualPort();
    }

    private void page(RoutingContext ctx) {
        boolean english = "en".equals(ctx.request().getParam("lang"));
        ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .end(DemoPortalPage.render(residents, english, tokens.lifetime()));
    }

    private void signIn(RoutingContext ctx) {
        String resident = ctx.pathParam("resident");
        if (!residents.contains(resident)) {
            ApiError.of(404, "not a demo resident of the local mode")
                    .problems(List.of(new Problem("resident", "only the residents listed on this page can sign in here"))).send(ctx);
            return;
        }
        ctx.response().setStatusCode(303).putHeader("Cache-Control", "no-store")
                .putHeader("Location", privacyCentreUrl + "#token=" + tokens.tokenFor(resident)).end();
    }

    /** The signed-in resident's offers (the demo signs in by following a link, as the sign-in above does). */
    private void inbox(RoutingContext ctx) {
        String resident = ctx.pathParam("resident");
        if (!listed(ctx, resident)) return;
        html(ctx, 200, DemoInboxPage.inbox(resident, inbox.offers(resident), "en".equals(ctx.request().getParam("lang"))));
    }

    /** Opens one offer: reported to ingestion as campaign.opened first, then shown. */
    private void open(RoutingContext ctx) {
        String resident = ctx.pathParam("resident");
        if (!listed(ctx, resident)) return;
        boolean english = "en".equals(ctx.request().getParam("lang"));
        var offer = inbox.offer(resident, ctx.pathParam("campaign"));
        if (offer.isEmpty()) {
            ApiError.of(404, "no such offer in this resident's inbox (withdrawn, or never delivered)")
                    .problems(List.of(new Problem("campaign", "not in the inbox"))).send(ctx);
            return;
        }
        Future.fromCompletionStage(report.opened(resident, offer.get().getCampaignId()), vertx.getOrCreateContext())
                .onComplete(sent -> {
                    if (sent.succeeded() && sent.result() == 202) {
                        html(ctx, 200, DemoInboxPage.opened(resident, offer.get(), english));
                    } else {
                        ApiError.of(502, "ingestion did not accept campaign.opened: "
                                + (sent.succeeded() ? "HTTP " + sent.result() : sent.cause().toString())).send(ctx);
                    }
                });
    }

    private boolean listed(RoutingContext ctx, String resident) {
        if (residents.contains(resident)) return true;
        ApiError.of(404, "not a demo resident of the local mode")
                .problems(List.of(new Problem("resident", "only the residents listed on this page have an inbox here"))).send(ctx);
        return false;
    }

    private static void html(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store").end(body);
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
