package de.prokommun.insights.query.web;

import de.prokommun.insights.participants.Participant;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.participants.Role;
import de.prokommun.insights.query.audience.AudienceService;
import de.prokommun.insights.query.audience.CityVocabulary;
import de.prokommun.insights.query.health.StreamingHealthVerticle;
import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The dashboard routes of the query service, listed together: the web UI ({@code /ui/}), the asker's
 * session, live streams, the streaming health monitor (JSON and Prometheus, operator only). Figures reach
 * the UI only through the released API answers; these routes add none of their own except the operator's
 * operational health figures (counts and times of the pipeline, nothing about a person).
 */
public final class Dashboards {
    /** A page's live widgets with their questions: at most 16 of at most 16 KiB each. */
    private static final int LIVE_BODY_BYTES = LiveRequest.MAX_SUBSCRIPTIONS * (LiveRequest.MAX_QUESTION_CHARS + 256);

    private Dashboards() {}

    public static void mount(Router r, ParticipantDirectory directory, AudienceService audiences) {
        var askers = new DashboardAuth(directory, Set.of(Role.PARTICIPANT, Role.OPERATOR));
        var operators = new DashboardAuth(directory, Set.of(Role.OPERATOR));

        r.get("/").handler(ctx -> ctx.redirect("/ui/"));
        r.route("/ui/*").handler(StaticHandler.create("webroot").setCachingEnabled(false)
                .setIndexPage("index.html").setDefaultContentEncoding("UTF-8"));
        r.get("/api/v1/session").handler(askers).handler(ctx -> session(ctx, directory, audiences));
        r.post("/api/v1/live").handler(BodyHandler.create(false).setBodyLimit(LIVE_BODY_BYTES)).handler(askers)
                .handler(new LiveMultiStream());
        r.get("/api/v1/live/:widget").handler(askers).handler(new LiveStream());
        r.get("/api/v1/health/streaming").handler(operators).handler(ctx -> health(ctx, false));
        r.get("/metrics").handler(operators).handler(ctx -> health(ctx, true));
    }

    /**
     * Who is logged in, the city's vocabulary for the filters and its participants (id and name, for the
     * journey widgets' node pickers); no figures.
     */
    private static void session(RoutingContext ctx, ParticipantDirectory directory, AudienceService audiences) {
        Participant p = DashboardAuth.participant(ctx);
        AskerRole role = p.role() == Role.OPERATOR ? AskerRole.OPERATOR : AskerRole.PARTICIPANT;
        CityVocabulary city = audiences.vocabulary(new Asker(p.city(), p.id(), role));
        Set<String> categories = new TreeSet<>();
        city.categories().childrenByParent().values().forEach(categories::addAll);
        ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").putHeader("Cache-Control", "no-store")
                .end(new JsonObject().put("id", p.id()).put("city", p.city()).put("role", p.role().name())
                        .put("displayName", p.displayName()).put("categories", new JsonArray(List.copyOf(categories)))
                        .put("participants", participants(directory, p.city()))
                        .encode());
    }

    static JsonArray participants(ParticipantDirectory directory, String city) {
        JsonArray out = new JsonArray();
        directory.members(city, Role.PARTICIPANT)
                .forEach(m -> out.add(new JsonObject().put("id", m.id()).put("name", m.displayName())));
        return out;
    }

    private static void health(RoutingContext ctx, boolean prometheus) {
        ctx.vertx().eventBus().<JsonObject>request(StreamingHealthVerticle.ADDRESS, null).onSuccess(m -> {
            if (prometheus) {
                ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(m.body().getString("prometheus"));
            } else {
                ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
                        .putHeader("Cache-Control", "no-store").end(m.body().getJsonObject("json").encode());
            }
        }).onFailure(e -> WebErrors.send(ctx, 503, "streaming health monitor is not running: " + e.getMessage()));
    }
}
