package de.prokommun.insights.flink.journey;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The person's counted journey facts of one calendar month (at most the limit of each group, see
 * {@link JourneyLedger}), in the spec's order (a Flink POJO in the journey ledger's
 * state, one entry per month). Partitioning by month is what keeps an event's cost independent of the person's
 * history: a scope reads the months it depends on, never the whole history.
 */
public class MonthFacts {
    public JourneyFact[] facts = new JourneyFact[0];

    public MonthFacts() {}

    MonthFacts with(JourneyFact added) {
        List<JourneyFact> list = new ArrayList<>(Arrays.asList(facts));
        int at = 0;
        while (at < list.size() && JourneyFact.ORDER.compare(list.get(at), added) <= 0) at++;
        list.add(at, added);
        return of(list);
    }

    MonthFacts without(String key) {
        List<JourneyFact> list = new ArrayList<>(facts.length);
        for (JourneyFact f : facts) if (!JourneyFacts.keyOf(f).equals(key)) list.add(f);
        return of(list);
    }

    /**
     * The kind of limit a fact counts against: visits (purchases and check-ins together), engagements, employer
     * credits, redemptions, bonus points earned, redeemed. The month holds at most a limit of facts of each group.
     */
    static int group(JourneyFact f) {
        if (f.isVisit()) return 0;
        return switch (f.kind) {
            case JourneyFact.ENGAGEMENT -> 1;
            case JourneyFact.EMPLOYER_CREDIT -> 2;
            case JourneyFact.EMPLOYER_REDEMPTION -> 3;
            case JourneyFact.BONUS_EARNED -> 4;
            case JourneyFact.BONUS_REDEEMED -> 5;
            default -> throw new IllegalArgumentException("unknown journey fact kind: " + f.kind);
        };
    }

    /** How many facts of the fact's group the month holds. */
    int countOf(int group) {
        int n = 0;
        for (JourneyFact f : facts) if (group(f) == group) n++;
        return n;
    }

    /** The last fact of the group in order, or null. */
    JourneyFact lastOf(int group) {
        for (int i = facts.length - 1; i >= 0; i--) if (group(facts[i]) == group) return facts[i];
        return null;
    }

    /** Whether the month holds the fact with this key. */
    boolean holdsKey(String key) {
        for (JourneyFact f : facts) if (JourneyFacts.keyOf(f).equals(key)) return true;
        return false;
    }

    /** Whether any live fact of the month satisfies the condition. */
    boolean holds(java.util.function.Predicate<JourneyFact> condition) {
        for (JourneyFact f : facts) if (condition.test(f)) return true;
        return false;
    }

    boolean isEmpty() {
        return facts.length == 0;
    }

    /** The first visit, or null. */
    JourneyFact firstVisit() {
        for (JourneyFact f : facts) if (f.isVisit()) return f;
        return null;
    }

    /** The last visit, or null. */
    JourneyFact lastVisit() {
        for (int i = facts.length - 1; i >= 0; i--) if (facts[i].isVisit()) return facts[i];
        return null;
    }

    /** The last live employer credit, or null. */
    JourneyFact lastCredit() {
        for (int i = facts.length - 1; i >= 0; i--) if (JourneyFact.EMPLOYER_CREDIT.equals(facts[i].kind)) return facts[i];
        return null;
    }

    /** The first employer credit after {@code fact} in order, or null. */
    JourneyFact creditAfter(JourneyFact fact) {
        for (JourneyFact f : facts) {
            if (JourneyFact.EMPLOYER_CREDIT.equals(f.kind) && JourneyFact.ORDER.compare(f, fact) > 0) return f;
        }
        return null;
    }

    /** The first visit after {@code fact} in visit order, or null. */
    JourneyFact visitAfter(JourneyFact fact) {
        for (JourneyFact f : facts) if (f.isVisit() && JourneyFact.ORDER.compare(f, fact) > 0) return f;
        return null;
    }

    private static MonthFacts of(List<JourneyFact> list) {
        MonthFacts m = new MonthFacts();
        m.facts = list.toArray(new JourneyFact[0]);
        return m;
    }
}
