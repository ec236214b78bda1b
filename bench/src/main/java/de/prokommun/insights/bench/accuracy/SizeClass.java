package de.prokommun.insights.bench.accuracy;

import java.util.Optional;

/**
 * The audience sizes the goals are set for (issue 13), by the true count. Disjoint, so that the 500 class is
 * judged on the audiences that are hard for it and not flattered by the large ones; below 50 the relative error
 * says little (and a minimum cell size of 10 hides the smallest anyway).
 */
public enum SizeClass {
    LARGE("≥ 5,000", 5_000, Long.MAX_VALUE, 1.0, 3.0),
    MEDIUM("500–4,999", 500, 5_000, 5.0, 10.0),
    SMALL("50–499", 50, 500, null, null);

    private final String label;
    private final long from;
    private final long below;
    private final Double medianGoalPercent;
    private final Double p95GoalPercent;

    SizeClass(String label, long from, long below, Double medianGoalPercent, Double p95GoalPercent) {
        this.label = label;
        this.from = from;
        this.below = below;
        this.medianGoalPercent = medianGoalPercent;
        this.p95GoalPercent = p95GoalPercent;
    }

    public static Optional<SizeClass> of(long trueCount) {
        for (SizeClass c : values()) if (trueCount >= c.from && trueCount < c.below) return Optional.of(c);
        return Optional.empty();
    }

    public String label() { return label; }
    public String id() { return name().toLowerCase(java.util.Locale.ROOT); }
    public Double medianGoalPercent() { return medianGoalPercent; }
    public Double p95GoalPercent() { return p95GoalPercent; }
}
