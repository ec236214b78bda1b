package de.prokommun.insights.privacy;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A question in canonical form: its kind (e.g. {@code audience.size}) and its already normalised parameters
 * (see {@link CanonicalQuestion}). Two questions that mean the same must have equal canonical forms, because the
 * canonical form decides whether a question is new (costs budget) or repeated (free, same answer).
 */
public record Question(String kind, SortedMap<String, String> parameters) {

    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9]*([._-][a-z0-9]+)*");

    public Question {
        Checks.notBlank(kind, "question.kind");
        if (!KIND.matcher(kind).matches())
            throw new IllegalArgumentException("question.kind must be lower-case words joined by '.', '_' or '-': " + kind);
        Checks.notNull(parameters, "question.parameters");
        TreeMap<String, String> copy = new TreeMap<>();
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            String key = Checks.notBlank(e.getKey(), "question.parameters key");
            copy.put(key, Checks.notNull(e.getValue(), "question.parameters." + key));
        }
        parameters = Collections.unmodifiableSortedMap(copy);
    }

    public static Question of(String kind) {
        return new Question(kind, new TreeMap<>());
    }

    /** Deterministic text: {@code kind?key=value&key=value} with keys in natural order and '%', '&', '=', '?' escaped. */
    public String canonicalForm() {
        StringBuilder sb = new StringBuilder(kind);
        char separator = '?';
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            sb.append(separator).append(escape(e.getKey())).append('=').append(escape(e.getValue()));
            separator = '&';
        }
        return sb.toString();
    }

    private static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '%' -> sb.append("%25");
                case '&' -> sb.append("%26");
                case '=' -> sb.append("%3D");
                case '?' -> sb.append("%3F");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
