package de.prokommun.insights.flink.anonymize;

import de.prokommun.insights.events.AnonymousEvent;

/**
 * What reaches the card resolver under a card pseudonym key (a Flink POJO): a card-only event to attribute,
 * the link of the card to a resident, or the erasure of the resident who held the card.
 */
public class CardCommand {
    public enum Kind { EVENT, LINK, ERASE }

    public Kind kind;
    public String card;
    /** LINK and ERASE: the resident pseudonym. */
    public String resident;
    /** EVENT: the event, its pseudonym still empty. */
    public AnonymousEvent event;
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;
    /** EVENT: processing time at which it started waiting for a link (0 if it never waited). */
    public long waitingSince;
    /** ERASE: events of the card with an earlier event time are from before the erasure (epoch ms). */
    public long erasedBefore;

    public CardCommand() {}

    public static CardCommand event(PseudonymisedEvent e) {
        CardCommand c = new CardCommand();
        c.kind = Kind.EVENT;
        c.card = e.cardPseudonym;
        c.event = e.event;
        c.sourceTopic = e.sourceTopic;
        c.sourcePartition = e.sourcePartition;
        c.sourceOffset = e.sourceOffset;
        return c;
    }

    public static CardCommand link(String card, String resident) {
        CardCommand c = new CardCommand();
        c.kind = Kind.LINK;
        c.card = card;
        c.resident = resident;
        return c;
    }

    public static CardCommand erase(String card, String resident, long erasedBefore) {
        CardCommand c = new CardCommand();
        c.kind = Kind.ERASE;
        c.card = card;
        c.resident = resident;
        c.erasedBefore = erasedBefore;
        return c;
    }

    @Override
    public String toString() { return "CardCommand{" + kind + "}"; }
}
