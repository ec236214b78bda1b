package de.prokommun.insights.resident.api;

import de.prokommun.insights.resident.changes.FieldProblem;
import de.prokommun.insights.resident.changes.InvalidRequestException;
import de.prokommun.insights.validation.StrictText;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Bodies must be declared JSON in UTF-8 (else 415, naming the charset), be valid UTF-8 ({@link StrictText}: an
 * overlong sequence is a 400, never silently altered) and one JSON object (else 400); the object is kept for the
 * next handler.
 */
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
        String charset = StrictText.unsupportedCharset(type);
        if (charset != null) {
            ApiErrors.send(ctx, 415, "charset '" + charset + "' is not accepted; send UTF-8 (Content-Type: application/json;"
                    + " charset=utf-8)");
            return;
        }
        Object parsed;
        try {
            parsed = ctx.body().buffer() == null ? null
                    : io.vertx.core.json.Json.decodeValue(StrictText.decodeUtf8(ctx.body().buffer().getBytes()));
        } catch (StrictText.MalformedUtf8 e) {
            ctx.fail(new InvalidRequestException(List.of(new FieldProblem("", e.getMessage()))));
            return;
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
