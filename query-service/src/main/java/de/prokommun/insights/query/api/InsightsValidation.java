package de.prokommun.insights.query.api;

import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.query.audience.ForbiddenFieldException;
import de.prokommun.insights.query.audience.InvalidRequestException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiFunction;

/** Parses and validates an insights question against the asker's city: 400 for bad fields, 403 for forbidden ones. */
final class InsightsValidation<R> implements Handler<RoutingContext> {

    private final BiFunction<Asker, String, R> parser;

    InsightsValidation(BiFunction<Asker, String, R> parser) {
        this.parser = parser;
    }

    @Override
    public void handle(RoutingContext ctx) {
        try {
            RequestContext.insightsRequest(ctx, parser.apply(RequestContext.asker(ctx), ctx.body().asString()));
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
