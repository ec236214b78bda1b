package de.prokommun.insights.privacy;

import java.util.List;

/**
 * What the query service may return for one question: the released cells, the ε this call spent (0 for a
 * repeated question), whether the question had been asked before (same answer, free), and the asker's budget.
 */
public record Release(List<ReleasedCell> cells, double epsilonSpent, boolean repeated, BudgetStatus budget) {
    public Release {
        cells = List.copyOf(cells);
    }
}
