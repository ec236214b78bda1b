package de.prokommun.insights.resident.audit;

import de.prokommun.insights.events.IngestionRefusal;
import de.prokommun.insights.http.ApiError;
import de.prokommun.insights.privacy.audit.RefusalEntry;
import de.prokommun.insights.privacy.audit.RefusalFlood;
import de.prokommun.insights.privacy.audit.RequestFingerprint;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports every refused request of the resident API (401, 403, 400, 413, 429 …; a 4xx other than 404/405, the query
 * service's rule) to the operator's audit of refusals (issue 15): through the topic {@code ingestion-refusals}, which
 * the query service reads into {@code GET /api/v1/audit/refusals}, beside ingestion's. So the data protection officer
 * sees someone probing the privacy centre with forged or expired tokens.
 * <p>
 * What it never carries: the token, the resident's reference or pseudonym, a receipt or request id of the path, or a
 * value the resident sent. The asker is {@code resident} (an authenticated resident, whoever it is), {@code token}
 * (a token was presented and refused) or {@code anonymous}; the city is the authenticated resident's, else none
 * (every operator sees it); the route is the route's pattern ({@code resident DELETE /api/v1/me/purchases/:receipt});
 * the reason is the one the caller was given with every quoted value and every number left out; the fingerprint is
 * the query service's ({@link RequestFingerprint}) over method and route pattern only, no body. A flood is bounded
 * here, at the source ({@link RefusalFlood}). Installed ahead of every route.
 */
public final class ResidentRefusalReporter implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(ResidentRefusalReporter.class);
    /** The prefix of every route, so the operator's view tells the resident API's refusals from the others'. */
    public static final String ROUTE_PREFIX = "resident ";
    private static final int MAX_REASON = 500;
    private static final Pattern QUOTED = Pattern.compile("'[^']*'");
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    private static final Pattern RECEIPT = Pattern.compile("(/api/v1/me/purchases/)[^/]+");
    private static final Pattern REQUEST = Pattern.compile("(/api/v1/me/requests/)[^/]+");

    private final Consumer<IngestionRefusal> sink;
    private final Function<RoutingContext, String> cityOfResident;
    private final Clock clock;
    private final RefusalFlood flood = new RefusalFlood();

    /**
     * @param cityOfResident the authenticated resident's city, or null before (or without) authentication
     */
    public ResidentRefusalReporter(Consumer<IngestionRefusal> sink, Function<RoutingContext, String> cityOfResident,
                                   Clock clock) {
        this.sink = sink;
        this.cityOfResident = cityOfResident;
        this.clock = clock;
    }

    static boolean isRefusal(int status) {
        return status >= 400 && status < 500 && status != 404 && status != 405;
    }

    @Override
    public void handle(RoutingContext ctx) {
        ctx.addBodyEndHandler(v -> {
            int status = ctx.response().getStatusCode();
            if (!isRefusal(status)) return;
            try {
                for (RefusalEntry e : flood.admit(entry(ctx, status))) sink.accept(record(e));
            } catch (RuntimeException e) { // the answer is already sent; a lost audit line must at least be loud
                LOG.error("could not report the refusal {} of {} {}", status, ctx.request().method(), route(ctx), e);
            }
        });
        ctx.next();
    }

    RefusalEntry entry(RoutingContext ctx, int status) {
        String city = cityOfResident.apply(ctx);
        String asker = city != null ? "resident" : ctx.request().getHeader("Authorization") != null ? "token" : "anonymous";
        String reason = ctx.get(ApiError.REASON);
        reason = reason == null ? "HTTP " + status + " " + ctx.response().getStatusMessage() : withoutValues(reason);
        if (reason.length() > MAX_REASON) reason = reason.substring(0, MAX_REASON) + "…";
        String method = ctx.request().method().name();
        String route = route(ctx);
        return new RefusalEntry(clock.instant(), city == null ? "" : city, city == null ? "" : "RESIDENT", asker,
                ROUTE_PREFIX + method + " " + route, status, reason, RequestFingerprint.of(method, route, Map.of(), null));
    }

    /** The reason without what the caller sent: quoted values as '…', numbers as #. */
    static String withoutValues(String reason) {
        return NUMBER.matcher(QUOTED.matcher(reason).replaceAll("'…'")).replaceAll("#");
    }

    /** The route's pattern; for a request no route matched, the path with its receipt or request id left out. */
    static String route(RoutingContext ctx) {
        String pattern = ctx.currentRoute() == null ? null : ctx.currentRoute().getPath();
        if (pattern != null && !pattern.isEmpty() && !pattern.equals("/")) return pattern;
        return pathWithoutIds(ctx.request().path());
    }

    static String pathWithoutIds(String path) {
        if (path == null) return "";
        String p = RECEIPT.matcher(path).replaceAll("$1:receipt");
        return REQUEST.matcher(p).replaceAll("$1:requestId");
    }

    static IngestionRefusal record(RefusalEntry e) {
        return IngestionRefusal.newBuilder().setAt(e.at().toEpochMilli()).setCity(e.city()).setRole(e.role())
                .setAsker(e.askerId()).setRoute(e.route()).setStatus(e.status()).setReason(e.reason())
                .setFingerprint(e.fingerprint()).build();
    }
}
