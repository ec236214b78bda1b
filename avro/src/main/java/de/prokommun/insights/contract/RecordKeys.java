package de.prokommun.insights.contract;

import de.prokommun.insights.events.InteractionEvent;

/**
 * The Kafka key of a raw event: the resident reference, else the card reference, else the event id. Events
 * of one person thus share a partition and keep their order.
 */
public final class RecordKeys {
    private RecordKeys() {}

    public static String keyOf(InteractionEvent event) {
        if (event.getResident() != null) return event.getResident();
        if (event.getCard() != null) return event.getCard();
        return event.getEventId();
    }
}
