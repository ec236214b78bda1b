package de.prokommun.insights.query.insights;

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
final class ContributionQuery {

    private final String table;
    private final List<String> terms = new ArrayList<>();
    private final List<String> groupBy = new ArrayList<>();
    private final String valueColumn;

    private ContributionQuery(String table, String city, String measure) {
        if (!table.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new IllegalArgumentException("bad table name " + table);
        this.table = table;
        this.valueColumn = Measures.valueColumn(measure);
        terms.add("city = " + SqlLiteral.quote(city));
        terms.add("measure = " + SqlLiteral.quote(measure));
    }

    static ContributionQuery of(String table, String city, String measure) {
        return new ContributionQuery(table, city, measure);
    }

    ContributionQuery category(String category) {
        terms.add("category = " + SqlLiteral.quote(category));
        return this;
    }

    ContributionQuery participant(String participant) {
        terms.add("participant = " + SqlLiteral.quote(participant));
        return this;
    }

    /** The period column (month or year) restricted to these values. */
    ContributionQuery periods(Granularity granularity, Collection<Integer> values) {
        if (values.isEmpty()) throw new IllegalArgumentException("no period");
        terms.add(granularity.column() + (values.size() == 1 ? " = " + values.iterator().next()
                : " IN (" + values.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")"));
        return this;
    }

    ContributionQuery segment(SegmentFilter filter) {
        in("ageBand", filter.ageBands());
        in("gender", filter.genders());
        in("personas", filter.personas());
        in("district", filter.districts());
        in("householdType", filter.householdTypes());
        return this;
    }

    /** Group by these columns (constants: a period column or a breakdown's column), in this order. */
    ContributionQuery groupBy(String column) {
        if (!column.matches("[A-Za-z]+")) throw new IllegalArgumentException("bad column " + column);
        groupBy.add(column);
        return this;
    }

    int groupColumns() {
        return groupBy.size();
    }

    String sql(int maxGroups) {
        String where = " FROM " + table + " WHERE " + String.join(" AND ", terms);
        if (groupBy.isEmpty()) return "SELECT SUM(" + valueColumn + ")" + where;
        String columns = String.join(", ", groupBy);
        return "SELECT " + columns + ", SUM(" + valueColumn + ")" + where + " GROUP BY " + columns + " LIMIT " + maxGroups;
    }

    private void in(String column, SortedSet<String> values) {
        if (!values.isEmpty()) terms.add(column + " IN " + SqlLiteral.list(values));
    }
}
