package de.prokommun.insights.query.web;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code GET /api/v1/live/<widget>?q=<the widget's request JSON>&every=<n>&now=<bool>}: a server-sent event
 * stream of one widget. Each event {@code answer} carries {"status", "body", "refresh"} exactly as the query API
 * answered the question; a new one follows every n-th data version (default 1; 0 = only on demand). A stream
 * opened with {@code now=true} is an on-demand refresh: the question is asked in the current version unless it
 * already was (then the cached answer); without it, a remembered answer that still stands is sent instead of
 * asking. A page with several live widgets uses one stream for all ({@link LiveMultiStream}): a browser holds at
 * most six HTTP/1.1 connections to a host.
 */
final class LiveStream implements Handler<RoutingContext> {

    @Override
    public void handle(RoutingContext ctx) {
        LiveRequest.Subscription s = request(ctx);
        if (s != null) LiveChannel.open(ctx, List.of(s), false);
    }

    /** The widget, question and refresh interval of a request; null after sending a 4xx naming the field. */
    private static LiveRequest.Subscription request(RoutingContext ctx) {
        var widget = LiveWidget.of(ctx.pathParam("widget"));
        if (widget.isEmpty()) {
            WebErrors.send(ctx, 404, "no live widget '" + ctx.pathParam("widget") + "'; known: " + LiveWidget.known());
            return null;
        }
        String body = ctx.request().getParam("q", "{}");
        if (body.length() > LiveRequest.MAX_QUESTION_CHARS) {
            WebErrors.send(ctx, 413, "q: the question is longer than " + LiveRequest.MAX_QUESTION_CHARS + " characters");
            return null;
        }
        JsonObject question;
        try {
            question = new JsonObject(body);
        } catch (RuntimeException e) {
            WebErrors.send(ctx, 400, "q: must be the widget's request as a JSON object");
            return null;
        }
        String pathProblem = widget.get().pathProblem(question);
        if (pathProblem != null) {
            WebErrors.send(ctx, 400, "q." + widget.get().pathParameter + ": " + pathProblem);
            return null;
        }
        String everyParam = ctx.request().getParam("every", "1");
        int every;
        try {
            every = Integer.parseInt(everyParam);
        } catch (NumberFormatException e) {
            every = -1;
        }
        if (every < 0 || every > LiveSubscriptions.MAX_EVERY) {
            WebErrors.send(ctx, 400, "every: must be a whole number of data versions from 0 (on demand only) to "
                    + LiveSubscriptions.MAX_EVERY + ", got '" + everyParam + "'");
            return null;
        }
        String nowParam = ctx.request().getParam("now", "false");
        if (!nowParam.equals("true") && !nowParam.equals("false")) {
            WebErrors.send(ctx, 400, "now: must be true or false, got '" + nowParam + "'");
            return null;
        }
        return new LiveRequest.Subscription(widget.get().pathName, widget.get(), body, every, Boolean.parseBoolean(nowParam));
    }
}
