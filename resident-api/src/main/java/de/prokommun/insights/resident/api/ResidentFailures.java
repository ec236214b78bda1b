package de.prokommun.insights.resident.api;

import de.prokommun.insights.http.ApiError;
import de.prokommun.insights.http.FailureHandler;
import de.prokommun.insights.http.Problem;
import de.prokommun.insights.resident.changes.InvalidRequestException;
import de.prokommun.insights.resident.changes.PublishFailedException;
import de.prokommun.insights.resident.data.DataUnavailableException;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resident API's failures in the one error shape (http-kernel): invalid changes (400) and the two transient
 * conditions (Kafka did not take a change, Pinot cannot be read: 503 with Retry-After); everything else is the
 * kernel's {@link FailureHandler} (which logs the route pattern only, never the path of a resident's receipt).
 */
final class ResidentFailures {

    private static final Logger LOG = LoggerFactory.getLogger(ResidentFailures.class);
    static final String RETRY_AFTER_SECONDS = "5";

    private ResidentFailures() {}

    static FailureHandler handler(int maxBodyBytes) {
        return new FailureHandler("/api/v1/me/openapi.yaml", maxBodyBytes, List.of(ResidentFailures::map));
    }

    private static ApiError map(RoutingContext ctx, Throwable failure) {
        if (failure instanceof InvalidRequestException invalid) {
            return ApiError.of(400, "invalid request").problems(invalid.problems());
        } else if (failure instanceof PublishFailedException) {
            LOG.warn("a resident's change could not be published: {}", failure.getMessage());
            ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
            return ApiError.of(503, "the change could not be stored right now; nothing was changed, try again shortly");
        } else if (failure instanceof DataUnavailableException) {
            LOG.warn("a resident's data is unavailable: {}", failure.getMessage());
            ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
            return ApiError.of(503, "your data cannot be read right now; try again shortly");
        }
        return null;
    }
}
