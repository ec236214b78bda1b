package de.prokommun.insights.resident.changes;

/** One thing wrong with a request: the field (JSON name, "" for the whole body) and the reason. */
public record FieldProblem(String field, String reason) {}
