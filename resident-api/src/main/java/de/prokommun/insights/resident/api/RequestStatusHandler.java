package de.prokommun.insights.resident.api;

import de.prokommun.insights.http.ApiError;
import de.prokommun.insights.resident.auth.Resident;
import de.prokommun.insights.resident.changes.ChangeRequests;
import de.prokommun.insights.resident.data.PersonStore;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Optional;

/** GET /api/v1/me/requests/{requestId}: pending until Pinot shows the change's effect, then done (and stays done). */
final class RequestStatusHandler implements Handler<RoutingContext> {

    private final ChangeRequests requests;
    private final PersonStore store;
    private final Clock clock;

    RequestStatusHandler(ChangeRequests requests, PersonStore store, Clock clock) {
        this.requests = requests;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Resident r = ResidentAuthentication.resident(ctx);
        Optional<ChangeRequests.Request> found = requests.of(r, ctx.pathParam("requestId"));
        if (found.isEmpty()) {
            ApiError.of(404, "no such request of yours on this instance (request states are kept in memory"
                    + " per instance)").send(ctx);
            return;
        }
        ChangeRequests.Request request = found.get();
        ctx.vertx().executeBlocking(() -> {
            if (request.doneAt() == null && request.expectation().met(store, request.requester())) request.markDone(clock.instant());
            return request;
        }, false).onFailure(ctx::fail).onSuccess(req -> {
            JsonObject body = new JsonObject().put("requestId", req.id()).put("kind", req.kind())
                    .put("status", req.status().name().toLowerCase())
                    .put("requestedAt", req.requestedAt().toString());
            if (req.doneAt() != null) body.put("doneAt", req.doneAt().toString());
            else body.put("waitingFor", req.expectation().waitingFor());
            PersonHandlers.json(ctx, body);
        });
    }
}
