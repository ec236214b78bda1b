package de.prokommun.insights.flink.journey;

import java.util.List;

/**
 * What the journey ledger needs to find without reading the person's months (a Flink POJO, one value per person):
 * the months that hold live visits, engagements, employer-voucher redemptions and credits, each as a
 * {@link MonthSet}. Only which months, not the facts: the credits themselves stay in their months (an index that
 * held them grew by one fact a month, read and written with every journey event), and as bitsets the index stays a
 * few words for any history (sorted arrays of months with counts grew by 8 bytes a month and kind).
 */
public class JourneyIndex {
    public MonthSet visits = new MonthSet();
    public MonthSet redemptions = new MonthSet();
    public MonthSet engagements = new MonthSet();
    public MonthSet credits = new MonthSet();
    /** The first live visit in visit order (null: none, or an index written before it was kept). */
    public JourneyFact firstVisit;

    public JourneyIndex() {}

    /**
     * Marks whether the month holds facts of the fact's kind, from the month as it is after the change; whether the
     * index changed.
     */
    boolean change(JourneyFact fact, int month, MonthFacts now) {
        MonthSet set = setOf(fact);
        return set != null && set.set(month, now.holds(f -> setOf(f) == set));
    }

    private MonthSet setOf(JourneyFact f) {
        if (f.isVisit()) return visits;
        return switch (f.kind) {
            case JourneyFact.EMPLOYER_REDEMPTION -> redemptions;
            case JourneyFact.ENGAGEMENT -> engagements;
            case JourneyFact.EMPLOYER_CREDIT -> credits;
            default -> null;
        };
    }

    /** The month with the first live visit, or null. */
    Integer firstVisitMonth() {
        return visits.first();
    }

    boolean hasEngagementsIn(int month) {
        return engagements.contains(month);
    }

    boolean hasVisitsIn(int month) {
        return visits.contains(month);
    }

    /** The latest month before {@code month} with a live visit, or null. */
    Integer visitMonthBefore(int month) {
        return visits.before(month);
    }

    /** The earliest month after {@code month} with a live visit, or null. */
    Integer visitMonthAfter(int month) {
        return visits.after(month);
    }

    /** The latest month before {@code month} with a live employer credit, or null. */
    Integer creditMonthBefore(int month) {
        return credits.before(month);
    }

    /** The earliest month after {@code month} with a live employer credit, or null. */
    Integer creditMonthAfter(int month) {
        return credits.after(month);
    }

    /** Months with live redemptions in [from, to] (to null: no upper end). */
    List<Integer> redemptionMonthsBetween(int from, Integer to) {
        return redemptions.between(from, to);
    }

    boolean isEmpty() {
        return firstVisit == null && visits.isEmpty() && redemptions.isEmpty() && engagements.isEmpty() && credits.isEmpty();
    }
}
