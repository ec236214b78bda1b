package de.prokommun.insights.query.insights;

import de.prokommun.insights.contract.Measure;
import de.prokommun.insights.contract.Measures;
import de.prokommun.insights.query.audience.SqlLiteral;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.stream.Collectors;

/**
 * One sum over the contribution deltas of one city and measure as Pinot SQL. Every figure is a SUM (a
 * retraction or erasure is the same row negated); column names are constants of this package, values are
 * validated before and quoted here.
 */
public final class ContributionQuery {

    private final String table;
    private final List<String> terms = new ArrayList<>();
    private final List<String> groupBy = new ArrayList<>();
    private final String valueColumn;
    private static final java.util.Set<String> VALUE_COLUMNS = java.util.Set.of("count", "quantity", "amountCents", "lagDays");

    private ContributionQuery(String table, String city, String measure, String valueColumn) {
        if (!table.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new IllegalArgumentException("bad table name " + table);
        if (!VALUE_COLUMNS.contains(valueColumn)) throw new IllegalArgumentException("bad value column " + valueColumn);
        this.table = table;
        this.valueColumn = valueColumn;
        terms.add("city = " + SqlLiteral.quote(city));
        terms.add("measure = " + SqlLiteral.quote(measure));
    }

    static ContributionQuery of(String table, String city, String measure) {
        return new ContributionQuery(table, city, measure, valueColumn(measure));
    }

    /** The column of the measure's main figure (the contract's registry). */
    private static String valueColumn(String measure) {
        return Measures.byName(measure).map(Measure::column)
                .orElseThrow(() -> new IllegalArgumentException("not a measure of the contributions table: " + measure));
    }

    /** A sum of {@code valueColumn} (count, quantity, amountCents or lagDays) over the rows of the measure. */
    public static ContributionQuery sumOf(String table, String city, String measure, String valueColumn) {
        return new ContributionQuery(table, city, measure, valueColumn);
    }

    public ContributionQuery category(String category) {
        terms.add("category = " + SqlLiteral.quote(category));
        return this;
    }

    public ContributionQuery participant(String participant) {
        terms.add("participant = " + SqlLiteral.quote(participant));
        return this;
    }

    /** The period column (month or year) restricted to these values. */
    public ContributionQuery periods(Granularity granularity, Collection<Integer> values) {
        if (values.isEmpty()) throw new IllegalArgumentException("no period");
        terms.add(granularity.column() + (values.size() == 1 ? " = " + values.iterator().next()
                : " IN (" + values.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")"));
        return this;
    }

    public ContributionQuery segment(SegmentFilter filter) {
        in("ageBand", filter.ageBands());
        in("gender", filter.genders());
        in("personas", filter.personas());
        in("district", filter.districts());
        in("householdType", filter.householdTypes());
        return this;
    }

    /** Group by these columns (constants: a period column or a breakdown's column), in this order. */
    public ContributionQuery groupBy(String column) {
        if (!column.matches("[A-Za-z]+")) throw new IllegalArgumentException("bad column " + column);
        groupBy.add(column);
        return this;
    }

    public int groupColumns() {
        return groupBy.size();
    }

    public String sql(int maxGroups) {
        String where = " FROM " + table + " WHERE " + String.join(" AND ", terms);
        if (groupBy.isEmpty()) return "SELECT SUM(" + valueColumn + ")" + where;
        String columns = String.join(", ", groupBy);
        return "SELECT " + columns + ", SUM(" + valueColumn + ")" + where + " GROUP BY " + columns + " LIMIT " + maxGroups;
    }

    /** A string column (a constant name) restricted to these values; no restriction when empty. */
    public ContributionQuery in(String column, Collection<String> values) {
        if (!column.matches("[A-Za-z]+")) throw new IllegalArgumentException("bad column " + column);
        if (!values.isEmpty()) terms.add(column + " IN " + SqlLiteral.list(values));
        return this;
    }

    /** An int column (a constant name) equal to a value, e.g. the lag bucket of a flow. */
    public ContributionQuery equalTo(String column, int value) {
        if (!column.matches("[A-Za-z]+")) throw new IllegalArgumentException("bad column " + column);
        terms.add(column + " = " + value);
        return this;
    }

    /**
     * Rows whose value in a (signed) metric column lies within [-max, -min] or [min, max]: a row and its negation
     * both pass or both fail, so the filtered sum stays exact under retraction.
     */
    public ContributionQuery magnitudeBetween(String column, long min, long max) {
        if (!column.matches("[A-Za-z]+") || min < 0 || max < min) throw new IllegalArgumentException("bad range on " + column);
        terms.add("((" + column + " >= " + min + " AND " + column + " <= " + max + ") OR (" + column + " <= " + (-min)
                + " AND " + column + " >= " + (-max) + "))");
        return this;
    }
}
