package de.prokommun.insights.resident.changes;

import java.util.List;

/** A request the API refuses with 400, listing every problem found. */
public final class InvalidRequestException extends RuntimeException {
    private final List<FieldProblem> problems;

    public InvalidRequestException(List<FieldProblem> problems) {
        super("invalid request: " + problems, null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<FieldProblem> problems() { return problems; }
}
