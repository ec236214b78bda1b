package de.prokommun.insights.resident.personas;

import java.util.List;

/**
 * One rule of a city's personas.json: the persona applies when ALL its conditions hold. A condition block
 * may itself hold {@code anyOf} blocks. Only what the file declares is kept (null / empty = not a condition).
 */
public record PersonaRule(String persona, Conditions conditions) {

    public record AgeRange(Integer from, Integer to) {}

    public record Activity(List<String> signals, int atLeast, int withinDays) {}

    public record Conditions(AgeRange age, List<String> householdTypes, List<String> genders,
                             List<String> interestsAny, Activity activity, List<Conditions> anyOf) {}
}
