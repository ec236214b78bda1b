package de.prokommun.insights.ingestion.api;

import de.prokommun.insights.ingestion.IngestionMetrics;
import de.prokommun.insights.ingestion.RejectionReason;
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
        JsonObject body = new JsonObject().put("error", reason.code()).put("message", message);
        details.forEach(e -> body.put(e.getKey(), e.getValue()));
        if (ctx.response().ended()) return;
        ctx.response().setStatusCode(reason.status()).putHeader("Content-Type", JSON).end(body.encode());
    }

    static JsonObject withAcceptedNothing(JsonArray errors) {
        return new JsonObject().put("accepted", 0).put("errors", errors);
    }
}
