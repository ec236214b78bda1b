package de.prokommun.insights.query.audit;

import de.prokommun.insights.participants.Participant;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.privacy.audit.AuditLog;
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
 * Audits every refused request (issue 15, finding 5): a probing participant leaves a trace for the data protection
 * officer even when nothing is released. Installed ahead of every route; when the answer is a refusal (a 4xx other
 * than 404/405: bad question 400, no or unknown key 401, not allowed 403, too large 413, unsupported 415, budget
 * 429) it writes a {@link RefusalEntry} to the audit log: the asker's id (never the key: an unknown key is named by
 * the first 12 hex digits of its SHA-256), route, status, the reason the asker was given ({@link de.prokommun.insights.http.ApiError} leaves
 * it on the context) and a fingerprint of the question — SHA-256 of method, path, sorted query parameters and the
 * body's JSON with sorted keys, so re-phrased whitespace or key order is still the same question.
 * A flood of refusals is written bounded ({@link RefusalFlood}): the first refusals of every question in full, the
 * rest as counts.
 */
public final class RefusalAudit implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(RefusalAudit.class);
    /** Where the one error shape's sender leaves the reason given to the asker. */
    public static final String REASON = de.prokommun.insights.http.ApiError.REASON;
    private static final int MAX_REASON = 500;

    private final AuditLog log;
    private final ParticipantDirectory directory;
    private final Clock clock;
    private final RefusalFlood flood = new RefusalFlood();

    public RefusalAudit(AuditLog log, ParticipantDirectory directory, Clock clock) {
        this.log = log;
        this.directory = directory;
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
                for (RefusalEntry written : flood.admit(entry(ctx, status))) log.record(written);
            } catch (RuntimeException e) { // the answer is already sent; a lost audit line must at least be loud
                LOG.error("could not audit the refusal {} of {} {}", status, ctx.request().method(), ctx.request().path(), e);
            }
        });
        ctx.next();
    }

    private RefusalEntry entry(RoutingContext ctx, int status) {
        String city = "";
        String role = "";
        String asker;
        String key = presentedKey(ctx);
        Participant p = key == null ? null : directory.authenticate(key).orElse(null);
        if (p != null) {
            city = p.city();
            role = p.role().name();
            asker = p.id();
        } else {
            asker = key == null ? "anonymous" : "key:" + ParticipantDirectory.digest(key).substring(0, 12);
        }
        String reason = ctx.get(REASON);
        if (reason == null) reason = "HTTP " + status + " " + ctx.response().getStatusMessage();
        if (reason.length() > MAX_REASON) reason = reason.substring(0, MAX_REASON) + "…";
        String route = ctx.request().method() + " " + ctx.request().path();
        return new RefusalEntry(clock.instant(), city, role, asker, route, status, reason, fingerprint(ctx));
    }

    static String presentedKey(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) && !header.substring(7).isBlank()) {
            return header.substring(7).trim();
        }
        String apiKey = ctx.request().getHeader("X-Api-Key");
        return apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
    }

    /** The question's fingerprint: 16 hex digits of SHA-256 over its canonical form. */
    static String fingerprint(RoutingContext ctx) {
        Map<String, String> query = new TreeMap<>();
        ctx.queryParams().forEach(e -> query.merge(e.getKey(), e.getValue(), (a, b) -> a + "," + b));
        Buffer body = ctx.body() == null ? null : ctx.body().buffer();
        return fingerprint(ctx.request().method().name(), ctx.request().path(), query,
                body == null ? null : body.getBytes());
    }

    static String fingerprint(String method, String path, Map<String, String> sortedQuery, byte[] body) {
        return RequestFingerprint.of(method, path, sortedQuery, body);
    }
}
