package de.prokommun.insights.flink.journey;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.BonusPointsEarned;
import de.prokommun.insights.events.BonusPointsRedeemed;
import de.prokommun.insights.events.EmployerVoucherCredited;
import de.prokommun.insights.events.EmployerVoucherRedeemed;
import de.prokommun.insights.events.EventCheckedIn;
import de.prokommun.insights.events.NewsletterSubscribed;
import de.prokommun.insights.events.ParticipantFollowed;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.events.PurchaseLine;
import de.prokommun.insights.flink.ledger.ProductGroups;
import de.prokommun.insights.flink.ledger.ReceiptRef;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The journey fact an accepted event of a person contributes, and the key it is kept under. */
public final class JourneyFacts {
    private JourneyFacts() {}

    /** The fact of the event, or null when the event is no journey fact (registrations, retractions, ...). */
    public static JourneyFact of(AnonymousEvent event, String city, Function<String, String> placeOf,
                                 ProductGroups.Lookup groups) throws Exception {
        Object payload = event.getPayload();
        String participant = event.getParticipant();
        long time = event.getEventTime();
        String eventId = event.getEventId();
        if (payload instanceof Purchase p) {
            JourneyFact f = JourneyFact.of(JourneyFact.PURCHASE, p.getReceipt(), participant, time);
            List<MainCategory.Line> lines = new ArrayList<>();
            for (PurchaseLine line : p.getLines()) {
                lines.add(new MainCategory.Line(groups.categoryOf(city, participant, line.getProductGroup()),
                        line.getAmountCents()));
                f.amountCents = Math.addExact(f.amountCents, line.getAmountCents()); // the profile operator dead-letters a purchase whose sums overflow before it gets here
            }
            f.category = MainCategory.ofReceipt(lines);
            f.place = placeOf.apply(participant);
            return f;
        }
        if (payload instanceof EventCheckedIn c) {
            JourneyFact f = JourneyFact.of(JourneyFact.CHECK_IN, eventId, participant, time);
            f.category = MainCategory.ofCheckIn(c.getCategory());
            f.place = placeOf.apply(participant);
            return f;
        }
        if (payload instanceof NewsletterSubscribed) {
            return JourneyFact.of(JourneyFact.ENGAGEMENT, eventId, participant, time);
        }
        if (payload instanceof ParticipantFollowed followed) {
            JourneyFact f = JourneyFact.of(JourneyFact.ENGAGEMENT, eventId, followed.getFollowed(), time);
            f.counterpart = participant; // who reported the follow: part of the fact's key only
            return f;
        }
        if (payload instanceof EmployerVoucherCredited credit) {
            JourneyFact f = JourneyFact.of(JourneyFact.EMPLOYER_CREDIT, eventId, participant, time);
            f.counterpart = credit.getEmployer();
            f.amountCents = credit.getAmountCents();
            return f;
        }
        if (payload instanceof EmployerVoucherRedeemed redeemed) {
            JourneyFact f = JourneyFact.of(JourneyFact.EMPLOYER_REDEMPTION, eventId, participant, time);
            f.amountCents = redeemed.getAmountCents();
            return f;
        }
        if (payload instanceof BonusPointsEarned earned) {
            JourneyFact f = JourneyFact.of(JourneyFact.BONUS_EARNED, eventId, participant, time);
            f.points = earned.getPoints();
            return f;
        }
        if (payload instanceof BonusPointsRedeemed redeemed) {
            JourneyFact f = JourneyFact.of(JourneyFact.BONUS_REDEEMED, eventId, participant, time);
            f.points = redeemed.getPoints();
            return f;
        }
        return null;
    }

    /** The prefix of a purchase's state key. */
    static final String PURCHASE_PREFIX = JourneyFact.PURCHASE + '\u001f';

    /**
     * The state key: a purchase by its participant and receipt (a newer event of the same participant with the same
     * receipt replaces it, a retraction names it; another participant's receipt with the same number is another visit,
     * issue 15), every other fact by kind, reporting participant and event id (the operator's de-duplication key).
     */
    public static String keyOf(JourneyFact f) {
        if (f.isPurchase()) return receiptKey(new ReceiptRef(f.participant, f.id));
        String reporter = JourneyFact.ENGAGEMENT.equals(f.kind) && f.counterpart != null ? f.counterpart : f.participant;
        return f.kind + '\u001f' + reporter + '\u001f' + f.id;
    }

    public static String receiptKey(ReceiptRef receipt) {
        return receipt.qualifiedKey(PURCHASE_PREFIX);
    }
}
