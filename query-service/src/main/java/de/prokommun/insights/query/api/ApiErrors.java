package de.prokommun.insights.query.api;

import de.prokommun.insights.query.audience.FieldProblem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** Error bodies: {"error": {"status": 400, "message": "...", "problems": [{"field": ..., "reason": ...}]}}. */
final class ApiErrors {
    private ApiErrors() {}

    /** Where the reason given to the asker is left for the refusal audit (the same key as RefusalAudit.REASON). */
    static final String REFUSAL_REASON = "query.refusal-reason";

    static void send(RoutingContext ctx, int status, String message) {
        send(ctx, status, message, List.of());
    }

    static void send(RoutingContext ctx, int status, String message, List<FieldProblem> problems) {
        send(ctx, status, body(status, message, problems));
    }

    static void send(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().ended()) return;
        ctx.put(REFUSAL_REASON, reasonOf(body)); // audited with the refusal (query.audit.RefusalAudit)
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .end(body.encode());
    }

    /** The message and each problem's field and reason, as the asker read them. */
    private static String reasonOf(JsonObject body) {
        JsonObject error = body.getJsonObject("error");
        if (error == null) return body.encode();
        StringBuilder reason = new StringBuilder(String.valueOf(error.getString("message")));
        JsonArray problems = error.getJsonArray("problems");
        if (problems != null) {
            for (int i = 0; i < problems.size(); i++) {
                JsonObject p = problems.getJsonObject(i);
                reason.append(i == 0 ? ": " : "; ").append(p.getString("field")).append(": ").append(p.getString("reason"));
            }
        }
        return reason.toString();
    }

    static JsonObject body(int status, String message, List<FieldProblem> problems) {
        JsonObject error = new JsonObject().put("status", status).put("message", message);
        if (!problems.isEmpty()) {
            JsonArray list = new JsonArray();
            problems.forEach(p -> list.add(new JsonObject().put("field", p.field()).put("reason", p.reason())));
            error.put("problems", list);
        }
        return new JsonObject().put("error", error);
    }
}
