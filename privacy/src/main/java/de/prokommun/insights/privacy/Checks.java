package de.prokommun.insights.privacy;

/** Argument checks with messages that name the field and the reason. */
final class Checks {
    private Checks() {}

    static String notBlank(String value, String field) {
        if (value == null) throw new IllegalArgumentException(field + " is required");
        if (value.isBlank()) throw new IllegalArgumentException(field + " must not be blank");
        return value;
    }

    static <T> T notNull(T value, String field) {
        if (value == null) throw new IllegalArgumentException(field + " is required");
        return value;
    }
}
