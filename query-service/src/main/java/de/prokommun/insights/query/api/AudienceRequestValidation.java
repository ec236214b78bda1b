package de.prokommun.insights.query.api;

import de.prokommun.insights.query.audience.AudienceService;
import de.prokommun.insights.query.audience.ForbiddenFieldException;
import de.prokommun.insights.query.audience.InvalidRequestException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Parses and validates the body against the asker's city; every bad field ends the request with 400. */
final class AudienceRequestValidation implements Handler<RoutingContext> {

    private final AudienceService audiences;

    AudienceRequestValidation(AudienceService audiences) {
        this.audiences = audiences;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String body = ctx.body().asString();
        if (body == null || body.isBlank()) {
            ctx.fail(400, new InvalidRequestException("body", "missing; expected a JSON object with 'filter'"));
            return;
        }
        try {
            RequestContext.request(ctx, audiences.parse(RequestContext.asker(ctx), body));
        } catch (InvalidRequestException e) {
            ctx.fail(400, e);
            return;
        } catch (ForbiddenFieldException e) {
            ctx.fail(403, e);
            return;
        }
        ctx.next();
    }
}
