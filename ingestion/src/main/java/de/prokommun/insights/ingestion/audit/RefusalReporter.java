package de.prokommun.insights.ingestion.audit;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports every refused request of ingestion to the operator's audit of refusals (issue 15, finding 5): a participant
 * forging another shop's follow (403), probing with guessed keys (401), or flooding with broken batches (400, 413)
 * leaves a trace the data protection officer sees in {@code GET /api/v1/audit/refusals} of the query service.
 * Installed ahead of every route; a refusal is a 4xx other than 404/405 (the query service's rule). The asker is the
 * account's id (never the key: an unknown key is {@code key:} and 12 hex digits of its SHA-256, as in the query
 * service), the route is prefixed {@code ingestion }, the reason is the one the sender was given ({@link #REASON},
 * left by Refusals), the fingerprint is the query service's ({@link RequestFingerprint}). A flood is bounded here,
 * at the source, by the query service's rule ({@link RefusalFlood}): the topic grows by at most its bound per window.
 */
public final class RefusalReporter implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(RefusalReporter.class);
    /** Where Refusals leaves the reason given to the sender. */
    public static final String REASON = "ingestion.refusal-reason";
    /** The prefix of every route, so the operator's view tells ingestion's refusals from the query service's. */
    public static final String ROUTE_PREFIX = "ingestion ";
    private static final int MAX_REASON = 500;

    private final ParticipantDirectory directory;
    private final RefusalSink sink;
    private final Clock clock;
    private final RefusalFlood flood = new RefusalFlood();

    public RefusalReporter(ParticipantDirectory directory, RefusalSink sink, Clock clock) {
        this.directory = directory;
        this.sink = sink;
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
                for (RefusalEntry e : flood.admit(entry(ctx, status))) sink.send(record(e));
            } catch (RuntimeException e) { // the answer is already sent; a lost audit line must at least be loud
                LOG.error("could not report the refusal {} of {} {}", status, ctx.request().method(), ctx.request().path(), e);
            }
        });
        ctx.next();
    }

    RefusalEntry entry(RoutingContext ctx, int status) {
        String key = presentedKey(ctx);
        Participant p = key == null ? null : directory.authenticate(key).orElse(null);
        String asker = p != null ? p.id()
                : key == null ? "anonymous" : "key:" + ParticipantDirectory.digest(key).substring(0, 12);
        String reason = ctx.get(REASON);
        if (reason == null) reason = "HTTP " + status + " " + ctx.response().getStatusMessage();
        if (reason.length() > MAX_REASON) reason = reason.substring(0, MAX_REASON) + "…";
        Map<String, String> query = new TreeMap<>();
        ctx.queryParams().forEach(e -> query.merge(e.getKey(), e.getValue(), (a, b) -> a + "," + b));
        Buffer body = ctx.body() == null ? null : ctx.body().buffer();
        String fingerprint = RequestFingerprint.of(ctx.request().method().name(), ctx.request().path(), query,
                body == null ? null : body.getBytes());
        return new RefusalEntry(clock.instant(), p == null ? "" : p.city(), p == null ? "" : p.role().name(), asker,
                ROUTE_PREFIX + ctx.request().method() + " " + ctx.request().path(), status, reason, fingerprint);
    }

    static IngestionRefusal record(RefusalEntry e) {
        return IngestionRefusal.newBuilder().setAt(e.at().toEpochMilli()).setCity(e.city()).setRole(e.role())
                .setAsker(e.askerId()).setRoute(e.route()).setStatus(e.status()).setReason(e.reason())
                .setFingerprint(e.fingerprint()).build();
    }

    /** The key as ApiKeyAuthHandler reads it: a Bearer token, else X-Api-Key. */
    static String presentedKey(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header != null) {
            if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) return null;
            return header.substring(7).trim();
        }
        String apiKey = ctx.request().getHeader("X-Api-Key");
        return apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
    }
}
