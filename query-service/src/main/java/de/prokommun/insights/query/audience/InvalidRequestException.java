package de.prokommun.insights.query.audience;

import java.util.List;

/** A request that cannot be answered as sent; carries every problem found, not only the first. */
public final class InvalidRequestException extends RuntimeException {
    private final List<FieldProblem> problems;

    public InvalidRequestException(List<FieldProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public InvalidRequestException(String field, String reason) {
        this(List.of(new FieldProblem(field, reason)));
    }

    public List<FieldProblem> problems() { return problems; }

    private static String describe(List<FieldProblem> problems) {
        StringBuilder sb = new StringBuilder("invalid request:");
        problems.forEach(p -> sb.append(' ').append(p.field()).append(": ").append(p.reason()).append(';'));
        return sb.toString();
    }
}
