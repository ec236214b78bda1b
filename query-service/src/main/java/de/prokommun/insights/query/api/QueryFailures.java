package de.prokommun.insights.query.api;

import de.prokommun.insights.http.ApiError;
import de.prokommun.insights.http.FailureHandler;
import de.prokommun.insights.http.Problem;
import de.prokommun.insights.privacy.BudgetExhaustedException;
import de.prokommun.insights.query.audience.CityNotConfiguredException;
import de.prokommun.insights.query.audience.CountsUnavailableException;
import de.prokommun.insights.query.audience.ForbiddenFieldException;
import de.prokommun.insights.query.audience.InvalidRequestException;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query service's failures in the one error shape (http-kernel): its question, budget and availability
 * exceptions; everything else is the kernel's {@link FailureHandler}.
 */
final class QueryFailures {

    private static final Logger LOG = LoggerFactory.getLogger(QueryFailures.class);

    private QueryFailures() {}

    static FailureHandler handler(Clock clock, int maxBodyBytes) {
        return new FailureHandler("/api/v1/openapi.yaml", maxBodyBytes, List.of((ctx, failure) -> map(ctx, failure, clock)));
    }

    private static ApiError map(RoutingContext ctx, Throwable failure, Clock clock) {
        if (failure instanceof InvalidRequestException invalid) {
            return ApiError.of(400, "invalid request").problems(invalid.problems());
        } else if (failure instanceof BudgetExhaustedException exhausted) {
            return budgetExhausted(ctx, exhausted, clock);
        } else if (failure instanceof ForbiddenFieldException forbidden) {
            return ApiError.of(403, "not allowed for this API key").problems(List.of(forbidden.problem()));
        } else if (failure instanceof CityNotConfiguredException notConfigured) {
            return ApiError.of(403, "city_not_configured", notConfigured.getMessage());
        } else if (failure instanceof CountsUnavailableException unavailable) {
            LOG.warn("audience counts unavailable: {}", unavailable.getMessage());
            ctx.response().putHeader("Retry-After", "5");
            return ApiError.of(503, "audience data is unavailable right now; try again shortly");
        }
        return null;
    }

    private static ApiError budgetExhausted(RoutingContext ctx, BudgetExhaustedException e, Clock clock) {
        long seconds = Math.max(1, Duration.between(clock.instant(), e.renewsAt()).toSeconds() + 1);
        ctx.response().putHeader("Retry-After", Long.toString(seconds));
        // The city-wide cap's refusal names the share that cannot pay and that published figures stay free.
        String message = e.scope() == BudgetExhaustedException.Scope.ACCOUNT
                ? "privacy budget exhausted for this " + e.period().name().toLowerCase()
                        + "; new questions can be asked again at " + e.renewsAt()
                        + " (questions already answered in this data version stay free)"
                : e.getMessage();
        ApiError error = ApiError.of(429, "budget_exhausted", message).with("renewsAt", e.renewsAt().toString())
                .with("period", e.period().name()).with("scope", e.scope().name());
        if (e.budget() != null) error.with("budget", ReleaseJson.budget(e.budget()));
        return error;
    }
}
