package de.prokommun.insights.flink.journey;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the journey ledger needs to find without reading the person's months (a Flink POJO, one value per person):
 * the months that hold live visits, engagements and employer-voucher redemptions (with how many), and the live employer
 * credits (about one a month, each decides whose employer a later redemption is attributed to).
 */
public class JourneyIndex {
    public int[] visitMonths = new int[0];
    public int[] visitCounts = new int[0];
    public int[] redemptionMonths = new int[0];
    public int[] redemptionCounts = new int[0];
    public int[] engagementMonths = new int[0];
    public int[] engagementCounts = new int[0];
    public JourneyFact[] credits = new JourneyFact[0];

    public JourneyIndex() {}

    void change(JourneyFact fact, int month, int sign) {
        if (fact.isVisit()) {
            int[][] changed = count(visitMonths, visitCounts, month, sign);
            visitMonths = changed[0];
            visitCounts = changed[1];
        } else if (JourneyFact.EMPLOYER_REDEMPTION.equals(fact.kind)) {
            int[][] changed = count(redemptionMonths, redemptionCounts, month, sign);
            redemptionMonths = changed[0];
            redemptionCounts = changed[1];
        } else if (JourneyFact.ENGAGEMENT.equals(fact.kind)) {
            int[][] changed = count(engagementMonths, engagementCounts, month, sign);
            engagementMonths = changed[0];
            engagementCounts = changed[1];
        } else if (JourneyFact.EMPLOYER_CREDIT.equals(fact.kind)) {
            List<JourneyFact> list = new ArrayList<>(Arrays.asList(credits));
            String key = JourneyFacts.keyOf(fact);
            list.removeIf(c -> JourneyFacts.keyOf(c).equals(key));
            if (sign > 0) list.add(fact);
            list.sort(JourneyFact.ORDER);
            credits = list.toArray(new JourneyFact[0]);
        }
    }

    /** The month with the first live visit, or null. */
    Integer firstVisitMonth() {
        return visitMonths.length == 0 ? null : visitMonths[0];
    }

    boolean hasEngagementsIn(int month) {
        return Arrays.binarySearch(engagementMonths, month) >= 0;
    }

    boolean hasVisitsIn(int month) {
        return Arrays.binarySearch(visitMonths, month) >= 0;
    }

    /** The latest month before {@code month} with a live visit, or null. */
    Integer visitMonthBefore(int month) {
        Integer found = null;
        for (int m : visitMonths) {
            if (m < month) found = m;
            else break;
        }
        return found;
    }

    /** The earliest month after {@code month} with a live visit, or null. */
    Integer visitMonthAfter(int month) {
        for (int m : visitMonths) if (m > month) return m;
        return null;
    }

    /** Months with live redemptions in [from, to] (to null: no upper end). */
    List<Integer> redemptionMonthsBetween(int from, Integer to) {
        List<Integer> months = new ArrayList<>();
        for (int m : redemptionMonths) if (m >= from && (to == null || m <= to)) months.add(m);
        return months;
    }

    /** The first live credit after {@code credit} in order, or null. */
    JourneyFact creditAfter(JourneyFact credit) {
        for (JourneyFact c : credits) if (JourneyFact.ORDER.compare(c, credit) > 0) return c;
        return null;
    }

    boolean isEmpty() {
        return visitMonths.length == 0 && redemptionMonths.length == 0 && engagementMonths.length == 0
                && credits.length == 0;
    }

    /** Adds sign to the month's count in sorted parallel arrays; a month whose count reaches 0 leaves. */
    private static int[][] count(int[] months, int[] counts, int month, int sign) {
        int at = Arrays.binarySearch(months, month);
        if (at >= 0) {
            int n = counts[at] + sign;
            if (n > 0) {
                int[] c = counts.clone();
                c[at] = n;
                return new int[][] {months, c};
            }
            return new int[][] {ArrayEdits.removeAt(months, at), ArrayEdits.removeAt(counts, at)};
        }
        if (sign <= 0) return new int[][] {months, counts};
        int insert = -at - 1;
        return new int[][] {ArrayEdits.insertAt(months, insert, month), ArrayEdits.insertAt(counts, insert, sign)};
    }
}
