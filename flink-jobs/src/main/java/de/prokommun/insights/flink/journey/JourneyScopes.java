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
    }

    public static void affectedBy(JourneyFact fact, Neighbourhood live, ZoneId zone, Set<String> scopes) throws Exception {
        int month = Periods.month(fact.eventTime, zone);
        scopes.add(Periods.monthScope(month));
        if (fact.isVisit()) {
            scopes.add(Periods.yearScope(Periods.year(fact.eventTime, zone)));
            scopes.add(Periods.FIRST);
            Integer next = live.monthOfVisitAfter(fact); // its predecessor changes: flows into its month
            if (next != null) scopes.add(Periods.monthScope(next));
            // engagements of the 30 days before a purchase may now (or no longer) have bought
            int from = Periods.month(fact.eventTime - JourneyMeasures.ENGAGEMENT_WINDOW_MILLIS, zone);
            for (int m = from; m < month; m = Periods.nextMonth(m)) scopes.add(Periods.monthScope(m));
        } else if (JourneyFact.EMPLOYER_CREDIT.equals(fact.kind)) {
            // later redemptions may now be attributed to this credit's employer
            for (int m : live.monthsOfRedemptionsAfter(fact)) scopes.add(Periods.monthScope(m));
        }
    }
}
