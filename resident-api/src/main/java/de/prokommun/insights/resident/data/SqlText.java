package de.prokommun.insights.resident.data;

/** A string literal for Pinot SQL; values here come from the verified token or are validated before. */
final class SqlText {
    private SqlText() {}

    static String literal(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException("control character in a query value");
            }
        }
        return "'" + value.replace("'", "''") + "'";
    }
}
