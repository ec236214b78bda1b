package de.prokommun.insights.query.api;

import de.prokommun.insights.query.audience.AudienceService;
import de.prokommun.insights.query.audience.Breakdown;
import de.prokommun.insights.query.audience.CityLabels;
import de.prokommun.insights.query.audience.CityVocabulary;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The values filters and breakdowns accept in the asker's city (configuration, no data). */
final class DimensionsHandler implements Handler<RoutingContext> {

    private final AudienceService audiences;

    DimensionsHandler(AudienceService audiences) {
        this.audiences = audiences;
    }

    @Override
    public void handle(RoutingContext ctx) {
        CityVocabulary city = audiences.vocabulary(RequestContext.asker(ctx));
        ReleaseJson.send(ctx, 200, new JsonObject()
                .put("city", city.city())
                .put("timeZone", city.timeZone().getId())
                .put("breakdowns", new JsonArray(Breakdown.apiNames()))
                .put("ageRange", new JsonObject().put("from", 0).put("to", 120))
                .put("ageBands", new JsonArray(city.ageBands()))
                .put("genders", new JsonArray(city.genders()))
                .put("districts", new JsonArray(city.districts()))
                .put("householdTypes", new JsonArray(city.householdTypes()))
                .put("personas", new JsonArray(city.personas()))
                // What the published statistics can answer for free: interests listed here, age ranges on band bounds.
                .put("publishedInterests", new JsonArray(city.publishedInterests()))
                .put("ageBandBounds", new JsonArray(city.ageBandRanges().stream()
                        .map(b -> new JsonObject().put("band", b.band()).put("from", b.from()).put("to", b.to())).toList()))
                // The display names of the city's ids (issue 16): the dashboards show these, never the ids.
                .put("labels", new JsonObject()
                        .put("categories", labels(city.labels().categories()))
                        .put("personas", labels(city.labels().personas()))
                        .put("employers", labels(city.labels().employers()))));
    }

    private static JsonObject labels(java.util.Map<String, CityLabels.Label> byId) {
        JsonObject out = new JsonObject();
        byId.forEach((id, l) -> out.put(id, new JsonObject().put("de", l.de()).put("en", l.en())));
        return out;
    }
}
