package de.prokommun.insights.simulator.city;

import java.time.DayOfWeek;

/** Opening hours per weekday as [open, close) local hours; a closed day has no window. */
public final class OpeningHours {

    private final int[] open = new int[7];
    private final int[] close = new int[7];

    public OpeningHours(int[][] week) {
        if (week.length != 7) throw new IllegalArgumentException("opening hours need 7 weekdays, got " + week.length);
        for (int d = 0; d < 7; d++) {
            int[] w = week[d];
            if (w == null) continue;
            if (w.length != 2 || w[0] < 0 || w[1] > 24 || w[0] >= w[1]) {
                throw new IllegalArgumentException("opening hours of weekday " + (d + 1) + " must be [open, close) within 0..24");
            }
            open[d] = w[0];
            close[d] = w[1];
        }
    }

    public boolean isOpen(DayOfWeek day) { return close[day.getValue() - 1] > 0; }
    public int opens(DayOfWeek day) { return open[day.getValue() - 1]; }
    public int closes(DayOfWeek day) { return close[day.getValue() - 1]; }
}
