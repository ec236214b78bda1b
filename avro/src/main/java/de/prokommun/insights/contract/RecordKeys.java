package de.prokommun.insights.contract;

import de.prokommun.insights.events.InteractionEvent;

/**
 * The Kafka key of a raw event, for every writer of the raw topic (ingestion, its bulk path, the resident API): the
 * city, then the resident reference, else the card reference, else the event id. Events of one person thus share a
 * partition and keep their order; the city comes first because references are unique within a city only (two
 * cities' portals both number their residents {@code R-…}).
 */
public final class RecordKeys {
    private RecordKeys() {}

    public static String keyOf(InteractionEvent event) {
        return event.getCity() + '/' + personOf(event);
    }

    private static String personOf(InteractionEvent event) {
        if (event.getResident() != null) return event.getResident();
        if (event.getCard() != null) return event.getCard();
        return event.getEventId();
    }
}
