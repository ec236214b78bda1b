package de.prokommun.insights.flink.campaign;

/** Offers a person was handed in one calendar week (a Flink POJO): the frequency cap's state. */
public class WeekCount {
    /** ISO week-based year × 100 + week, in the city's zone. */
    public int week;
    public int count;

    public WeekCount() {}

    public WeekCount(int week, int count) {
        this.week = week;
        this.count = count;
    }
}
