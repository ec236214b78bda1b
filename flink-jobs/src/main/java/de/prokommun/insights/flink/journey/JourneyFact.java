package de.prokommun.insights.flink.journey;

import java.util.Comparator;

/**
 * One live fact of the person that journey rows are computed from (a Flink POJO in the journey ledger's state):
 * a visit (purchase receipt or check-in), an engagement, an employer voucher credit or redemption, a bonus event.
 */
public class JourneyFact {
    public static final String PURCHASE = "purchase";
    public static final String CHECK_IN = "check_in";
    public static final String ENGAGEMENT = "engagement";
    public static final String EMPLOYER_CREDIT = "employer_credit";
    public static final String EMPLOYER_REDEMPTION = "employer_redemption";
    public static final String BONUS_EARNED = "bonus_earned";
    public static final String BONUS_REDEEMED = "bonus_redeemed";

    /** The spec's visit order (eventTime, participant, receipt/event id), used for every kind. */
    public static final Comparator<JourneyFact> ORDER = Comparator.<JourneyFact>comparingLong(f -> f.eventTime)
            .thenComparing(f -> f.participant, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(f -> f.id, Comparator.nullsFirst(Comparator.naturalOrder()));

    public String kind;
    /** Receipt reference of a purchase, event id otherwise. */
    public String id;
    /** The shop or club visited; the engaged participant; who reported a credit; where a voucher or points were used. */
    public String participant;
    /** Employer of a credit. */
    public String counterpart;
    /** Main category of a visit. */
    public String category;
    /** District of the participant of a visit (null when unknown). */
    public String place;
    public long eventTime;
    /** Receipt total, credited or redeemed cents. */
    public long amountCents;
    /** Bonus points. */
    public long points;

    public JourneyFact() {}

    public static JourneyFact of(String kind, String id, String participant, long eventTime) {
        JourneyFact f = new JourneyFact();
        f.kind = kind;
        f.id = id;
        f.participant = participant;
        f.eventTime = eventTime;
        return f;
    }

    public boolean isVisit() {
        return PURCHASE.equals(kind) || CHECK_IN.equals(kind);
    }

    public boolean isPurchase() {
        return PURCHASE.equals(kind);
    }

    @Override
    public String toString() {
        return kind + "(" + participant + "/" + id + " @" + eventTime + ")";
    }
}
