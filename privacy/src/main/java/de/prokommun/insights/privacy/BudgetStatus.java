package de.prokommun.insights.privacy;

import java.time.Instant;

/** ε left in the current day and month, and when the day budget renews next (start of the next local day). */
public record BudgetStatus(double remainingDay, double remainingMonth, Instant renewsAt) {}
