package de.prokommun.insights.query.api;

import de.prokommun.insights.privacy.BudgetStatus;
import de.prokommun.insights.privacy.ReleasedCell;
import de.prokommun.insights.privacy.city.CityBudgetStatus;
import de.prokommun.insights.query.audience.AudienceAnswer;
import de.prokommun.insights.query.insights.InsightAnswer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The JSON of released figures. It is built only from the privacy layer's {@link ReleasedCell} and
 * {@link BudgetStatus} values (the architecture test keeps it that way).
 */
final class ReleaseJson {
    private ReleaseJson() {}

    static JsonObject answer(AudienceAnswer answer) {
        JsonArray cells = new JsonArray();
        answer.cells().forEach(c -> cells.add(new JsonObject().put("label", c.label()).mergeIn(cell(c))));
        return new JsonObject()
                .put("question", answer.question())
                .put("dataVersion", answer.dataVersion())
                .put("count", cell(answer.countCell()))
                .put("cells", cells)
                .put("source", source(answer))
                .put("privacy", new JsonObject()
                        .put("epsilonSpent", answer.epsilonSpent())
                        .put("repeated", answer.repeated())
                        .put("budget", budget(answer.latest().budget())));
    }

    /**
     * {"kind": "publication", "publicationId", "publishedAt", "dataAsOf"} for figures summed from the city's
     * published statistics (free), {"kind": "ad-hoc", "cost": {"epsilon"}} for a release made for the question.
     */
    static JsonObject source(AudienceAnswer answer) {
        var source = answer.source();
        if (source.isPublication()) {
            return new JsonObject().put("kind", source.kind()).put("publicationId", source.publicationId())
                    .put("publishedAt", source.publishedAt()).put("dataAsOf", source.dataAsOf());
        }
        return new JsonObject().put("kind", source.kind())
                .put("cost", new JsonObject().put("epsilon", answer.epsilonSpent()).put("rho", answer.rhoSpent()));
    }

    /** As for audience answers: the publication the figures were summed from, or the ad-hoc release's cost. */
    static JsonObject source(InsightAnswer answer) {
        var source = answer.source();
        if (source.isPublication()) {
            return new JsonObject().put("kind", source.kind()).put("publicationId", source.publicationId())
                    .put("publishedAt", source.publishedAt()).put("dataAsOf", source.dataAsOf());
        }
        return new JsonObject().put("kind", source.kind())
                .put("cost", new JsonObject().put("epsilon", answer.epsilonSpent()).put("rho", answer.rhoSpent()));
    }

    /**
     * {"kind", "dataVersion", "tables": {name: [{"label", figure: cell..., derived: number|null...}]},
     * "questions", "notes", "source", "privacy"}.
     */
    static JsonObject insight(InsightAnswer answer) {
        JsonObject tables = new JsonObject();
        answer.tables().forEach(t -> {
            JsonArray rows = new JsonArray();
            t.rows().forEach(row -> {
                JsonObject r = new JsonObject().put("label", row.label());
                row.figures().forEach((name, c) -> r.put(name, cell(c)));
                row.attributes().forEach(r::put);
                row.derived().forEach(r::put);
                rows.add(r);
            });
            tables.put(t.name(), rows);
        });
        JsonObject privacy = new JsonObject().put("epsilonSpent", answer.epsilonSpent()).put("repeated", answer.repeated());
        if (answer.latest() != null) privacy.put("budget", budget(answer.latest().budget()));
        return new JsonObject()
                .put("kind", answer.kind())
                .put("dataVersion", answer.dataVersion())
                .put("tables", tables)
                .put("questions", new JsonArray(answer.questions()))
                .put("notes", new JsonArray(answer.notes()))
                .put("source", source(answer))
                .put("privacy", privacy);
    }

    static JsonObject cell(ReleasedCell cell) {
        return new JsonObject()
                .put("value", cell.suppressed() ? null : cell.value())
                .put("display", cell.display())
                .put("suppressed", cell.suppressed());
    }

    /**
     * The account's pacing ({@code remainingDay}, {@code remainingMonth} in ε, {@code renewsAt}) and, with the
     * city-wide accountant, {@code city}: the monthly cap per resident (ε at δ, and ρ), what all releases to anyone
     * spent and have left, the publication and ad-hoc shares, and this account's part of the ad-hoc share.
     */
    static JsonObject budget(BudgetStatus budget) {
        JsonObject json = new JsonObject()
                .put("remainingDay", budget.remainingDay())
                .put("remainingMonth", budget.remainingMonth())
                .put("renewsAt", budget.renewsAt().toString());
        CityBudgetStatus city = budget.city();
        if (city != null) {
            json.put("city", new JsonObject()
                    .put("month", city.month().toString())
                    .put("renewsWith", city.renewsWith().toString())
                    .put("delta", city.delta())
                    .put("cap", new JsonObject().put("epsilon", city.capEpsilon()).put("rho", city.capRho()))
                    .put("spent", new JsonObject().put("epsilon", city.spentEpsilon()).put("rho", city.spentRho()))
                    .put("left", new JsonObject().put("epsilon", city.leftEpsilon()).put("rho", city.leftRho()))
                    .put("publications", new JsonObject().put("capRho", city.publicationCapRho())
                            .put("spentRho", city.publicationSpentRho()).put("leftRho", city.publicationLeftRho()))
                    .put("adHoc", new JsonObject().put("capRho", city.adHocCapRho())
                            .put("spentRho", city.adHocSpentRho()).put("leftRho", city.adHocLeftRho())
                            .put("releasedRho", city.adHocReleasedRho()).put("availableRho", city.adHocAvailableRho()))
                    .put("account", new JsonObject().put("capRho", city.accountCapRho())
                            .put("spentRho", city.accountSpentRho()).put("leftRho", city.accountLeftRho())
                            .put("releasedRho", city.accountReleasedRho()).put("availableRho", city.accountAvailableRho())
                            .put("spentEpsilon", city.accountSpentEpsilon()))
                    // The pacing of the ad-hoc share: which portion of the month, and when the next one releases more.
                    .put("pacing", new JsonObject().put("portion", city.portion()).put("portions", city.portions())
                            .put("nextPortion", city.nextPortion() == null ? null : city.nextPortion().toString())));
        }
        return json;
    }

    static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .end(body.encode());
    }
}
