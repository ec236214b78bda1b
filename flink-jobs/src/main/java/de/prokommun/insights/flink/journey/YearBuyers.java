package de.prokommun.insights.flink.journey;

import java.util.TreeSet;

/**
 * The participants the person bought from in one year, with the number of live purchases at each (a Flink POJO:
 * parallel arrays sorted by participant). The year's shared-customer pairs are computed from it alone.
 */
public class YearBuyers {
    public String[] participants = new String[0];
    public int[] purchases = new int[0];

    public YearBuyers() {}

    /** Adds sign to the participant's purchases; returns whether the participant joined or left the buyers. */
    boolean change(String participant, int sign) {
        int at = java.util.Arrays.binarySearch(participants, participant);
        if (at >= 0) {
            int n = purchases[at] + sign;
            if (n > 0) {
                purchases = purchases.clone();
                purchases[at] = n;
                return false;
            }
            participants = ArrayEdits.removeAt(participants, at);
            purchases = ArrayEdits.removeAt(purchases, at);
            return true;
        }
        if (sign <= 0) return false;
        int insert = -at - 1;
        participants = ArrayEdits.insertAt(participants, insert, participant);
        purchases = ArrayEdits.insertAt(purchases, insert, sign);
        return true;
    }

    boolean isEmpty() {
        return participants.length == 0;
    }

    TreeSet<String> asSet() {
        return new TreeSet<>(java.util.Arrays.asList(participants));
    }
}
