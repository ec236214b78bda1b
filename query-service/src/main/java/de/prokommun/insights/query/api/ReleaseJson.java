package de.prokommun.insights.query.api;

import de.prokommun.insights.privacy.BudgetStatus;
import de.prokommun.insights.privacy.ReleasedCell;
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
                .put("cost", new JsonObject().put("epsilon", answer.epsilonSpent()));
    }

    /**
     * {"kind", "dataVersion", "tables": {name: [{"label", figure: cell..., derived: number|null...}]},
     * "questions", "notes", "privacy"}.
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
                .put("privacy", privacy);
    }

    static JsonObject cell(ReleasedCell cell) {
        return new JsonObject()
                .put("value", cell.suppressed() ? null : cell.value())
                .put("display", cell.display())
                .put("suppressed", cell.suppressed());
    }

    static JsonObject budget(BudgetStatus budget) {
        return new JsonObject()
                .put("remainingDay", budget.remainingDay())
                .put("remainingMonth", budget.remainingMonth())
                .put("renewsAt", budget.renewsAt().toString());
    }

    static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .end(body.encode());
    }
}
