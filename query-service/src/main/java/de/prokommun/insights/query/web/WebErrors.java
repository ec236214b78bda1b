package de.prokommun.insights.query.web;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Error bodies in the query API's shape: {"error": {"status": 403, "message": "..."}}. */
final class WebErrors {
    private WebErrors() {}

    static void send(RoutingContext ctx, int status, String message) {
        if (ctx.response().ended()) return;
        if (status == 401) ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"prokommun-insights\"");
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .end(new JsonObject().put("error", new JsonObject().put("status", status).put("message", message)).encode());
    }
}
