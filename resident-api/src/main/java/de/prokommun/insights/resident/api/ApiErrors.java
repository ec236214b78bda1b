package de.prokommun.insights.resident.api;

import de.prokommun.insights.resident.changes.FieldProblem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** Error bodies: {"error": {"status": 400, "message": "...", "problems": [{"field": ..., "reason": ...}]}}. */
final class ApiErrors {
    private ApiErrors() {}

    static void send(RoutingContext ctx, int status, String message) {
        send(ctx, status, message, List.of());
    }

    static void send(RoutingContext ctx, int status, String message, List<FieldProblem> problems) {
        if (ctx.response().ended()) return;
        JsonObject error = new JsonObject().put("status", status).put("message", message);
        if (!problems.isEmpty()) {
            JsonArray list = new JsonArray();
            problems.forEach(p -> list.add(new JsonObject().put("field", p.field()).put("reason", p.reason())));
            error.put("problems", list);
        }
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .end(new JsonObject().put("error", error).encode());
    }
}
