package de.prokommun.insights.flink.profile;

import java.util.Map;
import java.util.TreeMap;

/** The person's recent activity (signal → epoch days) as a map, read from and written back to {@link ProfileState}. */
final class ActivityDays {
    private ActivityDays() {}

    /** Signal → days, sorted by signal (a fresh map: changing it changes the state only through {@link #store}). */
    static Map<String, int[]> of(ProfileState s) {
        Map<String, int[]> map = new TreeMap<>();
        if (s.activitySignals == null) return map;
        for (int i = 0; i < s.activitySignals.length; i++) map.put(s.activitySignals[i], s.activityDays[i]);
        return map;
    }

    /** Replaces the state's activity by the map's (signals without days are left out). */
    static void store(ProfileState s, Map<String, int[]> activity) {
        Map<String, int[]> kept = new TreeMap<>();
        activity.forEach((signal, days) -> {
            if (days != null && days.length > 0) kept.put(signal, days);
        });
        s.activitySignals = kept.keySet().toArray(new String[0]);
        s.activityDays = kept.values().toArray(new int[0][]);
    }
}
