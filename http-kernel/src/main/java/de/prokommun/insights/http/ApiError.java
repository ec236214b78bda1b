package de.prokommun.insights.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one error shape of every service (ingestion, query service, resident API), documented in each OpenAPI file:
 * <pre>
 * {"error": {"status": 400, "code": "invalid_request", "message": "...", "retriable": false,
 *            "problems": [{"field": "filter.ageFrom", "reason": "must be at most 120"}], ...}}
 * </pre>
 * {@code status} repeats the HTTP status, {@code code} is stable for programs (snake_case), {@code message} is for
 * people, {@code retriable} says whether the same request may succeed later ({@link Retriable}; with a
 * {@code Retry-After} header), {@code problems} name each offending field and the reason. A service may add its own
 * members inside {@code error} (e.g. {@code renewsAt} of a spent budget, {@code accepted: 0} of a refused batch).
 */
public final class ApiError {

    /** Where {@link #send} leaves the message and the problems as one line, for a service's refusal audit. */
    public static final String REASON = "http.error-reason";
    public static final String JSON = "application/json; charset=utf-8";

    private final int status;
    private final String code;
    private final String message;
    private final List<JsonObject> problems = new ArrayList<>();
    private final JsonObject extra = new JsonObject();

    private ApiError(int status, String code, String message) {
        if (status < 400 || status > 599) throw new IllegalArgumentException("status: an error is 4xx or 5xx, not " + status);
        this.status = status;
        this.code = code == null ? defaultCode(status) : code;
        this.message = message == null ? "" : message;
    }

    /** An error with the status's default code ({@link #defaultCode}). */
    public static ApiError of(int status, String message) {
        return new ApiError(status, null, message);
    }

    public static ApiError of(int status, String code, String message) {
        return new ApiError(status, code, message);
    }

    public ApiError problems(List<Problem> list) {
        list.forEach(p -> problems.add(p.toJson()));
        return this;
    }

    /** Problems that carry more than field and reason (an event's index and id, a CSV row's line). */
    public ApiError problemObjects(JsonArray list) {
        list.forEach(p -> problems.add((JsonObject) p));
        return this;
    }

    /** A service's own member inside {@code error}. */
    public ApiError with(String name, Object value) {
        if (Map.of("status", 0, "code", 0, "message", 0, "retriable", 0, "problems", 0).containsKey(name)) {
            throw new IllegalArgumentException("with: '" + name + "' is a member of the shape itself");
        }
        extra.put(name, value);
        return this;
    }

    public int status() { return status; }

    public String code() { return code; }

    public String message() { return message; }

    public JsonObject toJson() {
        JsonObject error = new JsonObject().put("status", status).put("code", code).put("message", message)
                .put("retriable", Retriable.status(status));
        if (!problems.isEmpty()) error.put("problems", new JsonArray(new ArrayList<>(problems)));
        extra.forEach(e -> error.put(e.getKey(), e.getValue()));
        return new JsonObject().put("error", error);
    }

    /** Answers with this error unless the response has ended; never cached. */
    public void send(RoutingContext ctx) {
        if (ctx.response().ended()) return;
        ctx.put(REASON, reason());
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", JSON)
                .putHeader("Cache-Control", "no-store")
                .end(toJson().encode());
    }

    /** The message and each problem's field and reason, as the caller read them. */
    public String reason() {
        StringBuilder reason = new StringBuilder(message);
        for (int i = 0; i < problems.size(); i++) {
            JsonObject p = problems.get(i);
            reason.append(i == 0 ? ": " : "; ").append(p.getString("field")).append(": ").append(p.getString("reason"));
        }
        return reason.toString();
    }

    /** The code of a status when the service names none. */
    public static String defaultCode(int status) {
        return switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 409 -> "conflict";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 422 -> "unprocessable";
            case 429 -> "too_many_requests";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal_error" : "request_failed";
        };
    }
}
