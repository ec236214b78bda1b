package de.prokommun.insights.privacy;

import java.time.Instant;

/**
 * The asker's privacy budget cannot pay for a new question. The query service answers HTTP 429 with
 * {@link #renewsAt()} (start of the next local day, or of the next month when the month budget is used up).
 */
public final class BudgetExhaustedException extends RuntimeException {

    /** Which budget ran out. */
    public enum Period { DAY, MONTH }

    private final transient Instant renewsAt;
    private final Period period;
    private final double epsilonNeeded;
    private final transient BudgetStatus budget;

    public BudgetExhaustedException(Period period, double epsilonNeeded, BudgetStatus budget, Instant renewsAt) {
        super("Privacy budget exhausted for this " + period.name().toLowerCase() + ": this question needs ε="
                + epsilonNeeded + ", " + (period == Period.DAY ? budget.remainingDay() : budget.remainingMonth())
                + " left; the budget renews at " + renewsAt);
        this.period = period;
        this.epsilonNeeded = epsilonNeeded;
        this.budget = budget;
        this.renewsAt = renewsAt;
    }

    public Instant renewsAt() {
        return renewsAt;
    }

    public Period period() {
        return period;
    }

    public double epsilonNeeded() {
        return epsilonNeeded;
    }

    public BudgetStatus budget() {
        return budget;
    }
}
