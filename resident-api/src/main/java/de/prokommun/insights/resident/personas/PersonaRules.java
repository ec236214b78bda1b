package de.prokommun.insights.resident.personas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.resident.personas.PersonaRule.Activity;
import de.prokommun.insights.resident.personas.PersonaRule.AgeRange;
import de.prokommun.insights.resident.personas.PersonaRule.Conditions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The persona rules of each city, read from {@code <cities dir>/<city>/personas.json} once and kept. */
public final class PersonaRules {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path citiesDir;
    private final Map<String, List<PersonaRule>> byCity = new ConcurrentHashMap<>();

    public PersonaRules(Path citiesDir) {
        this.citiesDir = citiesDir;
    }

    /** The city's rules; empty when the city has no personas.json. */
    public List<PersonaRule> of(String city) {
        return byCity.computeIfAbsent(city, c -> {
            Path file = citiesDir.resolve(c).resolve("personas.json");
            if (!c.matches("[a-z0-9_-]{1,64}") || !Files.isRegularFile(file)) return List.of();
            try {
                return parse(JSON.readTree(file.toFile()));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
            }
        });
    }

    public Optional<PersonaRule> rule(String city, String persona) {
        return of(city).stream().filter(r -> r.persona().equals(persona)).findFirst();
    }

    public static List<PersonaRule> parse(JsonNode root) {
        List<PersonaRule> rules = new ArrayList<>();
        for (JsonNode rule : root.path("personas")) {
            String persona = rule.path("persona").asText("");
            if (persona.isEmpty()) throw new IllegalArgumentException("personas.json: a rule lacks 'persona'");
            rules.add(new PersonaRule(persona, conditions(rule)));
        }
        return List.copyOf(rules);
    }

    private static Conditions conditions(JsonNode n) {
        AgeRange age = n.has("age") ? new AgeRange(intOrNull(n.get("age").get("from")), intOrNull(n.get("age").get("to"))) : null;
        Activity activity = null;
        if (n.has("activity")) {
            JsonNode a = n.get("activity");
            activity = new Activity(texts(a.get("signals"), false), a.path("atLeast").asInt(1), a.path("withinDays").asInt());
        }
        List<Conditions> anyOf = new ArrayList<>();
        for (JsonNode block : n.path("anyOf")) anyOf.add(conditions(block));
        return new Conditions(age, texts(n.get("householdTypes"), false), texts(n.get("genders"), false),
                texts(n.get("interestsAny"), true), activity, List.copyOf(anyOf));
    }

    private static Integer intOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : n.asInt();
    }

    private static List<String> texts(JsonNode array, boolean lowerCase) {
        if (array == null) return List.of();
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(lowerCase ? v.asText().toLowerCase(Locale.ROOT) : v.asText()));
        return List.copyOf(out);
    }
}
