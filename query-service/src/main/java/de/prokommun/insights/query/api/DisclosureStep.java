package de.prokommun.insights.query.api;

import de.prokommun.insights.query.audience.AudienceService;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The privacy check of the chain: the audience service computes the true counts and releases them
 * through DisclosureControl (budget, noise, suppression, audit) on a worker thread. Only the released
 * answer travels on; an exhausted budget fails the request (429 by {@link QueryFailures}).
 */
final class DisclosureStep implements Handler<RoutingContext> {

    private final AudienceService audiences;

    DisclosureStep(AudienceService audiences) {
        this.audiences = audiences;
    }

    @Override
    public void handle(RoutingContext ctx) {
        var asker = RequestContext.asker(ctx);
        var request = RequestContext.request(ctx);
        ctx.vertx().executeBlocking(() -> audiences.answer(asker, request), false)
                .onSuccess(answer -> {
                    RequestContext.answer(ctx, answer);
                    ctx.next();
                })
                .onFailure(ctx::fail);
    }
}
