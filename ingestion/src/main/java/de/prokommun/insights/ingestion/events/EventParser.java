package de.prokommun.insights.ingestion.events;

import de.prokommun.insights.events.InteractionEvent;
import de.prokommun.insights.participants.Participant;
import de.prokommun.insights.participants.Role;
import de.prokommun.insights.validation.OwnShop;
import de.prokommun.insights.validation.StrictText;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns one event in the JSON form of docs/EVENTS.md into the Avro {@link InteractionEvent}, or lists every
 * field that is wrong. Pure: no I/O, time only from the given clock. Also checks what the sender may submit
 * (own participant and city, portal-only types, facts about its own shop only: {@link OwnShop}), reported as {@link FieldError.Kind#FORBIDDEN}.
 */
public final class EventParser {

    /** How far an event may lie in the future of the receiving clock (clock skew of POS systems). */
    public static final Duration MAX_FUTURE = Duration.ofMinutes(5);
    /** Historical imports reach back years, but not before this. */
    public static final Instant EARLIEST_EVENT_TIME = Instant.parse("2000-01-01T00:00:00Z");

    private static final Set<String> ENVELOPE_FIELDS =
            Set.of("eventId", "type", "eventTime", "resident", "card", "city", "participant", "data", "campaignCode");
    /** As the query service's CampaignRequest allows for an offer's code. */
    public static final int CAMPAIGN_CODE_MAX = 64;
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    /**
     * Parses one event.
     *
     * @param json the event object as received
     * @param sender the authenticated participant: becomes the event's participant and city
     * @param receivedTimeMillis stamped as the event's receivedTime (epoch ms)
     * @param clock "now" for the check that the event does not lie in the future
     */
    public ParseResult parse(JsonObject json, Participant sender, long receivedTimeMillis, Clock clock) {
        List<FieldError> errors = new ArrayList<>();
        JsonFields envelope = new JsonFields(json, "", errors);
        envelope.rejectUnknown(ENVELOPE_FIELDS);

        String eventId = envelope.requiredMatching("eventId", EVENT_ID,
                "1–128 characters of A–Z, a–z, 0–9, '.', '_', ':', '-'", 1, 128);
        EventType type = type(envelope);
        Instant eventTime = eventTime(envelope, clock);
        String resident = reference(envelope, "resident");
        String card = reference(envelope, "card");
        checkSender(envelope, sender, type, errors);
        if (type != null) checkSubject(envelope, type, resident, card);
        String campaignCode = campaignCode(envelope, type);

        Object payload = null;
        JsonFields data = envelope.requiredObject("data");
        if (data != null && type != null) {
            data.rejectUnknown(type.dataFields());
            LocalDate eventDate = eventTime == null ? null : LocalDate.ofInstant(eventTime, ZoneOffset.UTC);
            payload = type.payload(new PayloadContext(data, eventDate));
        }
        if (payload != null) {
            // a participant asserts facts about its own shop only (docs/PRIVACY.md, "Participants as adversaries")
            OwnShop.check(payload, sender.id(), sender.role() == Role.PORTAL)
                    .ifPresent(v -> errors.add(FieldError.forbidden(v.field(), v.reason())));
        }
        if (!errors.isEmpty()) return ParseResult.invalid(errors);
        if (payload == null) {
            // every builder records an error when it returns null; this guards against a missed one
            return ParseResult.invalid(List.of(FieldError.invalid("data", "could not be read")));
        }
        return ParseResult.valid(InteractionEvent.newBuilder()
                .setEventId(eventId)
                .setCity(sender.city())
                .setParticipant(sender.id())
                .setEventTime(eventTime.toEpochMilli())
                .setReceivedTime(receivedTimeMillis)
                .setResident(resident)
                .setCard(card)
                .setPayload(payload)
                .setCampaignCode(campaignCode)
                .build());
    }

    private static EventType type(JsonFields envelope) {
        String name = envelope.requiredString("type", 1, 64);
        if (name == null) return null;
        EventType type = EventType.fromWireName(name).orElse(null);
        if (type == null) envelope.invalid("type", "unknown type '" + name + "'; known: " + EventType.wireNames());
        return type;
    }

    private static Instant eventTime(JsonFields envelope, Clock clock) {
        String raw = envelope.requiredString("eventTime", 1, 64);
        if (raw == null) return null;
        Instant time;
        try {
            time = OffsetTimestamps.parse(raw);
        } catch (DateTimeParseException e) {
            envelope.invalid("eventTime", "must be an ISO-8601 instant with offset, e.g. 2026-11-28T10:15:00Z, but is '"
                    + raw + "'");
            return null;
        }
        Instant latest = clock.instant().plus(MAX_FUTURE);
        if (time.isAfter(latest)) {
            envelope.invalid("eventTime", "lies more than " + MAX_FUTURE.toMinutes()
                    + " minutes in the future (server time " + clock.instant() + ")");
            return null;
        }
        if (time.isBefore(EARLIEST_EVENT_TIME)) {
            envelope.invalid("eventTime", "must not be before " + EARLIEST_EVENT_TIME);
            return null;
        }
        return time;
    }

    /** Resident and card references: 1–64 characters and never an e-mail address. */
    private static String reference(JsonFields envelope, String field) {
        String value = envelope.optionalString(field, 1, 64);
        if (value != null && StrictText.looksLikeEmail(value)) {
            // a look-alike such as U+FF20 counts as '@' (StrictText.looksLikeEmail)
            envelope.invalid(field, "must be the portal's reference, never an e-mail address");
            return null;
        }
        return value;
    }

    /** The code of a campaign's offer shown at the till: only a purchase or a voucher redemption redeems an offer. */
    private static String campaignCode(JsonFields envelope, EventType type) {
        String code = envelope.optionalString("campaignCode", 1, CAMPAIGN_CODE_MAX);
        if (code != null && type != null && !type.mayCarryCampaignCode()) {
            envelope.invalid("campaignCode", "is allowed only on purchase, gift_voucher.redeemed and"
                    + " employer_voucher.redeemed, not on '" + type.wireName() + "'");
            return null;
        }
        return code;
    }

    private static void checkSender(JsonFields envelope, Participant sender, EventType type, List<FieldError> errors) {
        if (sender.role() == Role.OPERATOR) {
            errors.add(FieldError.forbidden("", "operator keys cannot submit events"));
        }
        String participant = envelope.optionalString("participant", 1, 128);
        if (participant != null && !participant.equals(sender.id())) {
            errors.add(FieldError.forbidden("participant", "the API key belongs to participant '" + sender.id()
                    + "'; events may be submitted only in one's own name"));
        }
        String city = envelope.optionalString("city", 1, 64);
        if (city != null && !city.equals(sender.city())) {
            errors.add(FieldError.forbidden("city", "the API key belongs to city '" + sender.city()
                    + "'; events of other cities are not accepted"));
        }
        if (type != null && type.portalOnly() && sender.role() != Role.PORTAL) {
            errors.add(FieldError.forbidden("type", "'" + type.wireName() + "' may only be sent by the city portal"));
        }
    }

    private static void checkSubject(JsonFields envelope, EventType type, String resident, String card) {
        switch (type.subject()) {
            case RESIDENT -> {
                if (resident == null && !envelope.has("resident")) {
                    envelope.invalid("resident", "is required for type '" + type.wireName() + "'");
                }
            }
            case RESIDENT_OR_CARD -> {
                if (resident == null && card == null && !envelope.has("resident") && !envelope.has("card")) {
                    envelope.invalid("resident", "resident or card is required for type '" + type.wireName() + "'");
                }
            }
            case ANY -> { }
        }
    }
}
