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
 * Keeps open widgets live: once per data version and question it asks the query service's own API (the
 * same validation, DisclosureControl and JSON as any request, with the asker's own key) and publishes the
 * answer to every open stream of that question. Never asks more often: within a version the privacy layer
 * would answer the same anyway, and each ask is audited.
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
        vertx.eventBus().<JsonObject>consumer(UNSUBSCRIBE, m -> subscriptions.unsubscribe(m.body().getString("key")));
        scheduleNextVersion();
        return Future.succeededFuture();
    }

    private void subscribe(Message<JsonObject> m) {
        JsonObject b = m.body();
        var entry = subscriptions.subscribe(new LiveSubscriptions.Question(b.getString("key"),
                b.getString("authorization"), LiveWidget.valueOf(b.getString("widget")), b.getString("body")));
        if (LiveSubscriptions.claim(entry, versions.current())) {
            ask(entry).onSuccess(answer -> {
                m.reply(answer);
                vertx.eventBus().publish(ANSWERS + entry.question.key(), answer);
            });
        } else if (entry.lastAnswer != null) {
            m.reply(entry.lastAnswer);
        } else {
            // Another stream of the same question is being answered right now; its answer reaches this one too.
            m.reply(null);
        }
    }

    private void scheduleNextVersion() {
        timer = vertx.setTimer(versions.millisToNext() + AFTER_BOUNDARY_MILLIS, id -> {
            List<LiveSubscriptions.Entry> due = new ArrayList<>(subscriptions.dueIn(versions.current()));
            due.forEach(e -> ask(e).onSuccess(answer -> vertx.eventBus().publish(ANSWERS + e.question.key(), answer)));
            scheduleNextVersion();
        });
    }

    /** {"status": http status, "body": the API's JSON (answer or error)}; remembered as the entry's last answer. */
    private Future<String> ask(LiveSubscriptions.Entry e) {
        LiveWidget w = e.question.widget();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf(w.method)).setURI(w.apiPath)
                .putHeader("Authorization", e.question.authorization())
                .putHeader("Content-Type", "application/json");
        return http.request(options)
                .compose(req -> w.method.equals("GET") ? req.send() : req.send(Buffer.buffer(e.question.body())))
                .compose(resp -> resp.body().map(body -> new JsonObject().put("status", resp.statusCode())
                        .put("body", body.length() == 0 ? null : new JsonObject(body))))
                .recover(err -> Future.succeededFuture(new JsonObject().put("status", 503)
                        .put("body", new JsonObject().put("error", new JsonObject().put("status", 503)
                                .put("message", "query service unreachable: " + err.getMessage())))))
                .map(JsonObject::encode)
                .onSuccess(s -> e.lastAnswer = s);
    }

    @Override
    public Future<?> stop() {
        if (timer >= 0) vertx.cancelTimer(timer);
        return http == null ? Future.succeededFuture() : http.close();
    }
}
