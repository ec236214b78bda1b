package de.prokommun.insights.ingestion.api;

import de.prokommun.insights.ingestion.IngestionMetrics;
import de.prokommun.insights.ingestion.RejectionReason;
import de.prokommun.insights.ingestion.audit.RefusalReporter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writes every error of the API in one JSON shape: {@code {"error": code, "message": text, ...}}. */
public final class ApiErrors {

    static final String JSON = "application/json; charset=utf-8";
    private final IngestionMetrics metrics;

    public ApiErrors(IngestionMetrics metrics) {
        this.metrics = metrics;
    }

    public void reject(RoutingContext ctx, RejectionReason reason, String message) {
        reject(ctx, reason, message, 0, new JsonObject());
    }

    /** Rejects a request that carried {@code events} events, adding {@code details} to the body. */
    public void reject(RoutingContext ctx, RejectionReason reason, String message, int events, JsonObject details) {
        metrics.rejected(reason, events);
        ctx.put(RefusalReporter.REASON, reasonForAudit(message, details)); // audited with the refusal
        JsonObject body = new JsonObject().put("error", reason.code()).put("message", message);
        details.forEach(e -> body.put(e.getKey(), e.getValue()));
        if (ctx.response().ended()) return;
        ctx.response().setStatusCode(reason.status()).putHeader("Content-Type", JSON).end(body.encode());
    }

    /** The message and the first few field errors, as the operator's audit of refusals shows the reason. */
    static String reasonForAudit(String message, JsonObject details) {
        StringBuilder reason = new StringBuilder(message);
        JsonArray errors = details.getValue("errors") instanceof JsonArray a ? a : null;
        if (errors != null) {
            for (int i = 0; i < Math.min(3, errors.size()); i++) {
                if (!(errors.getValue(i) instanceof JsonObject e)) continue;
                reason.append(i == 0 ? ": " : "; ").append(e.getString("field", "?")).append(": ")
                        .append(e.getString("reason", ""));
            }
            if (errors.size() > 3) reason.append("; … ").append(errors.size() - 3).append(" more");
        }
        return reason.toString();
    }

    static JsonObject withAcceptedNothing(JsonArray errors) {
        return new JsonObject().put("accepted", 0).put("errors", errors);
    }
}
