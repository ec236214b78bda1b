package de.prokommun.insights.resident.api;

import de.prokommun.insights.http.ApiError;
import de.prokommun.insights.http.Problem;
import de.prokommun.insights.resident.auth.Resident;
import de.prokommun.insights.resident.data.CityFiles;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/** GET /api/v1/me, GET /api/v1/me/campaigns and GET /api/v1/me/export (JSON, or ?format=csv for purchases). */
final class PersonHandlers {

    private final PersonReader reader;
    private final CityFiles cities;
    private final Clock clock;

    PersonHandlers(PersonReader reader, CityFiles cities, Clock clock) {
        this.reader = reader;
        this.cities = cities;
        this.clock = clock;
    }

    void me(RoutingContext ctx) {
        Resident r = ResidentAuthentication.resident(ctx);
        ctx.vertx().executeBlocking(() -> PersonView.json(reader.read(r)), false)
                .onSuccess(json -> json(ctx, json))
                .onFailure(ctx::fail);
    }

    void campaigns(RoutingContext ctx) {
        Resident r = ResidentAuthentication.resident(ctx);
        ctx.vertx().executeBlocking(() -> CampaignsView.json(reader.records(r), cities.definition(r.city()).orElse(null)), false)
                .onSuccess(json -> json(ctx, json))
                .onFailure(ctx::fail);
    }

    void export(RoutingContext ctx) {
        Resident r = ResidentAuthentication.resident(ctx);
        String format = ctx.queryParams().get("format");
        if (format != null && !format.equals("json") && !format.equals("csv")) {
            ApiError.of(400, "invalid request").problems(java.util.List.of(new Problem("format", "must be json or csv"))).send(ctx);
            return;
        }
        if ("csv".equals(format)) {
            ctx.vertx().executeBlocking(() -> PurchaseCsv.of(reader.records(r), cities.city(r.city()).timeZone()), false)
                    .onSuccess(csv -> ctx.response()
                            .putHeader("Content-Type", "text/csv; charset=utf-8")
                            .putHeader("Content-Disposition", "attachment; filename=\"einkaeufe.csv\"")
                            .putHeader("Cache-Control", "no-store")
                            .end(csv))
                    .onFailure(ctx::fail);
            return;
        }
        ctx.vertx().executeBlocking(() -> PersonView.json(reader.read(r)).put("exportedAt", clock.instant().toString()), false)
                .onSuccess(json -> {
                    ctx.response().putHeader("Content-Disposition", "attachment; filename=\"meine-daten.json\"");
                    json(ctx, json);
                })
                .onFailure(ctx::fail);
    }

    static void json(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .end(body.encode());
    }
}
