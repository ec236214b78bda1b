package de.prokommun.insights.privacy.budget;

import de.prokommun.insights.privacy.BudgetStatus;
import java.math.BigDecimal;

/** The outcome of asking the ledger to pay for a question: repeated (free) or paid, and the budget left. */
public record Charge(boolean repeated, BigDecimal spent, BudgetStatus status) {}
