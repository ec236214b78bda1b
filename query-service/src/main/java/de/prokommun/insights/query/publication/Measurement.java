package de.prokommun.insights.query.publication;

import java.util.List;

/**
 * One noisy count as measured, before consistency: a cell of one marginal of a slice (path: the marginal's name,
 * e.g. "ageBand×district", then its values; in publications made before the marginals: a node of the hierarchy,
 * the empty path the slice's total, then district, age band, gender, household type) and its true count plus its
 * noise. Kept so that the publication can be audited (and re-derived by whoever holds the key); answers read the
 * consistent cells.
 */
public record Measurement(List<String> path, long value) {
    public Measurement {
        path = List.copyOf(path);
    }
}
