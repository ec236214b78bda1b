package de.prokommun.insights.query.api;

import de.prokommun.insights.query.audience.AudienceService;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** The asker's remaining privacy budget; costs nothing. */
final class BudgetHandler implements Handler<RoutingContext> {

    private final AudienceService audiences;

    BudgetHandler(AudienceService audiences) {
        this.audiences = audiences;
    }

    @Override
    public void handle(RoutingContext ctx) {
        var asker = RequestContext.asker(ctx);
        ctx.vertx().executeBlocking(() -> audiences.budget(asker), false)
                .onSuccess(budget -> ReleaseJson.send(ctx, 200, ReleaseJson.budget(budget)))
                .onFailure(ctx::fail);
    }
}
