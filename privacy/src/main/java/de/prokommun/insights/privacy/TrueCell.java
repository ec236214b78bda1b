package de.prokommun.insights.privacy;

/**
 * One cell of a true aggregate as the query service computed it (label "" for a single figure). It never
 * leaves the privacy layer. A breakdown must list every category of its domain, zero cells included:
 * a missing label would itself tell that the cell is empty.
 */
public record TrueCell(String label, long count) {
    public TrueCell {
        Checks.notNull(label, "cell.label");
    }
}
