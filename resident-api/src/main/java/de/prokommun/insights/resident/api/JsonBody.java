package de.prokommun.insights.resident.api;

import de.prokommun.insights.resident.changes.FieldProblem;
import de.prokommun.insights.resident.changes.InvalidRequestException;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** Bodies must be declared JSON (else 415) and be one JSON object (else 400); the object is kept for the next handler. */
final class JsonBody implements Handler<RoutingContext> {

    private static final String BODY = "jsonBody";

    static JsonObject of(RoutingContext ctx) {
        return ctx.get(BODY);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        String mediaType = type == null ? "" : type.split(";", 2)[0].trim();
        if (!mediaType.equalsIgnoreCase("application/json")) {
            ApiErrors.send(ctx, 415, "Content-Type must be application/json but is " + (type == null ? "missing" : "'"
                    + mediaType.replaceAll("[^\\x20-\\x7e]", "?") + "'"));
            return;
        }
        Object parsed;
        try {
            parsed = ctx.body().buffer() == null ? null : io.vertx.core.json.Json.decodeValue(ctx.body().buffer());
        } catch (DecodeException e) {
            ctx.fail(new InvalidRequestException(List.of(new FieldProblem("", "body is not valid JSON"))));
            return;
        }
        if (!(parsed instanceof JsonObject object)) {
            ctx.fail(new InvalidRequestException(List.of(new FieldProblem("", "body must be a JSON object"))));
            return;
        }
        ctx.put(BODY, object);
        ctx.next();
    }
}
