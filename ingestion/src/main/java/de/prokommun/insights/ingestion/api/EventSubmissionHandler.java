package de.prokommun.insights.ingestion.api;

import de.prokommun.insights.http.StrictJson;
import de.prokommun.insights.events.InteractionEvent;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.ingestion.IngestionMetrics;
import de.prokommun.insights.ingestion.RejectionReason;
import de.prokommun.insights.ingestion.dedupe.CityRetention;
import de.prokommun.insights.ingestion.dedupe.RecentEventIds;
import de.prokommun.insights.ingestion.events.EventParser;
import de.prokommun.insights.ingestion.events.FieldError;
import de.prokommun.insights.ingestion.events.ParseResult;
import de.prokommun.insights.ingestion.publish.EventPublisher;
import de.prokommun.insights.participants.Participant;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/events}: one event (JSON object) or a batch (JSON array). A batch is all or nothing:
 * one forbidden (403), invalid (400), too old (422: a purchase before the city's retention) or conflicting (409:
 * an event id re-used with a different body) event rejects the whole request, and 202 is sent only after Kafka
 * acknowledged every event. Identical duplicates (same participant, eventId and body) are accepted here and
 * counted once downstream.
 */
public final class EventSubmissionHandler implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(EventSubmissionHandler.class);

    private final EventParser parser;
    private final EventPublisher publisher;
    private final Duration retryAfter;
    private final Refusals errors;
    private final IngestionMetrics metrics;
    private final int maxBatchEvents;
    private final Clock clock;
    private final RecentEventIds recentIds;
    private final CityRetention retention;

    public EventSubmissionHandler(EventParser parser, EventPublisher publisher, Duration retryAfter, Refusals errors,
                                  IngestionMetrics metrics, int maxBatchEvents, Clock clock, RecentEventIds recentIds,
                                  CityRetention retention) {
        this.parser = parser;
        this.publisher = publisher;
        this.retryAfter = retryAfter;
        this.errors = errors;
        this.metrics = metrics;
        this.maxBatchEvents = maxBatchEvents;
        this.clock = clock;
        this.recentIds = recentIds;
        this.retention = retention;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Participant sender = ApiKeyAuthHandler.sender(ctx);
        List<Object> items = readEvents(ctx);
        if (items == null) return;
        if (items.size() > maxBatchEvents) {
            errors.reject(ctx, RejectionReason.BATCH_TOO_LARGE, "a batch may hold at most " + maxBatchEvents
                    + " events but has " + items.size() + "; split it", items.size(), new JsonObject().put("accepted", 0));
            return;
        }
        long receivedTime = clock.millis();
        List<InteractionEvent> events = new ArrayList<>(items.size());
        JsonArray forbidden = new JsonArray();
        JsonArray invalid = new JsonArray();
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            if (!(item instanceof JsonObject json)) {
                invalid.add(error(i, null, FieldError.invalid("", "an event must be a JSON object")));
                continue;
            }
            ParseResult result = parser.parse(json, sender, receivedTime, clock);
            if (result.isValid()) {
                events.add(result.event());
                continue;
            }
            String eventId = json.getValue("eventId") instanceof String s ? s : null;
            for (FieldError e : result.errors()) {
                (e.isForbidden() ? forbidden : invalid).add(error(i, eventId, e));
            }
        }
        if (!forbidden.isEmpty()) {
            errors.reject(ctx, RejectionReason.FORBIDDEN, summary(forbidden, items.size(),
                            "may not be submitted with this API key", "may not be submitted with this API key"),
                    items.size(), Refusals.withAcceptedNothing(forbidden));
            return;
        }
        if (!invalid.isEmpty()) {
            errors.reject(ctx, RejectionReason.INVALID_EVENTS, summary(invalid, items.size(), "is invalid", "are invalid"),
                    items.size(), Refusals.withAcceptedNothing(invalid));
            return;
        }
        JsonArray tooOld = outsideRetention(events, sender);
        if (!tooOld.isEmpty()) {
            errors.reject(ctx, RejectionReason.OUTSIDE_RETENTION, summary(tooOld, items.size(),
                            "lies before the city's retention", "lie before the city's retention"),
                    items.size(), Refusals.withAcceptedNothing(tooOld));
            return;
        }
        RecentEventIds.Claim claim = recentIds.claim(events);
        if (!claim.ok()) {
            JsonArray conflicts = new JsonArray();
            claim.conflicts().forEach(c -> conflicts.add(new JsonObject().put("index", c.index())
                    .put("eventId", c.eventId()).put("field", "eventId").put("reason", c.reason())));
            errors.reject(ctx, RejectionReason.EVENT_ID_CONFLICT, summary(conflicts, items.size(),
                            "re-uses an event id with a different body", "re-use event ids with a different body"),
                    items.size(), Refusals.withAcceptedNothing(conflicts));
            return;
        }
        publish(ctx, events, claim);
    }

    /** Purchases the profile job would never record: older than the city keeps purchases (422, never a silent drop). */
    private JsonArray outsideRetention(List<InteractionEvent> events, Participant sender) {
        JsonArray out = new JsonArray();
        CityRetention.Retention kept = retention.of(sender.city());
        if (kept.years() == 0) return out;
        Instant now = clock.instant();
        for (int i = 0; i < events.size(); i++) {
            InteractionEvent e = events.get(i);
            if (e.getPayload() instanceof Purchase
                    && kept.expired(Instant.ofEpochMilli(e.getEventTime()), now)) {
                out.add(new JsonObject().put("index", i).put("eventId", e.getEventId()).put("field", "eventTime")
                        .put("reason", kept.outsideReason(Instant.ofEpochMilli(e.getEventTime()), now)));
            }
        }
        return out;
    }

    private void publish(RoutingContext ctx, List<InteractionEvent> events, RecentEventIds.Claim claim) {
        publisher.publish(events).onComplete(ar -> {
            if (ar.succeeded()) {
                metrics.accepted(events.size());
                JsonArray ids = new JsonArray();
                events.forEach(e -> ids.add(e.getEventId()));
                ctx.response().setStatusCode(202).putHeader("Content-Type", de.prokommun.insights.http.ApiError.JSON)
                        .end(new JsonObject().put("accepted", events.size()).put("eventIds", ids).encode());
            } else {
                LOG.warn("Kafka did not take {} events: {}", events.size(), ar.cause().getMessage());
                recentIds.release(claim);
                ctx.response().putHeader("Retry-After", String.valueOf(Math.max(1, retryAfter.toSeconds())));
                errors.reject(ctx, RejectionReason.KAFKA_UNAVAILABLE,
                        "the event store did not acknowledge the events in time; nothing of this request was accepted,"
                                + " send it again later (duplicates are counted once)",
                        events.size(), new JsonObject().put("accepted", 0));
            }
        });
    }

    /** The body's events, or null after answering 400. */
    private List<Object> readEvents(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            errors.reject(ctx, RejectionReason.MALFORMED_JSON, "the request body is empty; send a JSON event or an array of events");
            return null;
        }
        Object parsed;
        try {
            parsed = StrictJson.parse(body.getBytes());
        } catch (StrictJson.MalformedJson e) {
            // always one problem, as every service names a malformed body (field "" when it is not about one value)
            JsonObject details = new JsonObject()
                    .put("problems", new JsonArray().add(new JsonObject().put("field", e.field()).put("reason", e.getMessage())));
            errors.reject(ctx, RejectionReason.MALFORMED_JSON, e.getMessage(), 0, details);
            return null;
        }
        if (parsed instanceof JsonObject single) return List.of(single);
        if (parsed instanceof JsonArray batch) {
            if (batch.isEmpty()) {
                errors.reject(ctx, RejectionReason.INVALID_EVENTS, "the batch is empty; send at least one event");
                return null;
            }
            List<Object> items = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) items.add(batch.getValue(i));
            return items;
        }
        errors.reject(ctx, RejectionReason.MALFORMED_JSON,
                "the body must be a JSON object (one event) or a JSON array (a batch of events)");
        return null;
    }

    private static JsonObject error(int index, String eventId, FieldError e) {
        JsonObject o = new JsonObject().put("index", index);
        if (eventId != null) o.put("eventId", eventId);
        return o.put("field", e.path().isEmpty() ? "(event)" : e.path()).put("reason", e.reason());
    }

    /** "2 of 5 events are invalid; ..." */
    private static String summary(JsonArray errors, int total, String singular, String plural) {
        long badEvents = errors.stream().map(o -> ((JsonObject) o).getInteger("index")).distinct().count();
        return badEvents + " of " + total + (total == 1 ? " event " + singular : " events " + plural)
                + "; the request was rejected as a whole and no event was accepted";
    }
}
