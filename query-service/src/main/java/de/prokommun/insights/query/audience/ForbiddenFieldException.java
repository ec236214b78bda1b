package de.prokommun.insights.query.audience;

/** The asker may not ask what one field asks for (HTTP 403, naming the field). */
public final class ForbiddenFieldException extends RuntimeException {
    private final FieldProblem problem;

    public ForbiddenFieldException(String field, String reason) {
        super(field + ": " + reason);
        this.problem = new FieldProblem(field, reason);
    }

    public FieldProblem problem() { return problem; }
}
