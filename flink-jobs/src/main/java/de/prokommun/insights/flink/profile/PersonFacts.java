package de.prokommun.insights.flink.profile;

import java.util.Map;
import java.util.Set;

/**
 * What persona rules may look at: the anonymous profile and the person's recent activity
 * (signal → epoch days on which it happened, see {@link ActivitySignals}), as of {@code today}.
 */
public record PersonFacts(Integer age, String householdType, String gender, Set<String> interests,
                          Map<String, int[]> activityDays, int today) {

    /** Occurrences of any of the signals within the last {@code withinDays} days (today included). */
    public int activityCount(Iterable<String> signals, int withinDays) {
        int n = 0;
        for (String s : signals) {
            int[] days = activityDays.get(s);
            if (days == null) continue;
            for (int d : days) {
                if (d <= today && today - d < withinDays) n++;
            }
        }
        return n;
    }
}
