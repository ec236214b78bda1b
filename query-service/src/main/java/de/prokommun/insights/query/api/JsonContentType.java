package de.prokommun.insights.query.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Bodies must be declared JSON; anything else is 415 before the body is read. */
final class JsonContentType implements Handler<RoutingContext> {

    @Override
    public void handle(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        String mediaType = type == null ? "" : type.split(";", 2)[0].trim();
        if (!mediaType.equalsIgnoreCase("application/json")) {
            de.prokommun.insights.http.ApiError.of(415, "Content-Type must be application/json but is "
                    + (type == null ? "missing" : "'" + shortened(mediaType) + "'")).send(ctx);
            return;
        }
        ctx.next();
    }

    private static String shortened(String s) {
        String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
    }
}
