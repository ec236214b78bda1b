package de.prokommun.insights.flink.journey;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.PurchaseRetracted;
import de.prokommun.insights.flink.ledger.ProductGroups;
import de.prokommun.insights.flink.ledger.ReceiptRef;
import de.prokommun.insights.flink.ledger.Segment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What the profile operator tells the journey operator ({@link JourneyLedgerFunction}) about one person: a journey
 * fact added, receipts retracted (retraction, retention expiry), or everything erased (erasure, withdrawn consent);
 * with the person's segment at that moment. A Flink POJO (public fields of POJO and basic types), so it travels with
 * Flink's own serializers, never Kryo.
 */
public class JourneyChange {
    /** The person (the key of both operators). */
    public String pseudonym;
    public String city;
    /** The person's segment when the change happens (null for an erasure: negations repeat the stored segments). */
    public Segment segment;
    /** A fact to add (a purchase replaces the live one with the same receipt), or null. */
    public JourneyFact added;
    /** Receipts whose visits go (references), or null. */
    public String[] retractedReceipts;
    /** The participant of each of {@link #retractedReceipts}: receipts are one participant's (issue 15). */
    public String[] retractedParticipants;
    /** Erasure or withdrawal: negate every row still standing and clear the person's journey state. */
    public boolean erased;

    public JourneyChange() {}

    public static JourneyChange added(String pseudonym, String city, Segment segment, JourneyFact fact) {
        JourneyChange c = of(pseudonym, city, segment);
        c.added = fact;
        return c;
    }

    public static JourneyChange retracted(String pseudonym, String city, Segment segment, List<ReceiptRef> receipts) {
        JourneyChange c = of(pseudonym, city, segment);
        c.retractedReceipts = receipts.stream().map(ReceiptRef::receipt).toArray(String[]::new);
        c.retractedParticipants = receipts.stream().map(ReceiptRef::participant).toArray(String[]::new);
        return c;
    }

    /** The retracted receipts with their participants (empty if none). */
    public List<ReceiptRef> retracted() {
        List<ReceiptRef> refs = new ArrayList<>();
        if (retractedReceipts == null) return refs;
        for (int i = 0; i < retractedReceipts.length; i++) {
            refs.add(new ReceiptRef(retractedParticipants[i], retractedReceipts[i]));
        }
        return refs;
    }

    public static JourneyChange erased(String pseudonym, String city) {
        JourneyChange c = of(pseudonym, city, null);
        c.erased = true;
        return c;
    }

    /**
     * The change an accepted event of a profiled person makes to the journey, or null if none: a PurchaseRetracted
     * retracts its receipt, an event with a journey fact ({@link JourneyFacts#of}) adds it.
     */
    public static JourneyChange ofEvent(AnonymousEvent event, String city, Segment segment,
                                        Function<String, String> placeOf, ProductGroups.Lookup groups) throws Exception {
        if (event.getPayload() instanceof PurchaseRetracted retracted) {
            return retracted(event.getPseudonym(), city, segment,
                    List.of(new ReceiptRef(event.getParticipant(), retracted.getReceipt())));
        }
        JourneyFact fact = JourneyFacts.of(event, city, placeOf, groups);
        return fact == null ? null : added(event.getPseudonym(), city, segment, fact);
    }

    private static JourneyChange of(String pseudonym, String city, Segment segment) {
        JourneyChange c = new JourneyChange();
        c.pseudonym = pseudonym;
        c.city = city;
        c.segment = segment;
        return c;
    }

    public String pseudonym() {
        return pseudonym;
    }
}
