package de.prokommun.insights.flink.journey;

import java.time.ZoneId;
import java.util.Set;

/** Which scopes a fact's arrival or departure can change (pure; {@code facts} are the facts that include it). */
public final class JourneyScopes {
    private JourneyScopes() {}

    public static void affectedBy(JourneyFact fact, Facts facts, ZoneId zone, Set<String> scopes) {
        int month = Periods.month(fact.eventTime, zone);
        scopes.add(Periods.monthScope(month));
        if (fact.isVisit()) {
            scopes.add(Periods.yearScope(Periods.year(fact.eventTime, zone)));
            scopes.add(Periods.FIRST);
            JourneyFact next = facts.visitAfter(fact); // its predecessor changes: flows into its month
            if (next != null) scopes.add(Periods.monthScope(Periods.month(next.eventTime, zone)));
            // engagements of the 30 days before a purchase may now (or no longer) have bought
            int from = Periods.month(fact.eventTime - JourneyMeasures.ENGAGEMENT_WINDOW_MILLIS, zone);
            for (int m = from; m < month; m = Periods.nextMonth(m)) scopes.add(Periods.monthScope(m));
        } else if (JourneyFact.EMPLOYER_CREDIT.equals(fact.kind)) {
            // later redemptions may now be attributed to this credit's employer
            for (JourneyFact r : facts.redemptions) {
                if (r.eventTime >= fact.eventTime) scopes.add(Periods.monthScope(Periods.month(r.eventTime, zone)));
            }
        }
    }
}
