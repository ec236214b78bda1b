package de.prokommun.insights.flink.journey;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the journey ledger needs to find without reading the person's months (a Flink POJO, one value per person):
 * the months that hold live visits, engagements, employer-voucher redemptions and credits (with how many). Only
 * month numbers: the credits themselves stay in their months (an index holding them grew by one fact a month, and
 * was read and written with every journey event), and the one credit a month's redemptions may need from before
 * it is the last of the latest credit month.
 */
public class JourneyIndex {
    public int[] visitMonths = new int[0];
    public int[] visitCounts = new int[0];
    public int[] redemptionMonths = new int[0];
    public int[] redemptionCounts = new int[0];
    public int[] engagementMonths = new int[0];
    public int[] engagementCounts = new int[0];
    public int[] creditMonths = new int[0];
    public int[] creditCounts = new int[0];

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
            int[][] changed = count(creditMonths, creditCounts, month, sign);
            creditMonths = changed[0];
            creditCounts = changed[1];
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
        return before(visitMonths, month);
    }

    /** The earliest month after {@code month} with a live visit, or null. */
    Integer visitMonthAfter(int month) {
        return after(visitMonths, month);
    }

    /** The latest month before {@code month} with a live employer credit, or null. */
    Integer creditMonthBefore(int month) {
        return before(creditMonths, month);
    }

    /** The earliest month after {@code month} with a live employer credit, or null. */
    Integer creditMonthAfter(int month) {
        return after(creditMonths, month);
    }

    private static Integer before(int[] months, int month) {
        int at = Arrays.binarySearch(months, month);
        int below = (at >= 0 ? at : -at - 1) - 1;
        return below >= 0 ? months[below] : null;
    }

    private static Integer after(int[] months, int month) {
        int at = Arrays.binarySearch(months, month);
        int above = at >= 0 ? at + 1 : -at - 1;
        return above < months.length ? months[above] : null;
    }

    /** Months with live redemptions in [from, to] (to null: no upper end). */
    List<Integer> redemptionMonthsBetween(int from, Integer to) {
        List<Integer> months = new ArrayList<>();
        for (int m : redemptionMonths) if (m >= from && (to == null || m <= to)) months.add(m);
        return months;
    }

    boolean isEmpty() {
        return visitMonths.length == 0 && redemptionMonths.length == 0 && engagementMonths.length == 0
                && creditMonths.length == 0;
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
