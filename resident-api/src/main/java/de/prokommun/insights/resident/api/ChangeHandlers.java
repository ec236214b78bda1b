package de.prokommun.insights.resident.api;

import de.prokommun.insights.http.ApiError;
import de.prokommun.insights.http.JsonBodyHandler;
import de.prokommun.insights.events.ConsentChanged;
import de.prokommun.insights.events.ErasureMark;
import de.prokommun.insights.events.InteractionEvent;
import de.prokommun.insights.events.OffersObjected;
import de.prokommun.insights.events.PersonRecord;
import de.prokommun.insights.events.ProfileChanged;
import de.prokommun.insights.resident.auth.ErasureRegister;
import de.prokommun.insights.resident.auth.Resident;
import de.prokommun.insights.resident.changes.ChangeRequestParser;
import de.prokommun.insights.resident.changes.ChangeRequests;
import de.prokommun.insights.resident.changes.Expectation;
import de.prokommun.insights.resident.changes.ObjectionScope;
import de.prokommun.insights.resident.changes.PortalEvents;
import de.prokommun.insights.resident.changes.RawEventPublisher;
import de.prokommun.insights.resident.data.CityFiles;
import de.prokommun.insights.resident.data.PersonStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Supplier;

/**
 * The resident's changes: each becomes raw events through Kafka exactly as the portal would send them, and
 * is answered 202 with a request id once Kafka acknowledged (503 with Retry-After when it did not).
 */
final class ChangeHandlers {

    private final PortalEvents events;
    private final RawEventPublisher publisher;
    private final ChangeRequests requests;
    private final PersonStore store;
    private final CityFiles cities;
    private final ErasureRegister erasures;
    private final Clock clock;

    ChangeHandlers(PortalEvents events, RawEventPublisher publisher, ChangeRequests requests, PersonStore store,
                   CityFiles cities, ErasureRegister erasures, Clock clock) {
        this.events = events;
        this.publisher = publisher;
        this.requests = requests;
        this.store = store;
        this.cities = cities;
        this.erasures = erasures;
        this.clock = clock;
    }

    void profile(RoutingContext ctx) {
        Resident r = ResidentAuthentication.resident(ctx);
        LocalDate today = clock.instant().atZone(cities.city(r.city()).timeZone()).toLocalDate();
        ProfileChanged change = ChangeRequestParser.profileChange(JsonBodyHandler.of(ctx), today);
        Expectation expected = new Expectation.ProfileShows(
                change.getBirthDate() == null ? null : LocalDate.parse(change.getBirthDate()).getYear(),
                change.getGender() == null ? null : change.getGender().name(),
                change.getPostcode() == null ? null : cities.city(r.city()).districtOf(change.getPostcode()),
                change.getHouseholdType() == null ? null : change.getHouseholdType().name(),
                change.getInterests());
        accept(ctx, r, "profile.changed", List.of(events.byPortal(r, change)), expected);
    }

    void consents(RoutingContext ctx) {
        Resident r = ResidentAuthentication.resident(ctx);
        ConsentChanged change = ChangeRequestParser.consents(JsonBodyHandler.of(ctx));
        accept(ctx, r, "consent.changed", List.of(events.byPortal(r, change)),
                new Expectation.ConsentsShow(change.getAnalytics(), change.getOffers(), change.getNewsletter()));
    }

    /** POST /api/v1/me/objections: an objection to offers (DSGVO Art. 21), absolute: no reason is asked. */
    void object(RoutingContext ctx) {
        Resident r = ResidentAuthentication.resident(ctx);
        var body = JsonBodyHandler.of(ctx);
        withOfferSenders(ctx, r, senders -> objection(ctx, r, ObjectionScope.ofBody(body, cities.definition(r.city()), senders), false));
    }

    /** DELETE /api/v1/me/objections/{scope}: the resident lifts an objection. */
    void liftObjection(RoutingContext ctx) {
        Resident r = ResidentAuthentication.resident(ctx);
        withOfferSenders(ctx, r, senders -> objection(ctx, r,
                ObjectionScope.of(ctx.pathParam("scope"), cities.definition(r.city()), senders), true));
    }

    /** The participants that sent the resident offers (an objection may name them), then the step; failures to ctx. */
    private void withOfferSenders(RoutingContext ctx, Resident r, java.util.function.Consumer<java.util.Set<String>> step) {
        ctx.vertx().executeBlocking(() -> store.offerSenders(r.city(), r.pseudonym()), false)
                .onFailure(ctx::fail)
                .onSuccess(senders -> {
                    try {
                        step.accept(senders);
                    } catch (RuntimeException e) {
                        ctx.fail(e);
                    }
                });
    }

    private void objection(RoutingContext ctx, Resident r, String scope, boolean withdrawn) {
        OffersObjected objected = OffersObjected.newBuilder().setScope(scope).setWithdrawn(withdrawn).build();
        accept(ctx, r, "offers.objected", List.of(events.byPortal(r, objected)),
                new Expectation.ObjectionShows(scope, !withdrawn));
    }

    void deletePurchase(RoutingContext ctx) {
        Resident r = ResidentAuthentication.resident(ctx);
        String receipt = ChangeRequestParser.receipt(ctx.pathParam("receipt"));
        String participant = ctx.queryParams().get("participant");
        ctx.vertx().executeBlocking(() -> store.livePurchases(r.city(), r.pseudonym(), receipt), false)
                .onFailure(ctx::fail)
                .onSuccess(found -> {
                    List<PersonRecord> purchases = participant == null ? found
                            : found.stream().filter(p -> p.getParticipant().equals(participant)).toList();
                    if (purchases.isEmpty()) {
                        ApiError.of(404, "you have no purchase with this receipt"
                                + (participant == null ? "" : " at this participant")).send(ctx);
                        return;
                    }
                    List<InteractionEvent> retractions = purchases.stream().map(p -> events.retraction(r, p)).toList();
                    accept(ctx, r, "purchase.retracted", retractions,
                            new Expectation.RecordsGone(purchases.stream().map(PersonRecord::getRecordId).toList()));
                });
    }

    void erase(RoutingContext ctx) {
        Resident r = ResidentAuthentication.resident(ctx);
        InteractionEvent erasure = events.erasure(r);
        // Remembered once Kafka holds the erasure: from then on every token issued before it is refused (401 erased).
        // A change that slipped in before is harmless: before the erasure in Kafka it is erased with the person,
        // after it the anonymiser's tombstone drops it.
        // Then written to the shared register, from which every instance (also this one after a restart) learns it; only
        // then is the request answered 202 — if that write fails, 503, and the retry repeats both (a second erasure of
        // the same person changes nothing).
        Instant at = Instant.ofEpochMilli(erasure.getEventTime());
        ErasureMark mark = ErasureMark.newBuilder().setCity(r.city()).setPseudonym(r.residentKey())
                .setErasedAt(erasure.getEventTime()).build();
        accept(ctx, r, "erasure.requested", () -> publisher.publish(List.of(erasure))
                        .compose(v -> publisher.publishErasure(mark)),
                new Expectation.PersonGone(), () -> erasures.erased(r.city(), r.residentKey(), at));
    }

    private void accept(RoutingContext ctx, Resident r, String kind, List<InteractionEvent> published, Expectation expected) {
        accept(ctx, r, kind, () -> publisher.publish(published), expected, () -> {});
    }

    private void accept(RoutingContext ctx, Resident r, String kind, Supplier<Future<Void>> publish, Expectation expected,
                        Runnable whenAcknowledged) {
        Future<Void> acknowledged = publish.get();
        acknowledged.onFailure(ctx::fail).onSuccess(v -> {
            whenAcknowledged.run();
            ChangeRequests.Request request = requests.add(r, kind, clock.instant(), expected);
            ctx.response().setStatusCode(202)
                    .putHeader("Location", "/api/v1/me/requests/" + request.id())
                    .putHeader("Content-Type", "application/json; charset=utf-8")
                    .putHeader("Cache-Control", "no-store")
                    .end(new JsonObject().put("requestId", request.id()).put("kind", kind).put("status", "pending").encode());
        });
    }
}
