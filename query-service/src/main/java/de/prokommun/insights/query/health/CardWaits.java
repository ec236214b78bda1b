package de.prokommun.insights.query.health;

import java.util.List;
import java.util.Map;

/**
 * Card-only events that wait for their card to be linked to a resident (the anonymise job's card resolver keeps
 * them, by default as long as the city keeps purchases). Waiting is normal — people shop with a card before they
 * register it — so it has its own tile and never counts as a dead letter. The counters are the job's since it
 * last started: after a restart events restored from a checkpoint can be attributed without having been counted
 * as held, so the number waiting is an estimate bounded below by zero.
 */
final class CardWaits {
    private CardWaits() {}

    static final String HELD = "cardEventsHeld";
    static final String ATTRIBUTED_LATE = "cardEventsAttributedLate";
    static final String EXPIRED = "cardEventsExpiredUnlinked";
    static final String OVERFLOWED = "cardEventsOverflowedUnlinked";
    private static final List<String> COUNTERS = List.of(HELD, ATTRIBUTED_LATE, EXPIRED, OVERFLOWED);

    /** The counter a vertex metric id ("<operator>.<counter>" or the bare name) stands for, or null. */
    static String counterOf(String metricId) {
        for (String c : COUNTERS) {
            if (metricId.equals(c) || metricId.endsWith("." + c)) return c;
        }
        return null;
    }

    static long waiting(Map<String, Long> counters) {
        long w = counters.getOrDefault(HELD, 0L) - counters.getOrDefault(ATTRIBUTED_LATE, 0L)
                - counters.getOrDefault(EXPIRED, 0L);
        return Math.max(0, w);
    }

    /**
     * Overflow (more unlinked events on one card than the buffer holds) drops events that would have counted once
     * linked: that is a loss to look at. Expiry after the city's retention is the rule, not an error.
     */
    static boolean lost(Map<String, Long> counters) {
        return counters.getOrDefault(OVERFLOWED, 0L) > 0;
    }
}
