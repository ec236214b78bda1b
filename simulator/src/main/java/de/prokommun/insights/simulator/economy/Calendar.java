package de.prokommun.insights.simulator.economy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Pending actions by day. An action is packed into a long (resident, kind, argument) so a city of a million
 * residents keeps only a few megabytes of schedule. Actions of a day come back in insertion order.
 */
final class Calendar {

    static final int MAX_ARG = (1 << 24) - 1;

    static final class Day {
        long[] actions = new long[16];
        int size;

        void add(long a) {
            if (size == actions.length) actions = Arrays.copyOf(actions, size * 2);
            actions[size++] = a;
        }
    }

    private final Map<Long, Day> days = new HashMap<>();
    private final long endDay;

    Calendar(long endDay) {
        this.endDay = endDay;
    }

    void schedule(long day, int resident, int kind, int arg) {
        if (day >= endDay) return; // beyond the period: never happens in this stream
        if (arg < 0 || arg > MAX_ARG) throw new IllegalStateException("action argument out of range: " + arg);
        days.computeIfAbsent(day, d -> new Day()).add(((long) resident << 32) | ((long) kind << 24) | arg);
    }

    Day take(long day) {
        return days.remove(day);
    }

    static int resident(long action) { return (int) (action >>> 32); }
    static int kind(long action) { return (int) ((action >>> 24) & 0xFF); }
    static int arg(long action) { return (int) (action & MAX_ARG); }
}
