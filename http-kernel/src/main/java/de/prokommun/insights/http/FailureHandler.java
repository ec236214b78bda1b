package de.prokommun.insights.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failed request of a service into the one error shape ({@link ApiError}). In order: a
 * {@link RequestFailure} is sent as it is; the service's own {@link Mapping}s (its domain exceptions); a
 * {@link RetriableFailure} is a 503 with {@code Retry-After} and one warning line; a bare status (404, 405, 413
 * from routing and the body handler) gets its message; anything else is a defect: logged with its stack trace
 * (method and route pattern only, never a path that may hold a receipt) and answered 500 without detail.
 */
public final class FailureHandler implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);

    /** A service's answer to one kind of failure, or null when the failure is not of that kind. */
    @FunctionalInterface
    public interface Mapping {
        ApiError map(RoutingContext ctx, Throwable failure);
    }

    private final String openApiPath;
    private final int maxBodyBytes;
    private final List<Mapping> mappings;

    /**
     * @param openApiPath  where the service documents its routes (named in a 404)
     * @param maxBodyBytes the body limit (named in a 413)
     */
    public FailureHandler(String openApiPath, int maxBodyBytes, List<Mapping> mappings) {
        this.openApiPath = openApiPath;
        this.maxBodyBytes = maxBodyBytes;
        this.mappings = List.copyOf(mappings);
    }

    @Override
    public void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof RequestFailure request) {
            request.error().send(ctx);
            return;
        }
        if (failure != null) {
            for (Mapping m : mappings) {
                ApiError error = m.map(ctx, failure);
                if (error != null) {
                    error.send(ctx);
                    return;
                }
            }
            RetriableFailure transient_ = retriable(failure);
            if (transient_ != null) {
                LOG.warn("{} {}: {}", ctx.request().method(), route(ctx), failure.getMessage());
                ctx.response().putHeader("Retry-After", Integer.toString(transient_.retryAfterSeconds()));
                ApiError.of(503, transient_.publicMessage()).send(ctx);
                return;
            }
            LOG.error("request {} {} failed", ctx.request().method(), route(ctx), failure);
            ApiError.of(500, "internal error").send(ctx);
            return;
        }
        byStatus(ctx, ctx.statusCode()).send(ctx);
    }

    /** The answer to a bare status (routing's 404 and 405, the body handler's 413). */
    public ApiError byStatus(RoutingContext ctx, int status) {
        return switch (status) {
            case 404 -> ApiError.of(404, "no such endpoint: " + ctx.request().method() + " " + ctx.request().path()
                    + "; see GET " + openApiPath);
            case 405 -> ApiError.of(405, "method " + ctx.request().method() + " not allowed on " + ctx.request().path());
            case 413 -> ApiError.of(413, "request body larger than " + maxBodyBytes + " bytes");
            case 400 -> ApiError.of(400, "bad request");
            default -> ApiError.of(status < 400 ? 500 : status, "request failed");
        };
    }

    private static RetriableFailure retriable(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof RetriableFailure r) return r;
        }
        return null;
    }

    private static String route(RoutingContext ctx) {
        return ctx.currentRoute() == null || ctx.currentRoute().getPath() == null ? "?" : ctx.currentRoute().getPath();
    }
}
