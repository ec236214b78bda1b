package de.prokommun.insights.ingestion.api;

import de.prokommun.insights.http.ApiError;
import de.prokommun.insights.ingestion.IngestionMetrics;
import de.prokommun.insights.ingestion.RejectionReason;
import de.prokommun.insights.ingestion.audit.RefusalReporter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Turns a request away: counts it per {@link RejectionReason} (the health monitor's rejected-requests tile) and answers
 * in the one error shape of every service (http-kernel {@link ApiError}): the reason's code and status, the
 * message, the offending events or rows as {@code problems} (each with its field and reason) and what was taken
 * ({@code accepted: 0}, {@code applied: 0}).
 */
public final class Refusals {

    private final IngestionMetrics metrics;

    public Refusals(IngestionMetrics metrics) {
        this.metrics = metrics;
    }

    public void reject(RoutingContext ctx, RejectionReason reason, String message) {
        reject(ctx, reason, message, 0, new JsonObject());
    }

    /**
     * Rejects a request that carried {@code events} events; {@code details} may hold {@code problems} (a list of
     * {field, reason, ...}) and further members of the error object.
     */
    public void reject(RoutingContext ctx, RejectionReason reason, String message, int events, JsonObject details) {
        metrics.rejected(reason, events);
        ctx.put(RefusalReporter.REASON, reasonForAudit(message, details)); // audited with the refusal
        ApiError error = ApiError.of(reason.status(), reason.code(), message);
        details.forEach(e -> {
            if (e.getKey().equals("problems")) error.problemObjects((JsonArray) e.getValue());
            else error.with(e.getKey(), e.getValue());
        });
        error.send(ctx);
    }

    /** The message and the first few problems, as the operator's audit of refusals shows the reason. */
    static String reasonForAudit(String message, JsonObject details) {
        StringBuilder reason = new StringBuilder(message);
        JsonArray problems = details.getValue("problems") instanceof JsonArray a ? a : null;
        if (problems != null) {
            for (int i = 0; i < Math.min(3, problems.size()); i++) {
                if (!(problems.getValue(i) instanceof JsonObject e)) continue;
                reason.append(i == 0 ? ": " : "; ").append(e.getString("field", "?")).append(": ")
                        .append(e.getString("reason", ""));
            }
            if (problems.size() > 3) reason.append("; … ").append(problems.size() - 3).append(" more");
        }
        return reason.toString();
    }

    /** The details of a refused batch: nothing of it was accepted, and why each offending event was refused. */
    static JsonObject withAcceptedNothing(JsonArray problems) {
        return new JsonObject().put("accepted", 0).put("problems", problems);
    }
}
