package de.prokommun.insights.query.web;

import de.prokommun.insights.http.ApiError;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/v1/live} with {"subscriptions": [{"id", "widget", "question", "every", "now"}]}: one
 * server-sent event stream for all live widgets of a page; each event {@code answer} is {"id": the widget's id,
 * "answer": {"status", "body", "refresh"}}. The page changes its widgets by opening a new stream with the new list
 * and closing the old one: answers that still stand are sent again from the hub's memory, not asked again.
 * A bad list is refused before the stream with a 400 whose problems name each field.
 */
final class LiveMultiStream implements Handler<RoutingContext> {

    @Override
    public void handle(RoutingContext ctx) {
        try {
            LiveChannel.open(ctx, LiveRequest.parse(ctx.body().asString()), true);
        } catch (LiveRequest.Invalid e) {
            ApiError.of(400, "the live widgets could not be subscribed; nothing was asked").problems(e.problems).send(ctx);
        }
    }
}
