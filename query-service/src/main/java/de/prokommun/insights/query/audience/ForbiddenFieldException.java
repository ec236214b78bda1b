package de.prokommun.insights.query.audience;

import de.prokommun.insights.http.Problem;

/** The asker may not ask what one field asks for (HTTP 403, naming the field). */
public final class ForbiddenFieldException extends RuntimeException {
    private final Problem problem;

    public ForbiddenFieldException(String field, String reason) {
        super(field + ": " + reason);
        this.problem = new Problem(field, reason);
    }

    public Problem problem() { return problem; }
}
