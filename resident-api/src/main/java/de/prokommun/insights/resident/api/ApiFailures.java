package de.prokommun.insights.resident.api;

import de.prokommun.insights.resident.changes.InvalidRequestException;
import de.prokommun.insights.resident.changes.PublishFailedException;
import de.prokommun.insights.resident.data.DataUnavailableException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a failed request into a clear JSON error. Unexpected failures are logged (method and route only,
 * never the path of a resident's receipt) and answered with a generic 500.
 */
final class ApiFailures implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(ApiFailures.class);
    static final String RETRY_AFTER_SECONDS = "5";
    private final int maxBodyBytes;

    ApiFailures(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof InvalidRequestException invalid) {
            ApiErrors.send(ctx, 400, "invalid request", invalid.problems());
        } else if (failure instanceof PublishFailedException) {
            LOG.warn("a resident's change could not be published: {}", failure.getMessage());
            ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
            ApiErrors.send(ctx, 503, "the change could not be stored right now; nothing was changed, try again shortly");
        } else if (failure instanceof DataUnavailableException) {
            LOG.warn("a resident's data is unavailable: {}", failure.getMessage());
            ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
            ApiErrors.send(ctx, 503, "your data cannot be read right now; try again shortly");
        } else if (failure == null) {
            byStatus(ctx, ctx.statusCode());
        } else {
            LOG.error("request {} {} failed", ctx.request().method(), ctx.currentRoute() == null ? "?" : ctx.currentRoute().getPath(), failure);
            ApiErrors.send(ctx, 500, "internal error");
        }
    }

    private void byStatus(RoutingContext ctx, int status) {
        switch (status) {
            case 404 -> ApiErrors.send(ctx, 404, "no such endpoint: " + ctx.request().method() + " "
                    + ctx.request().path() + "; see GET /api/v1/me/openapi.yaml");
            case 405 -> ApiErrors.send(ctx, 405, "method " + ctx.request().method() + " not allowed on " + ctx.request().path());
            case 413 -> ApiErrors.send(ctx, 413, "request body larger than " + maxBodyBytes + " bytes");
            case 400 -> ApiErrors.send(ctx, 400, "bad request");
            default -> ApiErrors.send(ctx, status < 400 ? 500 : status, "request failed");
        }
    }
}
