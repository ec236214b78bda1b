package de.prokommun.insights.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiErrorTest {

    @Test
    void theOneShapeHoldsStatusCodeMessageRetriableProblemsAndTheServicesOwnMembers() {
        JsonObject body = ApiError.of(400, "invalid request")
                .problems(List.of(new Problem("filter.ageFrom", "must be at most 120")))
                .with("accepted", 0).toJson();
        assertThat(body.fieldNames()).containsExactly("error");
        assertThat(body.getJsonObject("error")).isEqualTo(new JsonObject().put("status", 400).put("code", "invalid_request")
                .put("message", "invalid request").put("retriable", false)
                .put("problems", new JsonArray().add(new JsonObject().put("field", "filter.ageFrom").put("reason", "must be at most 120")))
                .put("accepted", 0));
    }

    @Test
    void onlyLimitsAndUnavailableDependenciesAreRetriable() {
        for (int status : List.of(400, 401, 403, 404, 405, 409, 413, 415, 422, 500)) {
            assertThat(ApiError.of(status, "x").toJson().getJsonObject("error").getBoolean("retriable")).as("" + status).isFalse();
        }
        for (int status : List.of(429, 502, 503, 504)) {
            assertThat(ApiError.of(status, "x").toJson().getJsonObject("error").getBoolean("retriable")).as("" + status).isTrue();
        }
    }

    @Test
    void aServiceNamesItsOwnCodeElseTheStatusGivesIt() {
        assertThat(ApiError.of(409, "event_id_conflict", "x").code()).isEqualTo("event_id_conflict");
        assertThat(ApiError.of(413, "x").code()).isEqualTo("payload_too_large");
        assertThat(ApiError.of(503, "x").code()).isEqualTo("unavailable");
        assertThat(ApiError.of(429, "x").code()).isEqualTo("too_many_requests");
    }

    @Test
    void theReasonForTheAuditNamesEachFieldAndMembersOfTheShapeCannotBeOverwritten() {
        ApiError e = ApiError.of(400, "invalid request").problems(List.of(new Problem("a", "too big"), new Problem("b", "missing")));
        assertThat(e.reason()).isEqualTo("invalid request: a: too big; b: missing");
        assertThatThrownBy(() -> ApiError.of(400, "x").with("status", 200)).hasMessageContaining("'status'");
        assertThatThrownBy(() -> ApiError.of(200, "x")).hasMessageContaining("status");
        assertThatThrownBy(() -> new Problem("a", " ")).hasMessageContaining("reason");
    }
}
