package de.prokommun.insights.query.web;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps open widgets live: at most once per data version and question it asks the query service's own API
 * (the same validation, DisclosureControl and JSON as any request, with the asker's own key) and publishes
 * the answer to every open stream of that question. Never asks more often: within a version the privacy
 * layer would answer the same anyway, and each ask is audited. Costly questions (one ε per cell) are asked
 * only every n-th version or on demand, as their streams ask for (see {@link LiveSubscriptions}).
 */
public final class LiveUpdatesVerticle extends VerticleBase {

    static final String SUBSCRIBE = "prokommun.live.subscribe";
    static final String UNSUBSCRIBE = "prokommun.live.unsubscribe";
    static final String ANSWERS = "prokommun.live.answer.";
    /** Asked a moment after the version starts, so the new version's data is what is counted. */
    private static final long AFTER_BOUNDARY_MILLIS = 200;

    private final URI queryUrl;
    private final VersionClock versions;
    private final LiveSubscriptions subscriptions = new LiveSubscriptions();
    private HttpClient http;
    private long timer = -1;

    public LiveUpdatesVerticle(URI queryUrl, Duration dataVersionPeriod, Clock clock) {
        this.queryUrl = queryUrl;
        this.versions = new VersionClock(clock, dataVersionPeriod);
    }

    @Override
    public Future<?> start() {
        http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(queryUrl.getHost())
                .setDefaultPort(queryUrl.getPort()));
        vertx.eventBus().<JsonObject>consumer(SUBSCRIBE, this::subscribe);
        vertx.eventBus().<JsonObject>consumer(UNSUBSCRIBE, m -> subscriptions.unsubscribe(m.body().getString("key"),
                m.body().getInteger("every", 1)));
        scheduleNextVersion();
        return Future.succeededFuture();
    }

    private void subscribe(Message<JsonObject> m) {
        JsonObject b = m.body();
        var entry = subscriptions.subscribe(new LiveSubscriptions.Question(b.getString("key"),
                b.getString("authorization"), LiveWidget.valueOf(b.getString("widget")), b.getString("body")),
                b.getInteger("every", 1));
        if (LiveSubscriptions.claim(entry, versions.current(), b.getBoolean("now", false))) {
            askAndPublish(entry).onSuccess(m::reply);
        } else {
            // The remembered answer still stands; or another stream's ask is in flight and reaches this one too.
            m.reply(entry.lastAnswer);
        }
    }

    private Future<String> askAndPublish(LiveSubscriptions.Entry e) {
        return ask(e).onSuccess(answer -> vertx.eventBus().publish(ANSWERS + e.question.key(), answer));
    }

    private void scheduleNextVersion() {
        timer = vertx.setTimer(versions.millisToNext() + AFTER_BOUNDARY_MILLIS, id -> {
            List<LiveSubscriptions.Entry> due = new ArrayList<>(subscriptions.dueIn(versions.current()));
            due.forEach(this::askAndPublish);
            scheduleNextVersion();
        });
    }

    /**
     * {"status": http status, "body": the API's JSON (answer or error), "refresh": {"every": versions (0 = on
     * demand), "askedInVersion"}}; remembered as the entry's last answer.
     */
    private Future<String> ask(LiveSubscriptions.Entry e) {
        LiveWidget w = e.question.widget();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf(w.method)).setURI(w.path(new JsonObject(e.question.body())))
                .putHeader("Authorization", e.question.authorization())
                .putHeader("Content-Type", "application/json");
        return http.request(options)
                .compose(req -> w.method.equals("GET") ? req.send() : req.send(Buffer.buffer(e.question.body())))
                .compose(resp -> resp.body().map(body -> new JsonObject().put("status", resp.statusCode())
                        .put("body", body.length() == 0 ? null : new JsonObject(body))))
                .recover(err -> Future.succeededFuture(new JsonObject().put("status", 503)
                        .put("body", de.prokommun.insights.http.ApiError.of(503, "query service unreachable: " + err.getMessage()).toJson())))
                .map(answer -> {
                    answer.put("refresh", new JsonObject().put("every", e.every()).put("askedInVersion", e.askedInPeriod));
                    LiveSubscriptions.answered(e, answer.getInteger("status"), answer.encode());
                    return e.lastAnswer;
                });
    }

    @Override
    public Future<?> stop() {
        if (timer >= 0) vertx.cancelTimer(timer);
        return http == null ? Future.succeededFuture() : http.close();
    }
}
