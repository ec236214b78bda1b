package de.prokommun.insights.query.api;

import de.prokommun.insights.http.ApiError;
import de.prokommun.insights.http.RequestFailure;
import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.query.campaign.CampaignService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The campaign routes (docs/CAMPAIGNS.md). A campaign holds no personal data and is shown as it is; its reach and its
 * results are figures and leave only as released by the privacy layer (through {@link ReleaseJson}). Reads of Pinot
 * and the budget run on a worker thread.
 */
final class CampaignHandlers {

    private final CampaignService campaigns;

    CampaignHandlers(CampaignService campaigns) {
        this.campaigns = campaigns;
    }

    void reach(RoutingContext ctx) {
        Asker asker = RequestContext.asker(ctx);
        String body = ctx.body().asString();
        ctx.vertx().executeBlocking(() -> campaigns.reach(asker, body), false)
                .onSuccess(answer -> ReleaseJson.send(ctx, 200, ReleaseJson.answer(answer)))
                .onFailure(ctx::fail);
    }

    void create(RoutingContext ctx) {
        written(ctx, 201, () -> campaigns.create(RequestContext.asker(ctx), ctx.body().asString()));
    }

    void list(RoutingContext ctx) {
        answered(ctx, () -> campaigns.list(RequestContext.asker(ctx)));
    }

    void get(RoutingContext ctx) {
        answered(ctx, () -> campaigns.get(RequestContext.asker(ctx), ctx.pathParam("id")));
    }

    io.vertx.core.Handler<RoutingContext> change(CampaignService.Action action) {
        return ctx -> written(ctx, 200, () -> campaigns.change(RequestContext.asker(ctx), ctx.pathParam("id"), action));
    }

    void results(RoutingContext ctx) {
        Asker asker = RequestContext.asker(ctx);
        String id = ctx.pathParam("id");
        List<String> by = ctx.queryParam("by");
        String segment = by.isEmpty() ? null : by.get(0);
        ctx.vertx().executeBlocking(() -> campaigns.results(asker, id, segment), false)
                .onSuccess(answer -> ReleaseJson.send(ctx, 200, ReleaseJson.insight(answer)))
                .onFailure(ctx::fail);
    }

    void operatorWeeklyCap(RoutingContext ctx) {
        Asker asker = RequestContext.asker(ctx);
        ctx.vertx().executeBlocking(() -> campaigns.operatorWeeklyCap(asker), false)
                .onSuccess(answer -> ReleaseJson.send(ctx, 200, ReleaseJson.insight(answer)))
                .onFailure(ctx::fail);
    }

    void operator(RoutingContext ctx) {
        answered(ctx, () -> campaigns.operatorCounts(RequestContext.asker(ctx)));
    }

    private static void answered(RoutingContext ctx, java.util.function.Supplier<JsonObject> answer) {
        JsonObject body;
        try {
            body = answer.get();
        } catch (RuntimeException e) {
            ctx.fail(e);
            return;
        }
        ReleaseJson.send(ctx, 200, body);
    }

    private static void written(RoutingContext ctx, int status,
                                java.util.function.Supplier<CompletionStage<JsonObject>> write) {
        CompletionStage<JsonObject> written;
        try {
            written = write.get();
        } catch (RuntimeException e) {
            ctx.fail(e);
            return;
        }
        Future.fromCompletionStage(written, ctx.vertx().getOrCreateContext())
                .onSuccess(json -> {
                    if (status == 201) ctx.response().putHeader("Location", "/api/v1/campaigns/" + json.getString("campaignId"));
                    ReleaseJson.send(ctx, status, json);
                })
                // Kafka did not take the record: the client may retry (nothing was stored)
                .onFailure(e -> ctx.fail(e instanceof RequestFailure ? e
                        : new RequestFailure(ApiError.of(503, "campaigns_unavailable",
                                "the campaign could not be stored right now; try again shortly"))));
    }
}
