package de.prokommun.insights.query.web;

import de.prokommun.insights.http.ApiError;
import de.prokommun.insights.participants.Participant;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One server-sent event stream carrying the answers of one or more checked subscriptions: each subscribes to the
 * live hub ({@link LiveUpdatesVerticle}) and hears every answer to its question; closing the stream unsubscribes
 * them all. A tagged stream (the page's, {@code POST /api/v1/live}) wraps each answer with its widget's id.
 */
final class LiveChannel {

    private static final long KEEPALIVE_MILLIS = 15_000;

    private LiveChannel() {}

    static void open(RoutingContext ctx, List<LiveRequest.Subscription> subscriptions, boolean tagged) {
        Participant asker = DashboardAuth.participant(ctx);
        String authorization = ctx.request().getHeader("Authorization");
        HttpServerResponse response = ctx.response().setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Accel-Buffering", "no");
        response.write(LiveFrames.comment("live " + String.join(" ", subscriptions.stream().map(s -> s.widget().pathName).toList())));
        EventBus bus = ctx.vertx().eventBus();
        List<MessageConsumer<String>> consumers = new ArrayList<>();
        List<Future<?>> subscribed = new ArrayList<>();
        for (LiveRequest.Subscription s : subscriptions) {
            String key = key(asker, s.widget(), s.body());
            String id = tagged ? s.id() : null;
            MessageConsumer<String> answers = bus.consumer(LiveUpdatesVerticle.ANSWERS + key, m -> send(response, id, m.body()));
            consumers.add(answers);
            subscribed.add(answers.completion().compose(v -> bus.<String>request(LiveUpdatesVerticle.SUBSCRIBE, new JsonObject()
                            .put("key", key).put("authorization", authorization).put("widget", s.widget().name())
                            .put("body", s.body()).put("every", s.every()).put("now", s.now())))
                    .onSuccess(reply -> {
                        if (reply.body() != null) send(response, id, reply.body());
                    }));
        }
        long keepalive = ctx.vertx().setPeriodic(KEEPALIVE_MILLIS, t -> {
            if (!response.ended()) response.write(LiveFrames.comment("keepalive"));
        });
        response.closeHandler(v -> {
            ctx.vertx().cancelTimer(keepalive);
            consumers.forEach(MessageConsumer::unregister);
            for (LiveRequest.Subscription s : subscriptions) {
                bus.send(LiveUpdatesVerticle.UNSUBSCRIBE, new JsonObject().put("key", key(asker, s.widget(), s.body()))
                        .put("every", s.every()));
            }
        });
        Future.all(subscribed).onFailure(e -> {
            String unavailable = new JsonObject().put("status", 503)
                    .put("body", ApiError.of(503, "live updates are not running").toJson()).encode();
            for (LiveRequest.Subscription s : subscriptions) send(response, tagged ? s.id() : null, unavailable);
            if (!response.ended()) response.end();
        });
    }

    private static void send(HttpServerResponse response, String id, String answer) {
        if (!response.ended() && !response.closed()) response.write(LiveFrames.answer(id, answer));
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
