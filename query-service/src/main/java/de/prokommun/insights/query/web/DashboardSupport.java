package de.prokommun.insights.query.web;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.query.QueryConfig;
import de.prokommun.insights.query.health.StreamingHealthVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;

/**
 * What the dashboard routes need beside the query API: the live-update hub (asks the query service at
 * {@code queryUrl} once per data version) and the streaming health monitor. Deployed into the query
 * service's Vert.x after the query API is listening.
 */
public final class DashboardSupport {
    private DashboardSupport() {}

    public static Future<Void> deploy(Vertx vertx, Settings settings, String queryUrl) {
        Clock clock = Clock.systemUTC();
        return vertx.deployVerticle(new LiveUpdatesVerticle(URI.create(queryUrl),
                        settings.get(QueryConfig.DATA_VERSION_PERIOD), clock))
                .compose(id -> vertx.deployVerticle(new StreamingHealthVerticle(settings, clock)))
                .mapEmpty();
    }
}
