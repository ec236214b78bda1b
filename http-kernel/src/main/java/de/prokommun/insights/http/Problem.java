package de.prokommun.insights.http;

import io.vertx.core.json.JsonObject;

/** One offending field of a request and why: {"field": "filter.ageFrom", "reason": "must be at most 120"}. */
public record Problem(String field, String reason) {

    public Problem {
        if (field == null) field = "";
        if (reason == null || reason.isBlank()) throw new IllegalArgumentException("reason: a problem must say why");
    }

    public JsonObject toJson() {
        return new JsonObject().put("field", field).put("reason", reason);
    }
}
