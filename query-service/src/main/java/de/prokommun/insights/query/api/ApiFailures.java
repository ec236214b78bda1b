package de.prokommun.insights.query.api;

import de.prokommun.insights.privacy.BudgetExhaustedException;
import de.prokommun.insights.query.audience.CityNotConfiguredException;
import de.prokommun.insights.query.audience.CountsUnavailableException;
import de.prokommun.insights.query.audience.ForbiddenFieldException;
import de.prokommun.insights.query.audience.InvalidRequestException;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a failed request into a clear JSON error. Unexpected failures are logged here and answered
 * with a generic 500, so no internal detail (let alone data) reaches the caller.
 */
final class ApiFailures implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(ApiFailures.class);
    private final Clock clock;
    private final int maxBodyBytes;

    ApiFailures(Clock clock, int maxBodyBytes) {
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof InvalidRequestException invalid) {
            ApiErrors.send(ctx, 400, "invalid request", invalid.problems());
        } else if (failure instanceof BudgetExhaustedException exhausted) {
            budgetExhausted(ctx, exhausted);
        } else if (failure instanceof ForbiddenFieldException forbidden) {
            ApiErrors.send(ctx, 403, "not allowed for this API key", List.of(forbidden.problem()));
        } else if (failure instanceof CityNotConfiguredException notConfigured) {
            ApiErrors.send(ctx, 403, notConfigured.getMessage());
        } else if (failure instanceof CountsUnavailableException unavailable) {
            LOG.warn("audience counts unavailable: {}", unavailable.getMessage());
            ctx.response().putHeader("Retry-After", "5");
            ApiErrors.send(ctx, 503, "audience data is unavailable right now; try again shortly");
        } else if (failure == null) {
            byStatus(ctx, ctx.statusCode());
        } else {
            LOG.error("request {} {} failed", ctx.request().method(), ctx.request().path(), failure);
            ApiErrors.send(ctx, 500, "internal error");
        }
    }

    void byStatus(RoutingContext ctx, int status) {
        switch (status) {
            case 404 -> ApiErrors.send(ctx, 404, "no such endpoint: " + ctx.request().method() + " "
                    + ctx.request().path() + "; see GET /api/v1/openapi.yaml");
            case 405 -> ApiErrors.send(ctx, 405, "method " + ctx.request().method() + " not allowed on "
                    + ctx.request().path());
            case 413 -> ApiErrors.send(ctx, 413, "request body larger than " + maxBodyBytes + " bytes");
            case 400 -> ApiErrors.send(ctx, 400, "bad request");
            default -> ApiErrors.send(ctx, status < 400 ? 500 : status, "request failed");
        }
    }

    private void budgetExhausted(RoutingContext ctx, BudgetExhaustedException e) {
        long seconds = Math.max(1, Duration.between(clock.instant(), e.renewsAt()).toSeconds() + 1);
        ctx.response().putHeader("Retry-After", Long.toString(seconds));
        // The city-wide cap's refusal names the share that cannot pay and that published figures stay free.
        String message = e.scope() == BudgetExhaustedException.Scope.ACCOUNT
                ? "privacy budget exhausted for this " + e.period().name().toLowerCase()
                        + "; new questions can be asked again at " + e.renewsAt()
                        + " (questions already answered in this data version stay free)"
                : e.getMessage();
        JsonObject body = ApiErrors.body(429, message, List.of());
        body.getJsonObject("error").put("renewsAt", e.renewsAt().toString()).put("period", e.period().name())
                .put("scope", e.scope().name());
        if (e.budget() != null) body.getJsonObject("error").put("budget", ReleaseJson.budget(e.budget()));
        ApiErrors.send(ctx, 429, body);
    }
}
