package de.prokommun.insights.query.audit;

import de.prokommun.insights.http.Problem;
import de.prokommun.insights.participants.Participant;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.participants.Role;
import de.prokommun.insights.privacy.audit.AuditLog;
import de.prokommun.insights.privacy.audit.RefusalEntry;
import de.prokommun.insights.privacy.audit.RefusalFlood;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /api/v1/audit/refusals?from=&to=&limit=}: the operator's data-protection view of refused requests
 * (issue 15): per asker how many refusals by status, how many distinct questions and the most repeated one (many
 * near-identical refused questions are a probe), and the latest refusals themselves. Operator keys only; the
 * city's own refusals and those with an unknown key (which belong to no city). Never a key, never a figure.
 */
public final class RefusalsView implements Handler<RoutingContext> {

    static final Duration DEFAULT_WINDOW = Duration.ofDays(7);
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final AuditLog log;
    private final ParticipantDirectory directory;
    private final Clock clock;

    public RefusalsView(AuditLog log, ParticipantDirectory directory, Clock clock) {
        this.log = log;
        this.directory = directory;
        this.clock = clock;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String key = RefusalAudit.presentedKey(ctx);
        Participant asker = key == null ? null : directory.authenticate(key).orElse(null);
        if (asker == null) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"prokommun-insights\"");
            send(ctx, 401, error(401, key == null ? "missing Authorization header; expected 'Bearer <API key>'"
                    : "unknown API key", List.of()));
            return;
        }
        if (asker.role() != Role.OPERATOR) {
            send(ctx, 403, error(403, "only the operator (its data protection officer) may read the audit of refusals",
                    List.of()));
            return;
        }
        List<Problem> problems = new ArrayList<>();
        Instant to = instant(ctx, "to", clock.instant(), problems);
        Instant from = instant(ctx, "from", to.minus(DEFAULT_WINDOW), problems);
        int limit = limit(ctx, problems);
        if (problems.isEmpty() && !from.isBefore(to)) problems.add(new Problem("from", "must lie before 'to' (" + to + ")"));
        if (!problems.isEmpty()) {
            send(ctx, 400, error(400, "invalid request", problems));
            return;
        }
        ctx.vertx().executeBlocking(() -> view(asker.city(), from, to, limit)).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            send(ctx, 200, ar.result());
        });
    }

    /** The one error shape (http-kernel); the sender leaves the reason for the refusal audit on the context. */
    private static de.prokommun.insights.http.ApiError error(int status, String message, List<Problem> problems) {
        return de.prokommun.insights.http.ApiError.of(status, message).problems(problems);
    }

    private static void send(RoutingContext ctx, int status, de.prokommun.insights.http.ApiError error) {
        error.send(ctx);
    }

    private static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store").end(body.encode());
    }

    JsonObject view(String city, Instant from, Instant to, int limit) {
        List<RefusalEntry> refusals = new ArrayList<>(log.refusals(city, from, to));
        refusals.addAll(log.refusals("", from, to)); // unknown keys: no city, every operator sees them
        refusals.sort(Comparator.comparing(RefusalEntry::at));
        Map<String, List<RefusalEntry>> byAsker = new LinkedHashMap<>();
        for (RefusalEntry r : refusals) byAsker.computeIfAbsent(r.role() + "/" + r.askerId(), k -> new ArrayList<>()).add(r);
        JsonArray askers = new JsonArray();
        byAsker.values().stream().sorted(Comparator.comparingLong((List<RefusalEntry> l) -> -l.stream()
                        .mapToLong(RefusalFlood::weight).sum())
                        .thenComparing(l -> l.get(0).askerId()))
                .forEach(list -> askers.add(summary(list)));
        JsonArray latest = new JsonArray();
        for (int i = refusals.size() - 1; i >= 0 && latest.size() < limit; i--) latest.add(json(refusals.get(i)));
        long total = refusals.stream().mapToLong(RefusalFlood::weight).sum(); // a flood's counts stand for many
        return new JsonObject().put("city", city).put("from", from.toString()).put("to", to.toString())
                .put("total", total).put("byAsker", askers).put("refusals", latest);
    }

    private static JsonObject summary(List<RefusalEntry> list) {
        Map<String, Long> byStatus = new TreeMap<>();
        Map<String, Long> byFingerprint = new TreeMap<>();
        long refused = 0;
        for (RefusalEntry r : list) {
            long weight = RefusalFlood.weight(r);
            refused += weight;
            byStatus.merge(Integer.toString(r.status()), weight, Long::sum);
            if (!RefusalFlood.MANY.equals(r.fingerprint())) byFingerprint.merge(r.fingerprint(), weight, Long::sum);
        }
        Map.Entry<String, Long> top = byFingerprint.entrySet().stream()
                .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                .orElse(Map.entry(RefusalFlood.MANY, 0L));
        JsonObject statuses = new JsonObject();
        byStatus.forEach(statuses::put);
        RefusalEntry first = list.get(0);
        return new JsonObject().put("asker", first.askerId()).put("role", first.role()).put("refusals", refused)
                .put("byStatus", statuses).put("distinctQuestions", byFingerprint.size())
                .put("mostRepeated", new JsonObject().put("fingerprint", top.getKey()).put("count", top.getValue()))
                .put("first", first.at().toString()).put("last", list.get(list.size() - 1).at().toString());
    }

    private static JsonObject json(RefusalEntry r) {
        return new JsonObject().put("at", r.at().toString()).put("asker", r.askerId()).put("role", r.role())
                .put("route", r.route()).put("status", r.status()).put("reason", r.reason())
                .put("fingerprint", r.fingerprint());
    }

    private static Instant instant(RoutingContext ctx, String name, Instant otherwise, List<Problem> problems) {
        String raw = ctx.queryParams().get(name);
        if (raw == null || raw.isBlank()) return otherwise;
        try {
            return Instant.parse(raw.trim());
        } catch (DateTimeParseException e) {
            problems.add(new Problem(name, "must be an ISO-8601 instant such as 2026-12-01T00:00:00Z but is '" + raw + "'"));
            return otherwise;
        }
    }

    private static int limit(RoutingContext ctx, List<Problem> problems) {
        String raw = ctx.queryParams().get("limit");
        if (raw == null || raw.isBlank()) return DEFAULT_LIMIT;
        try {
            int limit = Integer.parseInt(raw.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) return limit;
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(new Problem("limit", "must be an integer 1–" + MAX_LIMIT + " but is '" + raw + "'"));
        return DEFAULT_LIMIT;
    }
}
