package de.prokommun.insights.http;

import de.prokommun.insights.validation.StrictText;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * A request body that must be one JSON object: declared {@code application/json} in UTF-8 (else 415 naming the type
 * or charset), read strictly ({@link StrictJson}: valid UTF-8, no duplicate key, no trailing content, finite numbers;
 * else 400 naming the line, column and field) and kept for the next handler ({@link #of}).
 */
public final class JsonBodyHandler implements Handler<RoutingContext> {

    private static final String BODY = "http.json-body";

    /** The body the handler read, for the handlers behind it. */
    public static JsonObject of(RoutingContext ctx) {
        return ctx.get(BODY);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String problem = contentTypeProblem(ctx.request().getHeader("Content-Type"));
        if (problem != null) {
            ApiError.of(415, problem).send(ctx);
            return;
        }
        Object parsed;
        try {
            parsed = ctx.body().buffer() == null || ctx.body().buffer().length() == 0 ? null
                    : StrictJson.parse(ctx.body().buffer().getBytes());
        } catch (StrictJson.MalformedJson e) {
            ctx.fail(new RequestFailure(ApiError.of(400, "malformed_json", "the body is not valid JSON")
                    .problems(List.of(new Problem(e.field(), e.getMessage())))));
            return;
        }
        if (!(parsed instanceof JsonObject object)) {
            ctx.fail(new RequestFailure(ApiError.of(400, "invalid_request", "invalid request")
                    .problems(List.of(new Problem("", parsed == null ? "the body is empty; send a JSON object"
                            : "body must be a JSON object")))));
            return;
        }
        ctx.put(BODY, object);
        ctx.next();
    }

    /** Why a Content-Type is not JSON in UTF-8, or null when it is. */
    public static String contentTypeProblem(String type) {
        String mediaType = type == null ? "" : type.split(";", 2)[0].trim();
        if (!mediaType.equalsIgnoreCase("application/json")) {
            return "Content-Type must be application/json but is " + (type == null ? "missing"
                    : "'" + mediaType.replaceAll("[^\\x20-\\x7e]", "?") + "'");
        }
        String charset = StrictText.unsupportedCharset(type);
        if (charset != null) {
            return "charset '" + charset + "' is not accepted; send UTF-8 (Content-Type: application/json; charset=utf-8)";
        }
        return null;
    }
}
