package de.prokommun.insights.simulator;

import de.prokommun.insights.simulator.emit.Json;
import java.time.Instant;

/**
 * One generated interaction event: who sends it (the API key owner), its Kafka key (resident, else card)
 * and its JSON form exactly as docs/EVENTS.md describes. {@code dataJson} is the rendered "data" object.
 */
public record SimEvent(String eventId, String type, long eventTimeMillis, String resident, String card,
                       String city, String sender, String dataJson) {

    /** The raw topic key: the resident reference, else the card. */
    public String key() {
        return resident != null ? resident : card;
    }

    public Instant eventTime() {
        return Instant.ofEpochMilli(eventTimeMillis);
    }

    /** The envelope JSON (one line, fixed field order: byte-identical for identical events). */
    public String json() {
        StringBuilder sb = new StringBuilder(160 + dataJson.length());
        sb.append("{\"eventId\":");
        Json.string(sb, eventId);
        sb.append(",\"type\":");
        Json.string(sb, type);
        sb.append(",\"eventTime\":\"").append(eventTime()).append('"');
        if (resident != null) { sb.append(",\"resident\":"); Json.string(sb, resident); }
        if (card != null) { sb.append(",\"card\":"); Json.string(sb, card); }
        sb.append(",\"city\":");
        Json.string(sb, city);
        sb.append(",\"participant\":");
        Json.string(sb, sender);
        sb.append(",\"data\":").append(dataJson).append('}');
        return sb.toString();
    }

    /** The same event at another time (live mode sends at the wall clock). */
    public SimEvent restamped(long eventTimeMillis) {
        return new SimEvent(eventId, type, eventTimeMillis, resident, card, city, sender, dataJson);
    }

    /** The same event with another id (a live run that must not collide with an earlier run's ids). */
    public SimEvent withEventId(String eventId) {
        return new SimEvent(eventId, type, eventTimeMillis, resident, card, city, sender, dataJson);
    }
}
