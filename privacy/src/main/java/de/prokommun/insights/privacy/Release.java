package de.prokommun.insights.privacy;

import java.util.List;

/**
 * What the query service may return for one question: the released cells, the ε this call spent (0 for a
 * repeated question), whether the question had been asked before (same answer, free), the asker's budget, and
 * the ρ this call charged to the city-wide cap (0 for a repeated question or without the city-wide accountant).
 * Every release made here is an ad-hoc release: published statistics are released elsewhere, once for everybody.
 */
public record Release(List<ReleasedCell> cells, double epsilonSpent, boolean repeated, BudgetStatus budget, double rhoSpent) {
    public Release {
        cells = List.copyOf(cells);
    }

    public Release(List<ReleasedCell> cells, double epsilonSpent, boolean repeated, BudgetStatus budget) {
        this(cells, epsilonSpent, repeated, budget, 0);
    }
}
