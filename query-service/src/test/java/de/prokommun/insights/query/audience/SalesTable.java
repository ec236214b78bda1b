package de.prokommun.insights.query.audience;

import de.prokommun.insights.query.insights.ContributionSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sales rows of the contributions table in memory, answering the grouped sums CategorySellers asks as Pinot would:
 * the WHERE terms (column = value, column IN (...)) filter the rows, the GROUP BY columns group them. Every SQL
 * asked is kept.
 */
final class SalesTable implements ContributionSource {

    private static final Pattern IN = Pattern.compile("(\\w+) IN \\(([^)]*)\\)");
    private static final Pattern EQUALS = Pattern.compile("(\\w+) = '?([^' ]*)'?");

    final List<Map<String, String>> rows = new ArrayList<>();
    final List<String> asked = new ArrayList<>();

    /** One sale: its year, category, the buyer's age band and district then, the seller, net cents. */
    SalesTable sale(int year, String category, String ageBand, String district, String seller, long cents) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("year", String.valueOf(year));
        row.put("category", category);
        row.put("ageBand", ageBand);
        row.put("district", district);
        row.put("participant", seller);
        row.put("amountCents", String.valueOf(cents));
        rows.add(row);
        return this;
    }

    @Override
    public Map<List<String>, Long> sums(String sql, int groupColumns) {
        asked.add(sql);
        String where = sql.substring(sql.indexOf(" WHERE ") + 7, sql.contains(" GROUP BY ") ? sql.indexOf(" GROUP BY ") : sql.length());
        List<String> groupBy = Arrays.stream(sql.substring(sql.indexOf(" GROUP BY ") + 10, sql.indexOf(" LIMIT "))
                .split(", ")).toList();
        Map<List<String>, Long> sums = new LinkedHashMap<>();
        for (Map<String, String> row : rows) {
            if (!matches(row, where)) continue;
            List<String> key = groupBy.stream().map(row::get).toList();
            sums.merge(key, Long.parseLong(row.get("amountCents")), Long::sum);
        }
        return sums;
    }

    private static boolean matches(Map<String, String> row, String where) {
        Matcher in = IN.matcher(where);
        while (in.find()) {
            List<String> values = Arrays.stream(in.group(2).split(", ")).map(v -> v.replace("'", "")).toList();
            if (!values.contains(row.get(in.group(1)))) return false;
        }
        Matcher eq = EQUALS.matcher(IN.matcher(where).replaceAll(""));
        while (eq.find()) {
            String column = eq.group(1);
            if (column.equals("city") || column.equals("measure")) continue;
            if (!eq.group(2).equals(row.get(column))) return false;
        }
        return true;
    }
}
