package de.prokommun.insights.http;

import de.prokommun.insights.events.IngestionRefusal;
import de.prokommun.insights.participants.Participant;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.privacy.audit.RefusalEntry;
import de.prokommun.insights.privacy.audit.RefusalFlood;
import de.prokommun.insights.privacy.audit.RequestFingerprint;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one logic of reporting refused requests to the operator's audit of refusals (issue 15, finding 5), shared by
 * the query service ({@code RefusalAudit}), ingestion ({@code RefusalReporter}) and the resident API
 * ({@code ResidentRefusalReporter}), each of which keeps only its adapter: where the entries go, how its askers are
 * named and which route it reports. Installed ahead of every route. A refusal is a 4xx other than 404/405 (400, 401,
 * 403, 413, 415, 429 …); its entry holds the asker ({@link Asker}: never a key or token), the route, the status, the
 * reason the caller was given ({@link ApiError#REASON}, or the adapter's own key), at most {@value #MAX_REASON}
 * characters of it, and a fingerprint ({@link RequestFingerprint}). A flood is bounded at the source
 * ({@link RefusalFlood}): the first refusals of every question in full, the rest as counts.
 */
public final class RefusalReporting implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(RefusalReporting.class);
    static final int MAX_REASON = 500;
    private static final Pattern QUOTED = Pattern.compile("'[^']*'");
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    /** Who asked, as the audit names them: an account id or a class of caller, never a key or a token. */
    public record Asker(String city, String role, String id) {
        public static final Asker ANONYMOUS = new Asker("", "", "anonymous");
    }

    /** What of a refusal an adapter reports, beside its askers. */
    public enum Detail {
        /**
         * The reason as given; the fingerprint over method, path, sorted query parameters and body (the services whose
         * callers are accounts: the same question re-phrased is the same fingerprint).
         */
        QUESTION,
        /**
         * The reason with every quoted value replaced by {@code '…'} and every number by {@code #}; the fingerprint
         * over method and the route's pattern only (the resident API: nothing a resident sent reaches the operator).
         */
        ROUTE_ONLY
    }

    private final String routePrefix;
    private final String reasonKey;
    private final Detail detail;
    private final Function<RoutingContext, Asker> askers;
    private final Function<RoutingContext, String> route;
    private final Consumer<RefusalEntry> sink;
    private final Clock clock;
    private final RefusalFlood flood = new RefusalFlood();

    /**
     * @param routePrefix prefixed to every route ("ingestion ", "resident ", "" for the query service's own)
     * @param reasonKey   where the service's error sender leaves the reason given (usually {@link ApiError#REASON})
     * @param askers      the asker of a request ({@link #byKey}, or the resident API's classes)
     * @param route       the route reported after the method ({@link #path} or a route pattern)
     * @param sink        where admitted entries go (the audit log, or the refusals topic)
     */
    public RefusalReporting(String routePrefix, String reasonKey, Detail detail, Function<RoutingContext, Asker> askers,
                            Function<RoutingContext, String> route, Consumer<RefusalEntry> sink, Clock clock) {
        this.routePrefix = routePrefix;
        this.reasonKey = reasonKey;
        this.detail = detail;
        this.askers = askers;
        this.route = route;
        this.sink = sink;
        this.clock = clock;
    }

    public static boolean isRefusal(int status) {
        return status >= 400 && status < 500 && status != 404 && status != 405;
    }

    @Override
    public void handle(RoutingContext ctx) {
        ctx.addBodyEndHandler(v -> {
            int status = ctx.response().getStatusCode();
            if (!isRefusal(status)) return;
            try {
                for (RefusalEntry e : flood.admit(entry(ctx, status))) sink.accept(e);
            } catch (RuntimeException e) { // the answer is already sent; a lost audit line must at least be loud
                LOG.error("could not report the refusal {} of {} {}", status, ctx.request().method(), route.apply(ctx), e);
            }
        });
        ctx.next();
    }

    /** The entry of a refused request (before the flood rule). */
    public RefusalEntry entry(RoutingContext ctx, int status) {
        Asker asker = askers.apply(ctx);
        String given = ctx.get(reasonKey);
        String reason = given == null ? "HTTP " + status + " " + ctx.response().getStatusMessage()
                : detail == Detail.ROUTE_ONLY ? withoutValues(given) : given;
        if (reason.length() > MAX_REASON) reason = reason.substring(0, MAX_REASON) + "…";
        String method = ctx.request().method().name();
        String where = route.apply(ctx);
        String fingerprint;
        if (detail == Detail.ROUTE_ONLY) {
            fingerprint = RequestFingerprint.of(method, where, Map.of(), null);
        } else {
            Map<String, String> query = new TreeMap<>();
            ctx.queryParams().forEach(e -> query.merge(e.getKey(), e.getValue(), (a, b) -> a + "," + b));
            Buffer body = ctx.body() == null ? null : ctx.body().buffer();
            fingerprint = RequestFingerprint.of(method, ctx.request().path(), query, body == null ? null : body.getBytes());
        }
        return new RefusalEntry(clock.instant(), asker.city(), asker.role(), asker.id(),
                routePrefix + method + " " + where, status, reason, fingerprint);
    }

    /** The request's path (the route of the services whose paths hold no caller's value). */
    public static String path(RoutingContext ctx) {
        return ctx.request().path();
    }

    /**
     * The asker of a service whose callers present API keys: the account's id, city and role for a known key;
     * {@code key:} and the first 12 hex digits of an unknown key's SHA-256; {@code anonymous} without a key.
     */
    public static Function<RoutingContext, Asker> byKey(ParticipantDirectory directory) {
        return ctx -> {
            String key = presentedKey(ctx);
            if (key == null) return Asker.ANONYMOUS;
            Participant p = directory.authenticate(key).orElse(null);
            if (p != null) return new Asker(p.city(), p.role().name(), p.id());
            return new Asker("", "", "key:" + ParticipantDirectory.digest(key).substring(0, 12));
        };
    }

    /** The key as the services read it: a Bearer token, else (without an Authorization header) X-Api-Key. */
    public static String presentedKey(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header != null) {
            if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) return null;
            return header.substring(7).trim();
        }
        String apiKey = ctx.request().getHeader("X-Api-Key");
        return apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
    }

    /** The reason without what the caller sent: quoted values as '…', numbers as #. */
    public static String withoutValues(String reason) {
        return NUMBER.matcher(QUOTED.matcher(reason).replaceAll("'…'")).replaceAll("#");
    }

    /** The entry as a record of the refusals topic ({@link RefusalTopicWriter}). */
    public static IngestionRefusal topicRecord(RefusalEntry e) {
        return IngestionRefusal.newBuilder().setAt(e.at().toEpochMilli()).setCity(e.city()).setRole(e.role())
                .setAsker(e.askerId()).setRoute(e.route()).setStatus(e.status()).setReason(e.reason())
                .setFingerprint(e.fingerprint()).build();
    }
}
