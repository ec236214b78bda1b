package de.prokommun.insights.query.audience;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * SQL string literals for Pinot. Values reaching here were already checked against the city's vocabulary;
 * quoting is the second line of defence, so a value can never end the literal early.
 */
public final class SqlLiteral {
    private SqlLiteral() {}

    public static String quote(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException("control character in SQL literal");
            }
        }
        return "'" + value.replace("'", "''") + "'";
    }

    public static String list(Collection<String> values) {
        if (values.isEmpty()) throw new IllegalArgumentException("empty IN list");
        return values.stream().map(SqlLiteral::quote).collect(Collectors.joining(", ", "(", ")"));
    }
}
