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
            String[] p = new String[participants.length - 1];
            int[] c = new int[purchases.length - 1];
            System.arraycopy(participants, 0, p, 0, at);
            System.arraycopy(participants, at + 1, p, at, participants.length - at - 1);
            System.arraycopy(purchases, 0, c, 0, at);
            System.arraycopy(purchases, at + 1, c, at, purchases.length - at - 1);
            participants = p;
            purchases = c;
            return true;
        }
        if (sign <= 0) return false;
        int insert = -at - 1;
        String[] p = new String[participants.length + 1];
        int[] c = new int[purchases.length + 1];
        System.arraycopy(participants, 0, p, 0, insert);
        System.arraycopy(purchases, 0, c, 0, insert);
        p[insert] = participant;
        c[insert] = sign;
        System.arraycopy(participants, insert, p, insert + 1, participants.length - insert);
        System.arraycopy(purchases, insert, c, insert + 1, purchases.length - insert);
        participants = p;
        purchases = c;
        return true;
    }

    boolean isEmpty() {
        return participants.length == 0;
    }

    TreeSet<String> asSet() {
        return new TreeSet<>(java.util.Arrays.asList(participants));
    }
}
