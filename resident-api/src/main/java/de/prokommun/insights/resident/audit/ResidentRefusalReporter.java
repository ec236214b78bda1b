package de.prokommun.insights.resident.audit;

import de.prokommun.insights.events.IngestionRefusal;
import de.prokommun.insights.http.ApiError;
import de.prokommun.insights.http.RefusalReporting;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The resident API's adapter of the one refusal reporting ({@link RefusalReporting}, http-kernel; issue 15): every
 * refused request (401, 403, 400, 413, 429 …) goes through the topic {@code ingestion-refusals}, which the query
 * service reads into {@code GET /api/v1/audit/refusals}, beside ingestion's. So the data protection officer sees
 * someone probing the privacy centre with forged or expired tokens.
 * <p>
 * What is the resident API's own, so that the entry never carries the token, the resident's reference or pseudonym,
 * a receipt or request id of the path, or a value the resident sent: the asker is {@code resident} (an authenticated
 * resident, whoever it is), {@code token} (a token was presented and refused) or {@code anonymous}, with the
 * authenticated resident's city (else none: every operator sees it); the route is the route's pattern
 * ({@code resident DELETE /api/v1/me/purchases/:receipt}); the reason and fingerprint are
 * {@link RefusalReporting.Detail#ROUTE_ONLY} (values and numbers left out; method and route pattern only).
 */
public final class ResidentRefusalReporter implements Handler<RoutingContext> {

    /** The prefix of every route, so the operator's view tells the resident API's refusals from the others'. */
    public static final String ROUTE_PREFIX = "resident ";
    private static final Pattern RECEIPT = Pattern.compile("(/api/v1/me/purchases/)[^/]+");
    private static final Pattern REQUEST = Pattern.compile("(/api/v1/me/requests/)[^/]+");

    private final RefusalReporting reporting;

    /**
     * @param cityOfResident the authenticated resident's city, or null before (or without) authentication
     */
    public ResidentRefusalReporter(Consumer<IngestionRefusal> sink, Function<RoutingContext, String> cityOfResident,
                                   Clock clock) {
        reporting = new RefusalReporting(ROUTE_PREFIX, ApiError.REASON, RefusalReporting.Detail.ROUTE_ONLY,
                ctx -> asker(ctx, cityOfResident.apply(ctx)), ResidentRefusalReporter::route,
                e -> sink.accept(RefusalReporting.topicRecord(e)), clock);
    }

    @Override
    public void handle(RoutingContext ctx) {
        reporting.handle(ctx);
    }

    /** A class of caller, never who: {@code resident}, {@code token} or {@code anonymous}. */
    static RefusalReporting.Asker asker(RoutingContext ctx, String city) {
        if (city != null) return new RefusalReporting.Asker(city, "RESIDENT", "resident");
        return ctx.request().getHeader("Authorization") != null ? new RefusalReporting.Asker("", "", "token")
                : RefusalReporting.Asker.ANONYMOUS;
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
}
