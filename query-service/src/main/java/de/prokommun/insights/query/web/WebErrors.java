package de.prokommun.insights.query.web;

import de.prokommun.insights.http.ApiError;
import io.vertx.ext.web.RoutingContext;

/** Error bodies of the dashboards' routes in the one error shape (http-kernel {@link ApiError}). */
final class WebErrors {
    private WebErrors() {}

    static void send(RoutingContext ctx, int status, String message) {
        if (ctx.response().ended()) return;
        if (status == 401) ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"prokommun-insights\"");
        ApiError.of(status, message).send(ctx);
    }
}
