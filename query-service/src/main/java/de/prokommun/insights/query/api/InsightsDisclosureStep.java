package de.prokommun.insights.query.api;

import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.query.insights.InsightAnswer;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiFunction;

/**
 * The privacy check of an insights chain: the insights service computes the true figures and releases them
 * through DisclosureControl on a worker thread; only the released answer travels on (429 when the budget is
 * exhausted, by {@link QueryFailures}).
 */
final class InsightsDisclosureStep<R> implements Handler<RoutingContext> {

    private final BiFunction<Asker, R, InsightAnswer> answerer;

    InsightsDisclosureStep(BiFunction<Asker, R, InsightAnswer> answerer) {
        this.answerer = answerer;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Asker asker = RequestContext.asker(ctx);
        R request = RequestContext.insightsRequest(ctx);
        ctx.vertx().executeBlocking(() -> answerer.apply(asker, request), false)
                .onSuccess(answer -> {
                    RequestContext.insightAnswer(ctx, answer);
                    ctx.next();
                })
                .onFailure(ctx::fail);
    }
}
