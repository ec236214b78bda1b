package de.prokommun.insights.query.web;

import de.prokommun.insights.participants.Participant;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code GET /api/v1/live/<widget>?q=<the widget's request JSON>&every=<n>&now=<bool>}: a server-sent event
 * stream. Each event {@code answer} carries {"status", "body", "refresh"} exactly as the query API answered the
 * question; a new one follows every n-th data version (default 1; 0 = only on demand). A stream opened with
 * {@code now=true} is an on-demand refresh: the question is asked in the current version unless it already was
 * (then the cached answer); without it, a remembered answer that still stands is sent instead of asking. The
 * browser reads it with fetch (so the key travels in the Authorization header, never in a URL).
 */
final class LiveStream implements Handler<RoutingContext> {

    /** Parsed and checked request: which widget, which question, how often; or the error already sent. */
    record Request(LiveWidget widget, String body, int every, boolean now, String key) {}

    private static final long KEEPALIVE_MILLIS = 15_000;
    private static final int MAX_QUESTION_CHARS = 16 * 1024;

    @Override
    public void handle(RoutingContext ctx) {
        Request q = request(ctx);
        if (q == null) return;
        String authorization = ctx.request().getHeader("Authorization");
        LiveWidget widget = q.widget();
        String key = q.key();
        String body = q.body();

        HttpServerResponse response = ctx.response().setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Accel-Buffering", "no");
        response.write(": live " + widget.pathName + "\n\n");
        var bus = ctx.vertx().eventBus();
        MessageConsumer<String> answers = bus.consumer(LiveUpdatesVerticle.ANSWERS + key, m -> send(response, m.body()));
        long keepalive = ctx.vertx().setPeriodic(KEEPALIVE_MILLIS, id -> {
            if (!response.ended()) response.write(": keepalive\n\n");
        });
        response.closeHandler(v -> {
            ctx.vertx().cancelTimer(keepalive);
            answers.unregister();
            bus.send(LiveUpdatesVerticle.UNSUBSCRIBE, new JsonObject().put("key", key).put("every", q.every()));
        });
        answers.completion().compose(v -> bus.<String>request(LiveUpdatesVerticle.SUBSCRIBE, new JsonObject()
                        .put("key", key).put("authorization", authorization).put("widget", widget.name())
                        .put("body", body).put("every", q.every()).put("now", q.now())))
                .onSuccess(reply -> {
                    if (reply.body() != null) send(response, reply.body());
                })
                .onFailure(e -> {
                    send(response, new JsonObject().put("status", 503).put("body",
                            de.prokommun.insights.http.ApiError.of(503, "live updates are not running").toJson()).encode());
                    response.end();
                });
    }

    /** The widget, question and refresh interval of a request; null after sending a 4xx naming the field. */
    private static Request request(RoutingContext ctx) {
        var widget = LiveWidget.of(ctx.pathParam("widget"));
        if (widget.isEmpty()) {
            WebErrors.send(ctx, 404, "no live widget '" + ctx.pathParam("widget") + "'; known: audience-size, affinity,"
                    + " product-history, assortment-check, trend, budget");
            return null;
        }
        String body = ctx.request().getParam("q", "{}");
        if (body.length() > MAX_QUESTION_CHARS) {
            WebErrors.send(ctx, 413, "q: the question is longer than " + MAX_QUESTION_CHARS + " characters");
            return null;
        }
        try {
            new JsonObject(body);
        } catch (RuntimeException e) {
            WebErrors.send(ctx, 400, "q: must be the widget's request as a JSON object");
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
        Participant asker = DashboardAuth.participant(ctx);
        return new Request(widget.get(), body, every, Boolean.parseBoolean(nowParam), key(asker, widget.get(), body));
    }

    private static void send(HttpServerResponse response, String answer) {
        if (!response.ended() && !response.closed()) response.write("event: answer\ndata: " + answer + "\n\n");
    }

    /** Same asker, widget and question share one subscription; the key itself is not kept in the name. */
    static String key(Participant asker, LiveWidget widget, String body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((asker.city() + "\n" + asker.id() + "\n" + widget.name() + "\n" + body).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
