package de.prokommun.insights.flink.journey;

import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/** Which scopes a fact's arrival or departure can change (pure; the neighbourhood is that of the live facts). */
public final class JourneyScopes {
    private JourneyScopes() {}

    /** What the scopes of a change depend on besides the fact itself, answered from the person's live facts. */
    public interface Neighbourhood {
        /** The month of the first live visit after {@code visit} in visit order, or null. */
        Integer monthOfVisitAfter(JourneyFact visit) throws Exception;

        /** The months of live redemptions that {@code credit} may be the latest credit for. */
        List<Integer> monthsOfRedemptionsAfter(JourneyFact credit) throws Exception;

        /** Whether {@code visit} is (or, removed, was) the first visit: no live visit comes before it. */
        boolean isFirstVisit(JourneyFact visit) throws Exception;

        /** Whether the change opened or closed the purchase's participant in its year's buyers. */
        boolean changedYearBuyers(JourneyFact purchase) throws Exception;

        /**
         * Whether the purchase's arrival or departure opened or closed its participant among the month's buyers: no
         * other live purchase of the month at that participant.
         */
        boolean changedMonthBuyers(JourneyFact purchase) throws Exception;

        /** The months (its own included) of live engagements at the purchase's participant in the 30 days before it. */
        List<Integer> monthsOfEngagementsBefore(JourneyFact purchase) throws Exception;
    }

    /** Adds every scope whose rows the fact's arrival or departure can change: no scope whose rows stay the same. */
    public static void affectedBy(JourneyFact fact, Neighbourhood live, ZoneId zone, Set<String> scopes) throws Exception {
        int month = Periods.month(fact.eventTime, zone);
        if (fact.isVisit()) {
            scopes.add(Periods.monthScope(month, Periods.VISIT));
            scopes.add(Periods.monthScope(month, Periods.FLOW));
            if (live.isFirstVisit(fact)) scopes.add(Periods.FIRST);
            Integer next = live.monthOfVisitAfter(fact); // its predecessor changes: flows into its month
            if (next != null) scopes.add(Periods.monthScope(next, Periods.FLOW));
        }
        if (fact.isPurchase()) {
            // shared-customer rows depend only on the set of participants bought from: a second purchase at the
            // same shop in a month leaves them alone (recomputing the pairs was a visible part of every purchase)
            if (live.changedMonthBuyers(fact)) scopes.add(Periods.monthScope(month, Periods.SHARED));
            if (live.changedYearBuyers(fact)) scopes.add(Periods.yearScope(Periods.year(fact.eventTime, zone)));
            // engagements of the 30 days before a purchase may now (or no longer) have bought
            for (int m : live.monthsOfEngagementsBefore(fact)) scopes.add(Periods.monthScope(m, Periods.ENGAGED));
        }
        switch (fact.kind) {
            case JourneyFact.ENGAGEMENT -> scopes.add(Periods.monthScope(month, Periods.ENGAGED));
            case JourneyFact.EMPLOYER_REDEMPTION -> scopes.add(Periods.monthScope(month, Periods.EMPLOYER));
            case JourneyFact.BONUS_EARNED, JourneyFact.BONUS_REDEEMED -> scopes.add(Periods.monthScope(month, Periods.BONUS));
            case JourneyFact.EMPLOYER_CREDIT -> {
                scopes.add(Periods.monthScope(month, Periods.EMPLOYER));
                // later redemptions may now be attributed to this credit's employer
                for (int m : live.monthsOfRedemptionsAfter(fact)) scopes.add(Periods.monthScope(m, Periods.EMPLOYER));
            }
            default -> { }
        }
    }
}
