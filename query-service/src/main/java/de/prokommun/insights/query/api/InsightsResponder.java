package de.prokommun.insights.query.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Ends an insights request with the released answer, and nothing else. */
final class InsightsResponder implements Handler<RoutingContext> {

    @Override
    public void handle(RoutingContext ctx) {
        ReleaseJson.send(ctx, 200, ReleaseJson.insight(RequestContext.insightAnswer(ctx)));
    }
}
