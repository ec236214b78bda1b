package de.prokommun.insights.privacy;

import java.math.BigDecimal;

/**
 * The disclosure rules for one role in one city.
 *
 * @param mechanism               the noise distribution
 * @param epsilonPerQuestion      ε charged for each distinct question (a breakdown's disjoint cells share it)
 * @param delta                   δ per question; 0 for the discrete Laplace, positive for the discrete Gaussian
 * @param minCellSize             k: a cell whose noisy count is below k is shown as "weniger als k"
 * @param dayBudget               ε a single asker may spend per local calendar day
 * @param monthBudget             ε a single asker may spend per local calendar month
 * @param display                 rounding and language of displayed figures
 * @param sameAnswerWithinVersion true: once answered, a question keeps its answer for the rest of the data
 *                                version even if the data changes (free); false: changed data gives a new,
 *                                charged answer with fresh noise
 */
public record RoleRules(Mechanism mechanism, BigDecimal epsilonPerQuestion, BigDecimal delta, int minCellSize,
                        BigDecimal dayBudget, BigDecimal monthBudget, DisplayRule display,
                        boolean sameAnswerWithinVersion) {

    static final BigDecimal MAX_EPSILON_PER_QUESTION = new BigDecimal("5");
    static final BigDecimal MAX_DELTA = new BigDecimal("1e-6");

    public RoleRules {
        Checks.notNull(mechanism, "mechanism");
        Checks.notNull(epsilonPerQuestion, "epsilonPerQuestion");
        Checks.notNull(delta, "delta");
        Checks.notNull(dayBudget, "budget.day");
        Checks.notNull(monthBudget, "budget.month");
        Checks.notNull(display, "display");
        if (epsilonPerQuestion.signum() <= 0 || epsilonPerQuestion.compareTo(MAX_EPSILON_PER_QUESTION) > 0)
            throw new IllegalArgumentException("epsilonPerQuestion must be > 0 and <= " + MAX_EPSILON_PER_QUESTION + ": " + epsilonPerQuestion);
        if (mechanism == Mechanism.DISCRETE_LAPLACE && delta.signum() != 0)
            throw new IllegalArgumentException("delta must be 0 for the discrete Laplace mechanism (pure ε-DP): " + delta);
        if (mechanism == Mechanism.DISCRETE_GAUSSIAN && (delta.signum() <= 0 || delta.compareTo(MAX_DELTA) > 0))
            throw new IllegalArgumentException("delta must be > 0 and <= " + MAX_DELTA + " for the discrete Gaussian: " + delta);
        if (minCellSize < 1) throw new IllegalArgumentException("minCellSize must be at least 1: " + minCellSize);
        if (dayBudget.compareTo(epsilonPerQuestion) < 0)
            throw new IllegalArgumentException("budget.day must be at least epsilonPerQuestion: " + dayBudget);
        if (monthBudget.compareTo(dayBudget) < 0)
            throw new IllegalArgumentException("budget.month must be at least budget.day: " + monthBudget);
    }
}
