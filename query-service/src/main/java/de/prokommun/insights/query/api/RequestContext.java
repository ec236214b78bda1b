package de.prokommun.insights.query.api;

import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.query.audience.AudienceAnswer;
import de.prokommun.insights.query.audience.AudienceRequest;
import de.prokommun.insights.query.insights.InsightAnswer;
import io.vertx.ext.web.RoutingContext;

/** What the chained handlers of one request hand on to each other. */
final class RequestContext {
    private RequestContext() {}

    private static final String ASKER = "query.asker";
    private static final String REQUEST = "query.audience-request";
    private static final String ANSWER = "query.audience-answer";
    private static final String INSIGHTS_REQUEST = "query.insights-request";
    private static final String INSIGHT_ANSWER = "query.insight-answer";

    static void asker(RoutingContext ctx, Asker asker) { ctx.put(ASKER, asker); }

    static Asker asker(RoutingContext ctx) {
        Asker asker = ctx.get(ASKER);
        if (asker == null) throw new IllegalStateException("route without authentication");
        return asker;
    }

    static void request(RoutingContext ctx, AudienceRequest request) { ctx.put(REQUEST, request); }

    static AudienceRequest request(RoutingContext ctx) { return ctx.get(REQUEST); }

    static void answer(RoutingContext ctx, AudienceAnswer answer) { ctx.put(ANSWER, answer); }

    static AudienceAnswer answer(RoutingContext ctx) { return ctx.get(ANSWER); }

    static void insightsRequest(RoutingContext ctx, Object request) { ctx.put(INSIGHTS_REQUEST, request); }

    static <R> R insightsRequest(RoutingContext ctx) { return ctx.get(INSIGHTS_REQUEST); }

    static void insightAnswer(RoutingContext ctx, InsightAnswer answer) { ctx.put(INSIGHT_ANSWER, answer); }

    static InsightAnswer insightAnswer(RoutingContext ctx) { return ctx.get(INSIGHT_ANSWER); }
}
