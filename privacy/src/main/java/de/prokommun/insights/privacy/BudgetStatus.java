package de.prokommun.insights.privacy;

import java.time.Instant;

/**
 * ε left for new questions: today (never more than the month has left) and this month; and when the day budget
 * renews next (start of the next local day in the city's time zone).
 */
public record BudgetStatus(double remainingDay, double remainingMonth, Instant renewsAt) {}
