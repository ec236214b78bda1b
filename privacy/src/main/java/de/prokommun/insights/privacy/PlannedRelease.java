package de.prokommun.insights.privacy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One release of an answer that is made of several (a count and its breakdown, a table of figures), planned
 * before anything is charged so that {@link DisclosureControl#releaseAll} can check what the whole answer costs.
 * Holds true cells: it must not leave the service that computed them.
 */
public record PlannedRelease(Question question, List<TrueCell> cells, Measure measure, long sensitivity) {

    public PlannedRelease {
        Checks.notNull(question, "question");
        Checks.notNull(cells, "cells");
        Checks.notNull(measure, "measure");
        // Null elements are kept for DisclosureControl to refuse naming the cell (List.copyOf would throw unnamed).
        cells = Collections.unmodifiableList(new ArrayList<>(cells));
        if (sensitivity <= 0) throw new IllegalArgumentException("sensitivity must be positive: " + sensitivity);
    }

    /** Counts of people (sensitivity 1 per person; the cells disjoint), as {@link DisclosureControl#releaseCounts}. */
    public static PlannedRelease counts(Question question, List<TrueCell> cells) {
        return new PlannedRelease(question, cells, Measure.COUNT, 1);
    }

    /** Sums clamped per person to [0, clampPerPerson], as {@link DisclosureControl#releaseSums}. */
    public static PlannedRelease sums(Question question, List<TrueCell> cells, long clampPerPerson) {
        if (clampPerPerson <= 0) throw new IllegalArgumentException("clampPerPerson must be positive: " + clampPerPerson);
        return new PlannedRelease(question, cells, Measure.SUM, clampPerPerson);
    }
}
