package de.prokommun.insights.flink.anonymize;

import de.prokommun.insights.events.AnonymousEvent;

/**
 * The anonymiser's intermediate result (a Flink POJO). An event that named only a card carries the card's
 * pseudonym and an empty {@code event.pseudonym} until the card resolver attributes it to its resident.
 */
public class PseudonymisedEvent {
    public AnonymousEvent event;
    /** Set only for card-only events. */
    public String cardPseudonym;
    /**
     * Set only for a registration: the portal's resident reference, which {@link ResidentCards} hands on as the
     * person's contact (topic resident-contacts) and which never enters the anonymous event.
     */
    public String residentReference;
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;

    public PseudonymisedEvent() {}

    public PseudonymisedEvent(AnonymousEvent event, String cardPseudonym) {
        this.event = event;
        this.cardPseudonym = cardPseudonym;
    }

    public boolean isCardOnly() { return cardPseudonym != null; }
}
