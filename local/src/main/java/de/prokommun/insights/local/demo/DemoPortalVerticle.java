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
    private final String privacyCentreUrl;
    private final String host;
    private final int port;
    private HttpServer server;

    public DemoPortalVerticle(PortalTokens tokens, List<String> residents, String residentApiUrl, String host, int port) {
        this.tokens = tokens;
        this.residents = List.copyOf(residents);
        this.privacyCentreUrl = residentApiUrl + "/privacy-centre/";
        this.host = host;
        this.port = port;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        router.get("/").handler(this::page);
        router.get("/anmelden/:resident").handler(this::signIn);
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

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
