package de.prokommun.insights.privacy;

import java.text.Normalizer;
import java.util.Collection;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds a {@link Question} whose canonical form does not depend on how the asker phrased it: parameter order,
 * the order and repetition of values in a set filter, surrounding white space and Unicode composition
 * (NFC) all disappear; a set of one value equals the single value. Rephrasing a question therefore neither
 * buys fresh noise nor costs budget again. Mapping synonyms onto one vocabulary (e.g. an age range onto age
 * bands) is the query service's job before it calls this builder.
 */
public final class CanonicalQuestion {

    private final String kind;
    private final TreeMap<String, String> parameters = new TreeMap<>();

    private CanonicalQuestion(String kind) {
        this.kind = kind;
    }

    public static CanonicalQuestion of(String kind) {
        return new CanonicalQuestion(Checks.notBlank(kind, "question.kind").trim());
    }

    /** A single-valued parameter. */
    public CanonicalQuestion param(String key, String value) {
        String k = key(key);
        return put(k, escapeListChars(normalise(value, k)));
    }

    /** A set filter (any of these values): de-duplicated, sorted, joined by ','. */
    public CanonicalQuestion anyOf(String key, Collection<String> values) {
        String k = key(key);
        Checks.notNull(values, "question.parameters." + k);
        TreeSet<String> set = new TreeSet<>();
        for (String v : values) set.add(escapeListChars(normalise(v, k)));
        if (set.isEmpty()) throw new IllegalArgumentException("question.parameters." + k + " must name at least one value");
        return put(k, String.join(",", set));
    }

    /** An inclusive integer range, written {@code from..to}. */
    public CanonicalQuestion range(String key, long fromInclusive, long toInclusive) {
        String k = key(key);
        if (fromInclusive > toInclusive)
            throw new IllegalArgumentException("question.parameters." + k + " range is empty: " + fromInclusive + ".." + toInclusive);
        return put(k, fromInclusive + ".." + toInclusive);
    }

    public CanonicalQuestion flag(String key, boolean value) {
        return put(key(key), Boolean.toString(value));
    }

    public Question build() {
        return new Question(kind, parameters);
    }

    private CanonicalQuestion put(String key, String value) {
        if (parameters.putIfAbsent(key, value) != null)
            throw new IllegalArgumentException("question.parameters." + key + " is given twice");
        return this;
    }

    private static String key(String key) {
        return Normalizer.normalize(Checks.notBlank(key, "question.parameters key").trim(), Normalizer.Form.NFC);
    }

    private static String normalise(String value, String key) {
        String v = Checks.notBlank(value, "question.parameters." + key).trim();
        return Normalizer.normalize(v, Normalizer.Form.NFC);
    }

    // ',' separates set members, so a ',' inside one value is escaped (and the escape character itself).
    private static String escapeListChars(String value) {
        return value.replace("\\", "\\\\").replace(",", "\\,");
    }
}
