package de.prokommun.insights.resident.changes;

import de.prokommun.insights.http.Problem;
import java.util.List;

/** A request the API refuses with 400, listing every problem found. */
public final class InvalidRequestException extends RuntimeException {
    private final List<Problem> problems;

    public InvalidRequestException(List<Problem> problems) {
        super("invalid request: " + problems, null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() { return problems; }
}
