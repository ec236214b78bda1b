package de.prokommun.insights.query.audience;

import de.prokommun.insights.http.Problem;
import java.util.List;

/** A request that cannot be answered as sent; carries every problem found, not only the first. */
public final class InvalidRequestException extends RuntimeException {
    private final List<Problem> problems;

    public InvalidRequestException(List<Problem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public InvalidRequestException(String field, String reason) {
        this(List.of(new Problem(field, reason)));
    }

    public List<Problem> problems() { return problems; }

    private static String describe(List<Problem> problems) {
        StringBuilder sb = new StringBuilder("invalid request:");
        problems.forEach(p -> sb.append(' ').append(p.field()).append(": ").append(p.reason()).append(';'));
        return sb.toString();
    }
}
