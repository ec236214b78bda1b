package de.prokommun.insights.contract;

import java.util.List;

/**
 * One measure of the Pinot table {@code contributions} (its column {@code measure}): the name the rows carry, the
 * value columns a figure of it sums (the first is its main figure) and what one row means. The registry is
 * {@link Measures}; flink-jobs/README.md documents each row's dimensions.
 */
public record Measure(String name, List<Column> columns, String meaning) {

    /** The value columns of a contribution row (Pinot schema {@code contributions}). */
    public enum Column {
        COUNT("count"), QUANTITY("quantity"), AMOUNT_CENTS("amountCents"), LAG_DAYS("lagDays");

        private final String pinot;

        Column(String pinot) {
            this.pinot = pinot;
        }

        /** The column's name in the Pinot schema. */
        public String pinot() {
            return pinot;
        }
    }

    public Measure {
        if (name == null || !name.matches("[a-z][a-z_]*")) throw new IllegalArgumentException("measure name: " + name);
        columns = List.copyOf(columns);
        if (columns.isEmpty()) throw new IllegalArgumentException("measure " + name + ": no value column");
    }

    /** The column of the measure's main figure ({@code SUM(column) WHERE measure = name}). */
    public String column() {
        return columns.get(0).pinot();
    }

    /** Whether a figure of this measure may be summed from {@code column}. */
    public boolean sums(Column column) {
        return columns.contains(column);
    }

    @Override
    public String toString() {
        return name;
    }
}
