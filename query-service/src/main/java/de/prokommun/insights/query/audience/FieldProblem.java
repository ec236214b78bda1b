package de.prokommun.insights.query.audience;

/** One reason a request was rejected, naming the field as a JSON path ("filter.ageFrom", "filter.genders[1]"). */
public record FieldProblem(String field, String reason) {}
